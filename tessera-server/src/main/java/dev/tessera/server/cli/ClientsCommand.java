package dev.tessera.server.cli;

import dev.tessera.server.application.clientauth.ClientSecrets;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.ConfigToDomain;
import dev.tessera.server.bootstrap.SectorIdentifierCheck;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.config.Choices;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.ConfigValidator;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.infrastructure.jose.SectorDocuments;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tessera clients add|list|remove}: manage registered clients without editing SQL. */
@Command(name = "clients", mixinStandardHelpOptions = true, description = "Manage OAuth clients in the store.",
        subcommands = {ClientsCommand.Add.class, ClientsCommand.ListClients.class, ClientsCommand.Remove.class})
public final class ClientsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Register a client. A confidential client's secret is generated and printed once.",
                    "The same rules and defaults as clients[] in tessera.yaml."})
    static final class Add implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "the client_id") String id;
        @Option(names = "--name", description = "name shown on the consent page") String name;
        @Option(names = "--redirect-uri", paramLabel = "URI",
                description = "registered redirect URI (repeatable): https, http on a loopback host, or a private-use scheme")
        List<String> redirectUris;
        @Option(names = "--public", description = "a public client (SPA, native app): no secret, PKCE required")
        boolean publicClient;
        @Option(names = "--grant", paramLabel = "TYPE",
                description = "grant type (repeatable; default authorization_code and refresh_token)")
        List<String> grants;
        @Option(names = "--scope", paramLabel = "SCOPE", description = "allowed scope (repeatable; default openid)")
        List<String> scopes;
        @Option(names = "--auth-method",
                description = "client_secret_basic (default), client_secret_post or private_key_jwt (with --jwks-uri)")
        String authMethod;
        @Option(names = "--jwks-uri", paramLabel = "URI",
                description = "where the client publishes its public keys (https); implies --auth-method private_key_jwt")
        String jwksUri;
        @Option(names = "--sector-identifier-uri", paramLabel = "URI",
                description = {"make the client pairwise in the sector of this https URL's host; the JSON array there",
                        "must list every --redirect-uri (it is fetched now)"})
        String sectorIdentifierUri;
        @Option(names = "--skip-consent", description = "first-party client: do not ask users for consent")
        boolean skipConsent;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (authMethod == null && jwksUri != null && !publicClient) {
                authMethod = ClientConfig.AUTH_PRIVATE_KEY_JWT; // keys instead of a secret
            }
            String secret = usesSecret() ? ClientSecrets.generate() : null;
            ClientConfig client = ClientConfig.builder(id).name(name).secret(secret).publicClient(publicClient)
                    .redirectUris(redirectUris).grantTypes(grants).scopes(scopes).tokenEndpointAuthMethod(authMethod)
                    .jwksUri(jwksUri)
                    .subjectType(sectorIdentifierUri != null ? ClientConfig.SUBJECT_PAIRWISE : null)
                    .sectorIdentifierUri(sectorIdentifierUri).consent(skipConsent ? ClientConfig.CONSENT_SKIP : null).build();
            List<String> problems = new ArrayList<>(ConfigValidator.clientProblems(client, store.settings()));
            if (problems.isEmpty()) {
                problems.addAll(new SectorIdentifierCheck(SectorDocuments.httpsOnly()).problems(client, ""));
            }
            if (client.isPairwise() && (store.settings().subjects().pairwiseSalt() == null
                    || store.settings().subjects().pairwiseSalt().isBlank())) {
                problems.add("subjectType: a pairwise client needs subjects.pairwiseSalt in the configuration (--config)");
            }
            if (!problems.isEmpty()) {
                err.println("tessera: the client is not valid:");
                problems.forEach(problem -> err.println("  " + ClientOptionProblems.describe(problem, client)));
                return 2;
            }
            try (Database database = StoreWiring.open(store.storage())) {
                Stores stores = StoreWiring.jdbc(database);
                if (stores.clients().find(id).isPresent()) {
                    err.println("tessera: a client with id " + id + " already exists");
                    return 1;
                }
                stores.clients().upsert(ConfigToDomain.toClient(client, ClientSecrets::hash));
            }
            out.println("client_id:     " + id);
            if (jwksUri != null) {
                out.println("authenticates with private_key_jwt, keys from " + jwksUri);
            }
            if (secret != null) {
                out.println("client_secret: " + secret);
                out.println("Store the secret now: only its hash is kept, it cannot be shown again.");
            }
            return 0;
        }

        // A secret only where it can be used; an unknown method is left for the validator to name.
        private boolean usesSecret() {
            return !publicClient && (authMethod == null
                    || Choices.parse(Choices.AuthMethod.class, authMethod).map(Choices.AuthMethod::usesSecret).orElse(false));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered clients.")
    static final class ListClients implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Database database = StoreWiring.open(store.storage())) {
                List<Client> clients = StoreWiring.jdbc(database).clients().list();
                out.printf("%-24s %-12s %-28s %s%n", "CLIENT ID", "TYPE", "NAME", "REDIRECT URIS");
                for (Client client : clients) {
                    out.printf("%-24s %-12s %-28s %s%n", client.id(), client.publicClient() ? "public" : "confidential",
                            client.name(), String.join(" ", client.redirectUris().registered()));
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a client.")
    static final class Remove implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            try (Database database = StoreWiring.open(store.storage())) {
                if (!StoreWiring.jdbc(database).clients().remove(id)) {
                    spec.commandLine().getErr().println("tessera: no client with id " + id);
                    return 1;
                }
            }
            spec.commandLine().getOut().println("removed client " + id);
            return 0;
        }
    }
}
