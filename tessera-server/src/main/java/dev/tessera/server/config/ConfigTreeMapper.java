package dev.tessera.server.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps the parsed YAML tree onto the records by hand, one section per method. Each method reads exactly the
 * keys SPEC §2 defines, so anything else is an unknown key; absent values become null and the records'
 * constructors apply the defaults.
 */
final class ConfigTreeMapper {
    private final Problems problems;
    private final EnvironmentExpansion expansion;

    ConfigTreeMapper(Problems problems, EnvironmentExpansion expansion) {
        this.problems = problems;
        this.expansion = expansion;
    }

    TesseraConfig map(JsonNode root) {
        YamlMapping top = new YamlMapping(root, "", problems, expansion);
        TesseraConfig config = new TesseraConfig(
                top.string("issuer"),
                top.mapping("http").map(this::http).orElse(null),
                top.mapping("metrics").map(this::metrics).orElse(null),
                top.mapping("storage").map(this::storage).orElse(null),
                top.mapping("keys").map(this::keys).orElse(null),
                top.mapping("tokens").map(this::tokens).orElse(null),
                top.mapping("subjects").map(this::subjects).orElse(null),
                top.mapping("registration").map(this::registration).orElse(null),
                top.mapping("tokenExchange").map(this::tokenExchange).orElse(null),
                each(top.mappings("trustedIssuers"), this::trustedIssuer),
                each(top.mappings("clients"), this::client),
                each(top.mappings("users"), this::user),
                top.mapping("sessions").map(this::sessions).orElse(null),
                top.mapping("passwords").map(this::passwords).orElse(null),
                top.mapping("acr").map(this::acr).orElse(null));
        top.rejectUnknownKeys();
        return config;
    }

    private HttpConfig http(YamlMapping m) {
        HttpConfig http = new HttpConfig(m.string("host", HttpConfig.DEFAULT_HOST),
                m.integer("port", HttpConfig.DEFAULT_PORT), m.strings("trustedProxies", List.of()),
                m.duration("shutdownGrace", HttpConfig.DEFAULT_SHUTDOWN_GRACE));
        m.rejectUnknownKeys();
        return http;
    }

    private MetricsConfig metrics(YamlMapping m) {
        MetricsConfig defaults = MetricsConfig.defaults();
        MetricsConfig metrics = new MetricsConfig(m.string("host", defaults.host()), m.integer("port", defaults.port()));
        m.rejectUnknownKeys();
        return metrics;
    }

    private SessionsConfig sessions(YamlMapping m) {
        SessionsConfig sessions = new SessionsConfig(
                m.duration("idleTimeout", SessionsConfig.DEFAULT_IDLE_TIMEOUT),
                m.duration("maxLifetime", SessionsConfig.DEFAULT_MAX_LIFETIME));
        m.rejectUnknownKeys();
        return sessions;
    }

    private PasswordsConfig passwords(YamlMapping m) {
        PasswordsConfig passwords = new PasswordsConfig(m.integer("minLength", PasswordsConfig.DEFAULT_MIN_LENGTH));
        m.rejectUnknownKeys();
        return passwords;
    }

    private AcrConfig acr(YamlMapping m) {
        AcrConfig acr = new AcrConfig(m.strings("levels", AcrConfig.DEFAULT_LEVELS));
        m.rejectUnknownKeys();
        return acr;
    }

    private StorageConfig storage(YamlMapping m) {
        StorageConfig storage = new StorageConfig(m.string("type", StorageConfig.H2),
                m.filePath("path", StorageConfig.DEFAULT_H2_PATH), m.string("url"), m.string("username"),
                m.string("password"), m.integer("poolSize", StorageConfig.DEFAULT_POOL_SIZE),
                m.duration("connectionTimeout", StorageConfig.DEFAULT_CONNECTION_TIMEOUT));
        m.rejectUnknownKeys();
        return storage;
    }

    private KeysConfig keys(YamlMapping m) {
        KeysConfig defaults = KeysConfig.defaults();
        KeysConfig keys = new KeysConfig(m.filePath("dir", defaults.dir()), m.bool("generate", defaults.generate()),
                m.string("provider", defaults.provider()), m.string("source", KeysConfig.SOURCE_DIRECTORY),
                m.string("encryptionKey"), m.mapping("rotation").map(this::rotation).orElse(null),
                m.duration("reloadInterval", null));
        m.rejectUnknownKeys();
        return keys;
    }

    private KeyRotationConfig rotation(YamlMapping m) {
        KeyRotationConfig rotation = new KeyRotationConfig(m.duration("every", KeyRotationConfig.DEFAULT_EVERY),
                m.duration("prePublish", KeyRotationConfig.DEFAULT_PRE_PUBLISH));
        m.rejectUnknownKeys();
        return rotation;
    }

    private TokensConfig tokens(YamlMapping m) {
        TokensConfig d = TokensConfig.defaults();
        TokensConfig tokens = new TokensConfig(
                m.duration("accessTokenTtl", d.accessTokenTtl()),
                m.duration("idTokenTtl", d.idTokenTtl()),
                m.duration("refreshTokenTtl", d.refreshTokenTtl()),
                m.duration("refreshTokenMaxTtl", d.refreshTokenMaxTtl()),
                m.duration("authorizationCodeTtl", d.authorizationCodeTtl()),
                m.duration("idJagTtl", d.idJagTtl()),
                m.duration("refreshTokenReuseGrace", d.refreshTokenReuseGrace()),
                m.string("accessTokenFormat", d.accessTokenFormat()));
        m.rejectUnknownKeys();
        return tokens;
    }

    private SubjectsConfig subjects(YamlMapping m) {
        SubjectsConfig subjects = new SubjectsConfig(m.string("pairwiseSalt"));
        m.rejectUnknownKeys();
        return subjects;
    }

    private RegistrationConfig registration(YamlMapping m) {
        RegistrationConfig registration = new RegistrationConfig(m.bool("enabled", false));
        m.rejectUnknownKeys();
        return registration;
    }

    private TokenExchangeConfig tokenExchange(YamlMapping m) {
        TokenExchangeConfig exchange = new TokenExchangeConfig(m.strings("tokenTypes", List.of()));
        m.rejectUnknownKeys();
        return exchange;
    }

    private TrustedIssuerConfig trustedIssuer(YamlMapping m) {
        TrustedIssuerConfig issuer = new TrustedIssuerConfig(m.string("issuer"), m.string("jwksUri"),
                m.duration("maxAssertionLifetime", TrustedIssuerConfig.DEFAULT_MAX_ASSERTION_LIFETIME),
                m.strings("allowedClients", List.of()));
        m.rejectUnknownKeys();
        return issuer;
    }

    private ClientConfig client(YamlMapping m) {
        ClientConfig client = ClientConfig.builder(m.string("id"))
                .name(m.string("name"))
                .secret(m.string("secret"))
                .secretHash(m.string("secretHash"))
                .publicClient(m.bool("public", false))
                .redirectUris(m.strings("redirectUris", null))
                .postLogoutRedirectUris(m.strings("postLogoutRedirectUris", null))
                .grantTypes(m.strings("grantTypes", null))
                .scopes(m.strings("scopes", null))
                .tokenEndpointAuthMethod(m.string("tokenEndpointAuthMethod"))
                .jwksUri(m.string("jwksUri"))
                .jwks(m.anyValue("jwks"))
                .audience(m.strings("audience", null))
                .claims(m.strings("claims", null))
                .consent(m.string("consent"))
                .accessTokenTtl(m.duration("accessTokenTtl", null))
                .idTokenTtl(m.duration("idTokenTtl", null))
                .subjectType(m.string("subjectType"))
                .sectorIdentifierUri(m.string("sectorIdentifierUri"))
                .idTokenSigningAlg(m.string("idTokenSigningAlg"))
                .accessTokenSigningAlg(m.string("accessTokenSigningAlg"))
                .idTokenEncryption(m.mapping("idTokenEncryption").map(this::encryption).orElse(null))
                .userinfoSignedResponseAlg(m.string("userinfoSignedResponseAlg"))
                .userinfoEncryption(m.mapping("userinfoEncryption").map(this::encryption).orElse(null))
                .introspect(m.bool("introspect", false))
                .idJag(each(m.mappings("idJag"), this::idJag))
                .accessTokenFormat(m.string("accessTokenFormat"))
                .requirePkce(m.bool("requirePkce", true))
                .build();
        m.rejectUnknownKeys();
        return client;
    }

    private ResponseEncryptionConfig encryption(YamlMapping m) {
        ResponseEncryptionConfig encryption = new ResponseEncryptionConfig(m.string("alg"), m.string("enc"),
                m.string("jwksUri"));
        m.rejectUnknownKeys();
        return encryption;
    }

    private IdJagConfig idJag(YamlMapping m) {
        IdJagConfig idJag = new IdJagConfig(m.string("audience"), m.string("clientId"),
                m.strings("scopes", List.of()), m.strings("resources", List.of()), m.string("ssoClient"),
                m.bool("email", false));
        m.rejectUnknownKeys();
        return idJag;
    }

    private UserConfig user(YamlMapping m) {
        UserConfig user = UserConfig.builder(m.string("username"))
                .id(m.string("id"))
                .password(m.string("password"))
                .passwordHash(m.string("passwordHash"))
                .roles(m.strings("roles", List.of()))
                .claims(m.freeForm("claims"))
                .verifiedClaims(m.anyValue("verifiedClaims"))
                .links(each(m.mappings("links"), this::link))
                .totpSecret(m.mapping("totp").map(this::totpSecret).orElse(null))
                .build();
        m.rejectUnknownKeys();
        return user;
    }

    private String totpSecret(YamlMapping m) {
        String secret = m.string("secret");
        m.rejectUnknownKeys();
        return secret;
    }

    private AccountLinkConfig link(YamlMapping m) {
        AccountLinkConfig link = new AccountLinkConfig(m.string("issuer"), m.string("subject"));
        m.rejectUnknownKeys();
        return link;
    }

    private static <T> List<T> each(List<YamlMapping> mappings, java.util.function.Function<YamlMapping, T> mapper) {
        List<T> result = new ArrayList<>(mappings.size());
        for (YamlMapping mapping : mappings) {
            result.add(mapper.apply(mapping));
        }
        return result;
    }
}
