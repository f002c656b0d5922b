package dev.tessera.server.cli;

import dev.tessera.server.application.mfa.TotpEnrolment;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.bootstrap.TesseraApp;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.audit.Slf4jAuditLog;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tessera users totp enroll|remove USER}: the second factor (RFC 6238). Enrolling prints the otpauth URI
 * and a QR code for the user's authenticator app; the secret is sealed into the store with the key in
 * {@code keys.dir}.
 */
@Command(name = "totp", mixinStandardHelpOptions = true,
        description = "Manage a user's second factor: a TOTP authenticator app (RFC 6238).",
        subcommands = {TotpCommands.Enroll.class, TotpCommands.Remove.class})
final class TotpCommands implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = {"Give USER a new TOTP secret and print it as an otpauth:// URI and a QR code to scan.",
                    "From then on USER signs in with password and code. Treat the output like a password."})
    static final class Enroll implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "USER") String username;
        @Option(names = "--replace", description = "replace a secret USER already has") boolean replace;
        @Option(names = "--no-color", description = "draw the QR code without ANSI colours") boolean noColour;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Database database = StoreWiring.open(store.storage())) {
                Stores stores = StoreWiring.jdbc(database);
                Optional<User> user = stores.users().findByUsername(username);
                if (user.isEmpty()) {
                    spec.commandLine().getErr().println("tessera: no user " + username);
                    return 1;
                }
                TotpEnrolment enrolment = enrolment(store, stores);
                if (enrolment.isEnrolled(user.get()) && !replace) {
                    spec.commandLine().getErr().println("tessera: " + username
                            + " already has a TOTP secret; add --replace to give them a new one");
                    return 1;
                }
                TotpEnrolment.Offer offer = enrolment.enrolNow(user.get());
                out.println("Scan this QR code with the authenticator app of " + username + ":");
                out.println();
                out.print(TerminalQr.render(offer.keyUri(), !noColour));
                out.println();
                out.println("or enter the key by hand: " + grouped(offer.secret()));
                out.println("otpauth URI: " + offer.keyUri());
                out.println();
                out.println(username + " now signs in with password and a 6-digit code.");
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove USER's TOTP secret: they sign in with their password only (and can enrol again).")
    static final class Remove implements Callable<Integer> {
        @Mixin StoreOptions store;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "USER") String username;

        @Override
        public Integer call() {
            try (Database database = StoreWiring.open(store.storage())) {
                Stores stores = StoreWiring.jdbc(database);
                Optional<User> user = stores.users().findByUsername(username);
                if (user.isEmpty()) {
                    spec.commandLine().getErr().println("tessera: no user " + username);
                    return 1;
                }
                if (!enrolment(store, stores).remove(user.get())) {
                    spec.commandLine().getErr().println("tessera: " + username + " has no TOTP secret");
                    return 1;
                }
                spec.commandLine().getOut().println("removed the TOTP secret of " + username);
            }
            return 0;
        }
    }

    private static TotpEnrolment enrolment(StoreOptions store, Stores stores) {
        Slf4jAuditLog audit = new Slf4jAuditLog();
        Clock clock = Clock.systemUTC();
        // The same key as the server: the file's keys (keys.dir, or keys.encryptionKey in store mode), else dev's.
        var secrets = store.config().isPresent()
                ? TesseraApp.totpSecrets(store.config().get(), stores, audit, clock)
                : TesseraApp.totpSecrets(store.keysDir(), stores, audit, clock);
        return TesseraApp.totpEnrolment(secrets, stores, store.issuer(), audit, Metrics.NONE, clock);
    }

    /** Groups of four, as authenticator apps show keys; spaces are accepted when typed in. */
    static String grouped(String secret) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < secret.length(); i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(secret, i, Math.min(i + 4, secret.length()));
        }
        return out.toString();
    }
}
