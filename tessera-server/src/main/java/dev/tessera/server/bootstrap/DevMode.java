package dev.tessera.server.bootstrap;

import dev.tessera.server.application.clientauth.ClientSecrets;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.ConfigValidator;
import dev.tessera.server.config.HttpConfig;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.config.RegistrationConfig;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.client.Client;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code serve --dev}: a zero-config server on loopback with an embedded store in ./data/dev, dev keys in
 * ./keys/dev, and a demo client and user whose credentials are new on every start and printed once, with an
 * authorize URL (PKCE included) ready to paste into a browser. Self-service sign-up (/register) is on. The store and keys are its own: a production
 * {@code serve --config} never picks up printed credentials or generated keys by default, and refuses a
 * store that holds the demo client ({@link #requireNoDevClient}).
 */
public final class DevMode {
    public static final String DEMO_CLIENT = "demo-app";
    public static final String DEMO_USER = "demo";
    public static final StorageConfig STORAGE = StorageConfig.h2(Path.of("./data/dev/tessera"));
    public static final Path KEY_DIR = Path.of("./keys/dev");
    /** The demo client's redirect URI: the dev-only callback page on a loopback issuer. */
    private static final Pattern DEV_CALLBACK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/dev/callback");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TesseraConfig config;
    private final String clientSecret;
    private final String userPassword;
    private final String codeVerifier;

    private DevMode(TesseraConfig config, String clientSecret, String userPassword, String codeVerifier) {
        this.config = config;
        this.clientSecret = clientSecret;
        this.userPassword = userPassword;
        this.codeVerifier = codeVerifier;
    }

    public static DevMode prepare(int port) {
        String issuer = "http://127.0.0.1:" + port;
        String secret = ClientSecrets.generate();
        String password = randomWords();
        ClientConfig client = ClientConfig.builder(DEMO_CLIENT).name("Demo App").secret(secret)
                .redirectUris(List.of(callback(issuer)))
                .grantTypes(List.of("authorization_code", "refresh_token", "client_credentials"))
                // api.read: what examples/resource-api requires of a client_credentials token
                .scopes(List.of("openid", "profile", "email", "offline_access", "api.read"))
                .build();
        UserConfig user = UserConfig.builder(DEMO_USER).password(password)
                .claims(Map.of("name", "Demo User", "given_name", "Demo", "family_name", "User",
                        "email", "demo@example.com", "email_verified", true, "preferred_username", DEMO_USER))
                .build();
        TesseraConfig config = ConfigValidator.requireValid(TesseraConfig.defaults(issuer)
                .withHttp(new HttpConfig("127.0.0.1", port))
                .withStorage(STORAGE)
                .withKeys(KeysConfig.defaults().withDir(KEY_DIR).withGenerate(true))
                .withClients(List.of(client))
                .withUsers(List.of(user))
                // On loopback only, so a newcomer can try sign-up; production keeps it off unless configured.
                .withRegistration(new RegistrationConfig(true)));
        return new DevMode(config, secret, password, ClientSecrets.generate());
    }

    /**
     * The demo client as every version of dev mode registered it: id {@value #DEMO_CLIENT} and only the
     * dev-only {@code /dev/callback} page of a loopback issuer as redirect URI, a page production never serves.
     */
    public static boolean isDevClient(Client client) {
        List<String> redirects = client.redirectUris().registered();
        return DEMO_CLIENT.equals(client.id()) && !redirects.isEmpty()
                && redirects.stream().allMatch(uri -> DEV_CALLBACK.matcher(uri).matches());
    }

    /**
     * For a production start: a store that holds the demo client was used by {@code serve --dev}, whose
     * client secret and user password were printed to a terminal.
     *
     * @throws IllegalStateException saying how to go on
     */
    public static void requireNoDevClient(ClientStore clients, String store) {
        if (clients.find(DEMO_CLIENT).filter(DevMode::isDevClient).isPresent()) {
            throw new IllegalStateException("the store " + store + " holds the demo client " + DEMO_CLIENT
                    + " of serve --dev, whose credentials were printed; it is not a production store. Point storage"
                    + " at a fresh store, or remove the demo client and disable the demo user: `tessera clients remove "
                    + DEMO_CLIENT + " --config FILE` and `tessera users disable " + DEMO_USER + " --config FILE`"
                    + " (serve --dev now keeps its own store in ./data/dev)");
        }
    }

    public TesseraConfig config() {
        return config;
    }

    /** The redirect URI of the demo client: a dev-only page of Tessera that shows the code and the next step. */
    public static String callback(String issuer) {
        return issuer + "/dev/callback";
    }

    public String codeVerifier() {
        return codeVerifier;
    }

    public void printWelcome(PrintWriter out, int port) {
        String issuer = config.issuer();
        String authorize = issuer + "/authorize?response_type=code&client_id=" + DEMO_CLIENT
                + "&redirect_uri=" + enc(callback(issuer)) + "&scope=" + enc("openid profile email offline_access")
                + "&state=" + ClientSecrets.generate().substring(0, 12)
                + "&code_challenge=" + s256(codeVerifier) + "&code_challenge_method=S256";
        out.println();
        out.println("Tessera is running in DEVELOPMENT mode on " + issuer + " (store " + STORAGE.path().getParent()
                + ", keys " + KEY_DIR + ").");
        out.println("Do not use --dev in production: credentials below change on every start.");
        out.println();
        out.println("  demo client   client_id=" + DEMO_CLIENT + "  client_secret=" + clientSecret);
        out.println("  demo user     username=" + DEMO_USER + "  password=" + userPassword);
        out.println("  PKCE          code_verifier=" + codeVerifier);
        out.println();
        out.println("Open this URL in a browser and sign in as the demo user:");
        out.println();
        out.println("  " + authorize);
        out.println();
        out.println("Create more users at " + issuer + "/register (sign-up is on in dev mode).");
        out.println("Discovery: " + issuer + "/.well-known/openid-configuration");
        out.flush();
    }

    /** The demo user's password, printed at start like the client secret. */
    public String userPassword() {
        return userPassword;
    }

    public String clientSecret() {
        return clientSecret;
    }

    private static String randomWords() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
