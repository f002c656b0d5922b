package dev.tessera.examples.resourceapi;

import java.io.PrintStream;

/** Starts the example API from environment variables and system properties; runs until interrupted. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            usage(System.out);
            System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
        }
        ResourceApiSettings settings;
        try {
            settings = ResourceApiSettings.fromEnvironment();
        } catch (IllegalArgumentException badSetting) {
            System.err.println("resource-api: " + badSetting.getMessage());
            System.exit(2);
            return;
        }
        ResourceApi api = ResourceApi.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "resource-api-shutdown"));
        String checking = settings.introspection() == null
                ? "JWT access tokens, verified offline with the keys of " + settings.issuer()
                : "tokens introspected at " + settings.introspection().endpoint() + " as client "
                        + settings.introspection().clientId();
        System.out.println("Protected API on http://" + settings.host() + ":" + api.port() + ResourceApi.PROTECTED_PATH);
        System.out.println("  accepts   " + checking);
        System.out.println("  audience  " + String.join(" or ", settings.audiences()));
        System.out.println("  scope     " + String.join(" ", settings.requiredScopes()));
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage: run.sh   (configured by environment variables; -Dlower.case.name works too)

                  TESSERA_ISSUER          issuer to trust                 default http://127.0.0.1:8080
                  API_HOST, API_PORT      where the API listens           default 127.0.0.1, 9090
                  API_AUDIENCE            accepted aud values (comma)     default demo-app
                  API_SCOPE               required scopes (space)         default api.read
                  TESSERA_INTROSPECTION   true: introspect opaque tokens  default false
                  TESSERA_CLIENT_ID       the API's client at Tessera     default demo-app
                  TESSERA_CLIENT_SECRET   its secret (introspection only)
                  TESSERA_INTROSPECTION_ENDPOINT        default <issuer>/introspect
                  TESSERA_INTROSPECTION_CACHE_SECONDS   default 30 (a revoked token may pass this long)""");
    }
}
