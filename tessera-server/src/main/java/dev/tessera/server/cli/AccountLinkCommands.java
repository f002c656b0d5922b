package dev.tessera.server.cli;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.config.AccountLinkConfig;
import dev.tessera.server.config.ConfigValidator;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.user.AccountLink;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tessera users link|unlink}: the accounts at trusted issuers through which the jwt-bearer grant finds a
 * local user (SPEC §6). Hazard: users declared in tessera.yaml get the file's links back at every start, so a
 * change here to such a user lasts only until then; both commands say so.
 */
final class AccountLinkCommands {
    private AccountLinkCommands() {
    }

    @Command(name = "link", mixinStandardHelpOptions = true,
            description = {"Link a user to their account (sub) at a trusted issuer: that issuer's ID-JAGs for this "
                    + "subject then get tokens for this user (jwt-bearer grant).",
                    "The issuer must be one of the --config file's trustedIssuers. A user declared in tessera.yaml "
                            + "gets the file's links back at every start: put their links in users[].links there."})
    static final class Link implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "USERNAME") String username;
        @Option(names = "--issuer", paramLabel = "ISS", required = true,
                description = "the trusted issuer, exactly as in trustedIssuers[].issuer")
        String issuer;
        @Option(names = "--subject", paramLabel = "SUB", required = true, description = "the user's sub at that issuer")
        String subject;

        @Override
        public Integer call() {
            CommandLine commandLine = spec.commandLine();
            TesseraConfig config = store.config().orElseThrow(() -> new CommandLine.ParameterException(commandLine,
                    "the dev store trusts no issuers; use --config with a trustedIssuers entry"));
            // The same rule as users[].links in the file, so the CLI stores nothing the file would refuse.
            List<String> problems = ConfigValidator.accountLinkProblems(new AccountLinkConfig(issuer, subject),
                    config.trustedIssuers());
            if (!problems.isEmpty()) {
                // "issuer: is not ..." names the option: "--issuer is not ...".
                throw new CommandLine.ParameterException(commandLine, String.join("; ",
                        problems.stream().map(problem -> "--" + problem.replaceFirst(": ", " ")).toList()));
            }
            PrintWriter err = commandLine.getErr();
            try (Database database = StoreWiring.open(store.storage())) {
                UserStore users = StoreWiring.jdbc(database).users();
                Optional<User> user = users.findByUsername(username);
                if (user.isEmpty()) {
                    err.println("tessera: no user " + username);
                    return 1;
                }
                Optional<User> holder = users.findByLink(issuer, subject);
                if (holder.isPresent() && holder.get().id().equals(user.get().id())) {
                    commandLine.getOut().println(username + " is already linked to " + issuer + " " + subject);
                    return 0;
                }
                if (holder.isPresent()) {
                    // One outside account maps to one user, or the grant's user would be ambiguous.
                    err.println("tessera: that account is already linked to user " + holder.get().username()
                            + "; unlink it there first");
                    return 1;
                }
                Optional<String> declaredOwner = declaredOwner(config, issuer, subject);
                if (declaredOwner.isPresent() && !declaredOwner.get().equals(username)) {
                    // The next start would give it back to that user and fail on the duplicate.
                    err.println("tessera: " + store.config + " links that account to user " + declaredOwner.get());
                    return 1;
                }
                List<AccountLink> links = new ArrayList<>(user.get().links());
                links.add(new AccountLink(issuer, subject));
                users.upsert(withLinks(user.get(), links));
            }
            commandLine.getOut().println("linked " + username + " to " + issuer + " " + subject);
            warnIfDeclared(config, username, store, err);
            return 0;
        }
    }

    @Command(name = "unlink", mixinStandardHelpOptions = true,
            description = {"Remove a user's link to an account at an issuer (every link to that issuer without "
                    + "--subject).",
                    "A user declared in tessera.yaml gets the file's links back at every start: remove it there."})
    static final class Unlink implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "USERNAME") String username;
        @Option(names = "--issuer", paramLabel = "ISS", required = true, description = "the issuer of the link")
        String issuer;
        @Option(names = "--subject", paramLabel = "SUB", description = "only the link to this sub at the issuer")
        String subject;

        @Override
        public Integer call() {
            CommandLine commandLine = spec.commandLine();
            PrintWriter err = commandLine.getErr();
            int removed;
            try (Database database = StoreWiring.open(store.storage())) {
                UserStore users = StoreWiring.jdbc(database).users();
                Optional<User> user = users.findByUsername(username);
                if (user.isEmpty()) {
                    err.println("tessera: no user " + username);
                    return 1;
                }
                List<AccountLink> kept = user.get().links().stream().filter(link -> !matches(link)).toList();
                removed = user.get().links().size() - kept.size();
                if (removed == 0) {
                    err.println("tessera: user " + username + " has no link to " + issuer
                            + (subject == null ? "" : " with subject " + subject));
                    return 1;
                }
                users.upsert(withLinks(user.get(), kept));
            }
            commandLine.getOut().println("unlinked " + username + " from " + issuer + " (" + removed
                    + (removed == 1 ? " link)" : " links)"));
            // Unlinking needs no file; with one, its users may bring the link back.
            if (store.config().isPresent()) {
                warnIfDeclared(store.config().get(), username, store, err);
            }
            return 0;
        }

        private boolean matches(AccountLink link) {
            return link.issuer().equals(issuer) && (subject == null || link.subject().equals(subject));
        }
    }

    private static User withLinks(User user, List<AccountLink> links) {
        return new User(user.id(), user.username(), user.passwordHash(), user.roles(), user.claims(),
                user.verifiedClaims(), links, user.enabled());
    }

    private static Optional<String> declaredOwner(TesseraConfig config, String issuer, String subject) {
        AccountLinkConfig account = new AccountLinkConfig(issuer, subject);
        return config.users().stream().filter(u -> u.links().contains(account)).map(UserConfig::username).findFirst();
    }

    private static void warnIfDeclared(TesseraConfig config, String username, StoreOptions store, PrintWriter err) {
        if (config.users().stream().anyMatch(u -> username.equals(u.username()))) {
            err.println("tessera: note: " + username + " is declared in " + store.config + ", whose users[].links "
                    + "replace the stored links at every start; make this change there too");
        }
    }
}
