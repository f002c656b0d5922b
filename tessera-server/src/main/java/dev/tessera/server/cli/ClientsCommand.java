package dev.tessera.server.cli;

import dev.tessera.server.application.clientauth.ClientSecrets;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
            description = "Register a client. A confidential client's secret is generated and printed once.")
    static final class Add implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "the client_id") String id;
        @Option(names = "--name", description = "name shown on the consent page") String name;
        @Option(names = "--redirect-uri", paramLabel = "URI", description = "registered redirect URI (repeatable)")
        List<String> redirectUris = List.of();
        @Option(names = "--public", description = "a public client (SPA, native app): no secret, PKCE required")
        boolean publicClient;
        @Option(names = "--grant", paramLabel = "TYPE",
                description = "grant type (repeatable; default authorization_code and refresh_token)")
        List<String> grants = List.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN);
        @Option(names = "--scope", paramLabel = "SCOPE",
                description = "allowed scope (repeatable; default openid profile email offline_access)")
        List<String> scopes = List.of("openid", "profile", "email", "offline_access");
        @Option(names = "--auth-method", description = "client_secret_basic (default) or client_secret_post")
        String authMethod = "client_secret_basic";
        @Option(names = "--skip-consent", description = "first-party client: do not ask users for consent")
        boolean skipConsent;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (String uri : redirectUris) {
                URI parsed = URI.create(uri);
                if (!parsed.isAbsolute() || parsed.getFragment() != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--redirect-uri must be an absolute URI without a fragment: " + uri);
                }
            }
            for (String grant : grants) {
                if (!GrantTypes.ALL.contains(grant)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "unknown grant type: " + grant);
                }
            }
            TokenEndpointAuthMethod method = publicClient ? TokenEndpointAuthMethod.NONE
                    : TokenEndpointAuthMethod.fromValue(authMethod).filter(m -> m != TokenEndpointAuthMethod.NONE
                            && m != TokenEndpointAuthMethod.PRIVATE_KEY_JWT)
                    .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                            "--auth-method must be client_secret_basic or client_secret_post"));
            String secret = publicClient ? null : ClientSecrets.generate();
            Set<String> grantSet = new LinkedHashSet<>(grants);
            Client client = Client.builder(id).name(name == null ? id : name)
                    .secretHash(secret == null ? null : ClientSecrets.hash(secret))
                    .publicClient(publicClient).redirectUris(redirectUris).grantTypes(grantSet)
                    .scopes(Scopes.of(scopes)).authMethod(method)
                    .consent(skipConsent ? ConsentPolicy.SKIP : ConsentPolicy.REQUIRED).build();
            try (Database database = StoreWiring.open(store.storage())) {
                Stores stores = StoreWiring.jdbc(database);
                if (stores.clients().find(id).isPresent()) {
                    spec.commandLine().getErr().println("tessera: a client with id " + id + " already exists");
                    return 1;
                }
                stores.clients().upsert(client);
            }
            out.println("client_id:     " + id);
            if (secret != null) {
                out.println("client_secret: " + secret);
                out.println("Store the secret now: only its hash is kept, it cannot be shown again.");
            }
            return 0;
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
