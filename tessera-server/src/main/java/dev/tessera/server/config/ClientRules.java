package dev.tessera.server.config;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks on {@code clients[]}: identity, authentication, grants, redirect URIs, tokens and ID-JAG policy. */
final class ClientRules {
    static final Set<String> GRANT_TYPES = Set.of(ClientConfig.AUTHORIZATION_CODE, ClientConfig.REFRESH_TOKEN,
            ClientConfig.CLIENT_CREDENTIALS, ClientConfig.TOKEN_EXCHANGE, ClientConfig.JWT_BEARER);
    /** Grants that only a client able to authenticate may use, in the order their problems are reported. */
    static final List<String> CONFIDENTIAL_GRANTS = List.of(ClientConfig.CLIENT_CREDENTIALS,
            ClientConfig.TOKEN_EXCHANGE, ClientConfig.JWT_BEARER);
    /** The stored form of application.clientauth.ClientSecrets: a salt of 16+ bytes and a SHA-256, base64url. */
    private static final Pattern SECRET_HASH = Pattern.compile("sha256\\$[A-Za-z0-9_-]{16,}\\$[A-Za-z0-9_-]{43}");
    static final Set<String> SIGNING_ALGS = Set.of("RS256", "ES256", "PS256");

    private final TesseraConfig config;
    private final Problems problems;

    ClientRules(TesseraConfig config, Problems problems) {
        this.config = config;
        this.problems = problems;
    }

    /** Checks every client and returns them by id (the first of a repeated id), for references from elsewhere. */
    Map<String, ClientConfig> check() {
        List<ClientConfig> clients = config.clients();
        Map<String, ClientConfig> byId = new LinkedHashMap<>();
        for (ClientConfig client : clients) {
            if (client.id() != null) {
                byId.putIfAbsent(client.id(), client);
            }
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        String firstPairwise = null;
        for (int i = 0; i < clients.size(); i++) {
            ClientConfig client = clients.get(i);
            String path = Problems.element("clients", i);
            identity(client, path, i, firstIndex);
            checkOne(client, path, byId.keySet());
            if (client.isPairwise() && firstPairwise == null) {
                firstPairwise = path;
            }
        }
        String salt = config.subjects().pairwiseSalt();
        if (firstPairwise != null && (salt == null || salt.isBlank())) {
            problems.add("subjects.pairwiseSalt", "is required because " + firstPairwise + " is pairwise");
        }
        return byId;
    }

    /**
     * The rules of one client on its own, with key paths under {@code path} ("" gives {@code redirectUris[0]});
     * {@code tessera clients add} runs exactly these.
     */
    void checkOne(ClientConfig client, String path, Set<String> clientIds) {
        if (path.isEmpty() && (client.id() == null || client.id().isBlank())) {
            problems.add("id", "is required");
        }
        authentication(client, path);
        grants(client, path);
        redirects(client, path);
        tokens(client, path);
        idJag(client, path, clientIds);
    }

    private void identity(ClientConfig client, String path, int index, Map<String, Integer> firstIndex) {
        String idPath = Problems.child(path, "id");
        if (client.id() == null || client.id().isBlank()) {
            problems.add(idPath, "is required");
        } else {
            Integer earlier = firstIndex.putIfAbsent(client.id(), index);
            if (earlier != null) {
                problems.add(idPath, "is already used by clients[" + earlier + "]");
            }
        }
    }

    private void authentication(ClientConfig client, String path) {
        boolean hasSecret = client.secret() != null;
        boolean hasSecretHash = client.secretHash() != null;
        String methodPath = Problems.child(path, "tokenEndpointAuthMethod");
        Optional<Choices.AuthMethod> method = Choices.parse(Choices.AuthMethod.class, client.tokenEndpointAuthMethod());
        if (hasSecret && client.secret().isEmpty()) {
            problems.add(Problems.child(path, "secret"), "must not be empty");
        }
        if (hasSecretHash && client.secretHash().isBlank()) {
            problems.add(Problems.child(path, "secretHash"), "must not be empty");
        }
        if (method.isEmpty()) {
            problems.add(methodPath, Choices.mustBeOneOf(Choices.AuthMethod.class));
        }
        boolean none = method.equals(Optional.of(Choices.AuthMethod.NONE));
        if (client.publicClient()) {
            if (hasSecret || hasSecretHash) {
                problems.add(Problems.child(path, hasSecret ? "secret" : "secretHash"),
                        "a public client has no secret");
            }
            if (!none) {
                problems.add(methodPath, "must be none for a public client");
            }
            return;
        }
        if (none) {
            problems.add(methodPath, "none is only for public clients (set public: true)");
        }
        if (hasSecret && hasSecretHash) {
            problems.add(Problems.child(path, "secretHash"), "set only one of secret and secretHash");
        } else if (hasSecretHash && !client.secretHash().isBlank() && !SECRET_HASH.matcher(client.secretHash()).matches()) {
            // Anything else can never verify, so the client could not authenticate; a clear-text secret put
            // here by mistake would also sit in the store unhashed.
            problems.add(Problems.child(path, "secretHash"), "must be a client secret hash as Tessera writes it "
                    + "(sha256$<salt>$<hash>, base64url); set secret instead to have it hashed at startup");
        }
        if (method.map(Choices.AuthMethod::usesSecret).orElse(false) && !hasSecret && !hasSecretHash) {
            problems.add(Problems.child(path, "secret"), "a confidential client needs secret or secretHash");
        }
        keys(client, path, method.equals(Optional.of(Choices.AuthMethod.PRIVATE_KEY_JWT)));
    }

    // OIDC Core §9: a private_key_jwt client proves itself with its key pair alone. A secret beside the keys
    // would be a second way in that nobody checks, so one method means one kind of credential.
    private void keys(ClientConfig client, String path, boolean privateKeyJwt) {
        boolean hasUri = client.jwksUri() != null;
        boolean hasJwks = client.jwks() != null;
        String uriPath = Problems.child(path, "jwksUri");
        String jwksPath = Problems.child(path, "jwks");
        if (!privateKeyJwt) {
            if (hasUri || hasJwks) {
                problems.add(hasUri ? uriPath : jwksPath, "is only used with tokenEndpointAuthMethod: private_key_jwt");
            }
            return;
        }
        if (client.secret() != null || client.secretHash() != null) {
            problems.add(Problems.child(path, client.secret() != null ? "secret" : "secretHash"),
                    "a private_key_jwt client authenticates with its keys; remove the secret");
        }
        if (hasUri == hasJwks) {
            problems.add(uriPath, hasUri ? "set only one of jwksUri and jwks"
                    : "a private_key_jwt client needs jwksUri or jwks (its public keys)");
        }
        if (hasUri) {
            Optional<URI> uri = UriRules.absolute(client.jwksUri());
            if (uri.isEmpty() || !UriRules.isHttpUrl(uri.get()) || !UriRules.isSecureOrLoopback(uri.get())
                    || uri.get().getRawFragment() != null) {
                problems.add(uriPath, "must be an absolute https URL without a fragment (http only on a loopback host)");
            }
        }
        if (hasJwks) {
            ClientKeyRules.check(client.jwks(), jwksPath, problems);
        }
    }

    private void grants(ClientConfig client, String path) {
        String grantsPath = Problems.child(path, "grantTypes");
        List<String> grants = client.grantTypes();
        if (grants.isEmpty()) {
            problems.add(grantsPath, "must list at least one grant type");
        }
        for (int k = 0; k < grants.size(); k++) {
            if (!GRANT_TYPES.contains(grants.get(k))) {
                problems.add(Problems.element(grantsPath, k), "must be authorization_code, refresh_token, "
                        + "client_credentials, urn:ietf:params:oauth:grant-type:token-exchange or "
                        + "urn:ietf:params:oauth:grant-type:jwt-bearer");
            }
        }
        if (client.publicClient() && !client.requirePkce()) {
            // RFC 9700 §2.1.1: public clients cannot protect their code any other way.
            problems.add(Problems.child(path, "requirePkce"), "a public client must use PKCE");
        }
        for (String grant : CONFIDENTIAL_GRANTS) {
            // RFC 6749 §4.4 (client_credentials); SPEC §6 (token exchange, jwt-bearer): the server would refuse
            // every such request from a public client with unauthorized_client.
            if (client.publicClient() && grants.contains(grant)) {
                problems.add(grantsPath, "a public client may not use " + grant);
            }
        }
        if (grants.contains(ClientConfig.AUTHORIZATION_CODE) && client.redirectUris().isEmpty()) {
            problems.add(Problems.child(path, "redirectUris"), "authorization_code needs at least one redirect URI");
        }
        List<String> scopes = client.scopes();
        for (int k = 0; k < scopes.size(); k++) {
            if (!isScopeToken(scopes.get(k))) {
                problems.add(Problems.element(Problems.child(path, "scopes"), k),
                        "must be a scope token (RFC 6749 section 3.3: printable ASCII without spaces, quotes or backslashes)");
            }
        }
        nonBlankEntries(Problems.child(path, "audience"), client.audience());
        nonBlankEntries(Problems.child(path, "claims"), client.claims());
        if (Choices.parse(Choices.Consent.class, client.consent()).isEmpty()) {
            problems.add(Problems.child(path, "consent"), Choices.mustBeOneOf(Choices.Consent.class));
        }
    }

    private void redirects(ClientConfig client, String path) {
        uriList(Problems.child(path, "redirectUris"), client.redirectUris());
        uriList(Problems.child(path, "postLogoutRedirectUris"), client.postLogoutRedirectUris());
        String subjectPath = Problems.child(path, "subjectType");
        if (Choices.parse(Choices.SubjectType.class, client.subjectType()).isEmpty()) {
            problems.add(subjectPath, Choices.mustBeOneOf(Choices.SubjectType.class));
        }
        String sectorPath = Problems.child(path, "sectorIdentifierUri");
        if (client.sectorIdentifierUri() != null) {
            Optional<URI> sector = UriRules.absolute(client.sectorIdentifierUri());
            if (!client.isPairwise()) {
                problems.add(sectorPath, "is only used with subjectType: pairwise");
            } else if (sector.isEmpty() || !UriRules.isSecureOrLoopback(sector.get())
                    || sector.get().getRawFragment() != null) {
                // Loopback http passes here for tests; the server itself fetches sector documents over https only.
                problems.add(sectorPath, "must be an absolute https URL without a fragment");
            }
        } else if (client.isPairwise() && UriRules.hosts(client.redirectUris()).size() > 1) {
            // OIDC Core §8.1: without a sector identifier URI the sector is the redirect URIs' one host.
            problems.add(Problems.child(path, "redirectUris"), "a pairwise client's redirect URIs must share one host,"
                    + " or set sectorIdentifierUri to a document listing them all");
        }
    }

    private void uriList(String listPath, List<String> uris) {
        for (int k = 0; k < uris.size(); k++) {
            String problem = UriRules.redirectUriProblem(uris.get(k));
            if (problem != null) {
                problems.add(Problems.element(listPath, k), problem);
            }
        }
    }

    private void tokens(ClientConfig client, String path) {
        if (client.accessTokenTtl() != null) {
            ConfigValidator.positive(Problems.child(path, "accessTokenTtl"), client.accessTokenTtl(), problems);
        }
        if (client.idTokenTtl() != null) {
            ConfigValidator.positive(Problems.child(path, "idTokenTtl"), client.idTokenTtl(), problems);
        }
        if (client.accessTokenFormat() != null) {
            ConfigValidator.accessTokenFormat(Problems.child(path, "accessTokenFormat"), client.accessTokenFormat(),
                    problems);
        }
        if (!SIGNING_ALGS.contains(client.idTokenSigningAlg())) {
            problems.add(Problems.child(path, "idTokenSigningAlg"), "must be RS256, ES256 or PS256");
        }
        if (!SIGNING_ALGS.contains(client.accessTokenSigningAlg())) {
            problems.add(Problems.child(path, "accessTokenSigningAlg"), "must be RS256, ES256 or PS256");
        }
        encryption(client.idTokenEncryption(), Problems.child(path, "idTokenEncryption"));
        // OIDC Core §5.3.2: a signed userinfo answer; encrypting it needs the signature first (SPEC §2: nested JWT).
        if (client.userinfoSignedResponseAlg() != null && !SIGNING_ALGS.contains(client.userinfoSignedResponseAlg())) {
            problems.add(Problems.child(path, "userinfoSignedResponseAlg"), "must be RS256, ES256 or PS256");
        }
        if (client.userinfoEncryption() != null && client.userinfoSignedResponseAlg() == null) {
            problems.add(Problems.child(path, "userinfoEncryption"),
                    "encrypts the signed userinfo answer; set userinfoSignedResponseAlg too");
        }
        encryption(client.userinfoEncryption(), Problems.child(path, "userinfoEncryption"));
    }

    // idTokenEncryption and userinfoEncryption share one shape and one set of rules.
    private void encryption(ResponseEncryptionConfig encryption, String encPath) {
        if (encryption == null) {
            return;
        }
        if (!ResponseEncryptionConfig.ALGS.contains(encryption.alg())) {
            problems.add(Problems.child(encPath, "alg"), Choices.mustBeOneOf(ResponseEncryptionConfig.ALGS));
        }
        if (!ResponseEncryptionConfig.ENCS.contains(encryption.enc())) {
            problems.add(Problems.child(encPath, "enc"), Choices.mustBeOneOf(ResponseEncryptionConfig.ENCS));
        }
        Optional<URI> jwks = UriRules.absolute(encryption.jwksUri());
        if (encryption.jwksUri() == null || encryption.jwksUri().isBlank()) {
            problems.add(Problems.child(encPath, "jwksUri"), "is required");
        } else if (jwks.isEmpty() || !UriRules.isSecureOrLoopback(jwks.get())) {
            problems.add(Problems.child(encPath, "jwksUri"),
                    "must be an absolute https URL (http only on a loopback host)");
        }
    }

    private void idJag(ClientConfig client, String path, Set<String> clientIds) {
        Set<String> audiences = new HashSet<>();
        List<IdJagConfig> entries = client.idJag();
        if (!entries.isEmpty()) {
            // SPEC §6: ID-JAGs come only from a token exchange, so a policy the server can never apply is a mistake.
            String policyPath = Problems.child(path, "idJag");
            if (!client.grantTypes().contains(ClientConfig.TOKEN_EXCHANGE)) {
                problems.add(policyPath, "ID-JAGs are issued by token exchange; add "
                        + ClientConfig.TOKEN_EXCHANGE + " to this client's grantTypes");
            }
            if (!config.tokenExchange().issuesIdJag()) {
                problems.add(policyPath, "ID-JAGs are not issued unless tokenExchange.tokenTypes lists "
                        + TokenExchangeConfig.ID_JAG);
            }
        }
        for (int j = 0; j < entries.size(); j++) {
            IdJagConfig entry = entries.get(j);
            String entryPath = Problems.element(Problems.child(path, "idJag"), j);
            String audiencePath = Problems.child(entryPath, "audience");
            if (entry.audience() == null || entry.audience().isBlank()) {
                problems.add(audiencePath, "is required");
            } else if (UriRules.absolute(entry.audience()).isEmpty()
                    || UriRules.absolute(entry.audience()).get().getRawFragment() != null) {
                problems.add(audiencePath, "must be an absolute URI without a fragment (the authorization server's issuer)");
            } else if (!audiences.add(entry.audience())) {
                problems.add(audiencePath, "is listed twice for this client");
            }
            if (entry.clientId() != null && entry.clientId().isBlank()) {
                problems.add(Problems.child(entryPath, "clientId"), "must not be empty (leave it out to use this client's id)");
            }
            List<String> scopes = entry.scopes();
            for (int k = 0; k < scopes.size(); k++) {
                if (!isScopeToken(scopes.get(k))) {
                    problems.add(Problems.element(Problems.child(entryPath, "scopes"), k),
                            "must be a scope token (RFC 6749 section 3.3)");
                }
            }
            List<String> resources = entry.resources();
            for (int k = 0; k < resources.size(); k++) {
                Optional<URI> resource = UriRules.absolute(resources.get(k));
                // RFC 8707 §2: an absolute URI without a fragment.
                if (resource.isEmpty() || resource.get().getRawFragment() != null) {
                    problems.add(Problems.element(Problems.child(entryPath, "resources"), k),
                            "must be an absolute URI without a fragment (RFC 8707)");
                }
            }
            if (entry.ssoClient() != null && !clientIds.contains(entry.ssoClient())) {
                problems.add(Problems.child(entryPath, "ssoClient"), "no client has this id");
            }
        }
    }

    private void nonBlankEntries(String listPath, List<String> values) {
        for (int k = 0; k < values.size(); k++) {
            if (values.get(k).isBlank()) {
                problems.add(Problems.element(listPath, k), "must not be empty");
            }
        }
    }

    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    static boolean isScopeToken(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
