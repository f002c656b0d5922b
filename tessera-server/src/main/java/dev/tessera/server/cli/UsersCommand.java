package dev.tessera.server.cli;

import dev.tessera.server.application.account.AccountService;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.config.PasswordsConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.user.AccountLink;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.audit.Slf4jAuditLog;
import dev.tessera.server.infrastructure.crypto.Argon2idPasswordHasher;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * {@code tessera users add|list|show|set-password|disable|link|unlink|totp}. Passwords are read from the terminal or
 * stdin, never argv, and never printed back, not even hashed.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = {"Manage users in the store: accounts, passwords, and links to accounts at trusted issuers "
                + "(for the jwt-bearer grant)."},
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Show.class,
                UsersCommand.SetPassword.class, UsersCommand.Disable.class, AccountLinkCommands.Link.class,
                AccountLinkCommands.Unlink.class, TotpCommands.class})
public final class UsersCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** How the password arrives: a prompt on the terminal, or one line of standard input for scripts. */
    static final class PasswordInput {
        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean fromStdin;

        /** @param policy passwords.* of the --config file (the defaults for the dev store): the file's own rule */
        char[] read(CommandLine commandLine, PasswordsConfig policy) {
            char[] password;
            if (fromStdin) {
                try {
                    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    password = line == null ? new char[0] : line.toCharArray();
                } catch (IOException e) {
                    throw new CommandLine.ParameterException(commandLine, "could not read the password from stdin");
                }
            } else {
                Console console = System.console();
                if (console == null) {
                    throw new CommandLine.ParameterException(commandLine,
                            "no terminal to ask for the password: use --password-stdin");
                }
                password = console.readPassword("Password: ");
                char[] again = console.readPassword("Repeat password: ");
                if (password == null || !java.util.Arrays.equals(password, again)) {
                    throw new CommandLine.ParameterException(commandLine, "the passwords do not match");
                }
            }
            Optional<String> problem = policy.problem(CharBuffer.wrap(password));
            if (problem.isPresent()) {
                java.util.Arrays.fill(password, '\0');
                throw new CommandLine.ParameterException(commandLine, "the password " + problem.get());
            }
            return password;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user.")
    static final class Add implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin PasswordInput passwordInput;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "USERNAME") String username;
        @Option(names = "--email") String email;
        @Option(names = "--name", description = "full name") String name;
        @Option(names = "--role", description = "role (repeatable)") List<String> roles = List.of();

        @Override
        public Integer call() {
            char[] password = passwordInput.read(spec.commandLine(), store.passwordRules());
            Map<String, Object> claims = new LinkedHashMap<>();
            if (email != null) {
                claims.put("email", email);
                claims.put("email_verified", false);
            }
            if (name != null) {
                claims.put("name", name);
            }
            claims.put("preferred_username", username);
            String hash = new Argon2idPasswordHasher().hash(password);
            java.util.Arrays.fill(password, '\0');
            try (Database database = StoreWiring.open(store.storage())) {
                Stores stores = StoreWiring.jdbc(database);
                if (stores.users().findByUsername(username).isPresent()) {
                    spec.commandLine().getErr().println("tessera: user " + username + " already exists");
                    return 1;
                }
                String id = UserConfig.defaultId(username);
                stores.users().upsert(new User(id, username, hash, roles, claims, Map.of(), List.of(), true));
                spec.commandLine().getOut().println("created user " + username + " (sub " + id + ")");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Database database = StoreWiring.open(store.storage())) {
                out.printf("%-24s %-38s %-9s %s%n", "USERNAME", "SUB", "STATUS", "EMAIL");
                for (User user : StoreWiring.jdbc(database).users().list()) {
                    out.printf("%-24s %-38s %-9s %s%n", user.username(), user.id(),
                            user.enabled() ? "active" : "disabled", user.claims().getOrDefault("email", ""));
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one user: id, username, status, roles, claims and linked accounts (never the password).")
    static final class Show implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "USERNAME") String username;

        @Override
        public Integer call() {
            Optional<User> found;
            try (Database database = StoreWiring.open(store.storage())) {
                found = StoreWiring.jdbc(database).users().findByUsername(username);
            }
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("tessera: no user " + username);
                return 1;
            }
            User user = found.get();
            PrintWriter out = spec.commandLine().getOut();
            out.println("id:       " + user.id());
            out.println("username: " + user.username());
            out.println("enabled:  " + user.enabled());
            out.println("roles:    " + (user.roles().isEmpty() ? "(none)" : String.join(" ", user.roles())));
            out.println("claims:" + (user.claims().isEmpty() ? "   (none)" : ""));
            new TreeMap<>(user.claims()).forEach((name, value) -> out.println("  " + name + ": " + value));
            out.println("links:" + (user.links().isEmpty() ? "    (none)" : ""));
            for (AccountLink link : user.links()) {
                out.println("  " + link.issuer() + " " + link.subject());
            }
            return 0;
        }
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true,
            description = "Set a user's password; ends their sessions and revokes their refresh tokens.")
    static final class SetPassword implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin PasswordInput passwordInput;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "USERNAME") String username;

        @Override
        public Integer call() {
            char[] password = passwordInput.read(spec.commandLine(), store.passwordRules());
            String hash = new Argon2idPasswordHasher().hash(password);
            java.util.Arrays.fill(password, '\0');
            return update(store, spec, username, (accounts, user) -> accounts.changePassword(user, hash),
                    "password changed for ");
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable a user: ends their sessions and revokes their refresh tokens; sign-in, refresh and "
                    + "userinfo stop working for them.")
    static final class Disable implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "USERNAME") String username;

        @Override
        public Integer call() {
            return update(store, spec, username, AccountService::disable, "disabled user ");
        }
    }

    /** Changes the user and ends what they had signed in to (sessions, refresh token families). */
    private static int update(StoreOptions store, CommandLine.Model.CommandSpec spec, String username,
                              BiFunction<AccountService, User, AccountService.Ended> change, String done) {
        AccountService.Ended ended;
        try (Database database = StoreWiring.open(store.storage())) {
            Stores stores = StoreWiring.jdbc(database);
            Optional<User> user = stores.users().findByUsername(username);
            if (user.isEmpty()) {
                spec.commandLine().getErr().println("tessera: no user " + username);
                return 1;
            }
            ended = change.apply(new AccountService(stores, new Slf4jAuditLog(), Clock.systemUTC()), user.get());
        }
        spec.commandLine().getOut().println(done + username + "; ended " + plural(ended.sessions(), "session")
                + " and revoked " + plural(ended.grants(), "refresh token family", "refresh token families"));
        return 0;
    }

    private static String plural(int count, String one) {
        return plural(count, one, one + "s");
    }

    private static String plural(int count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }
}
