package dev.tessera.server.application.discovery;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.clientauth.ClientAssertionVerifier;
import dev.tessera.server.application.issue.ClaimsAssembler;
import dev.tessera.server.application.port.KeyRingSource;
import dev.tessera.server.application.token.Grants;
import dev.tessera.server.domain.authz.AuthenticationLevels;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OIDC Discovery 1.0 / RFC 8414 metadata. Every value is derived from what runs: grant types from the
 * registered grants, algorithms from the key ring, so the document cannot drift from the server.
 */
public final class DiscoveryDocument {
    private static final List<String> SCOPES = List.of("openid", "profile", "email", "address", "phone", "offline_access");

    private final ServerSettings settings;
    private final Grants grants;
    private final KeyRingSource keys;
    private final AuthenticationLevels levels;
    private final Clock clock;
    private final VerifiedClaimsCatalog verifiedClaims;
    private final Encryption encryption;

    /**
     * The JWE algorithms ResponseEncrypter serves for any client that registers them; the configuration's list of
     * what a client may register, handed over by the composition root so that the two cannot differ.
     */
    public record Encryption(List<String> algs, List<String> encs) {
        public Encryption {
            algs = List.copyOf(algs);
            encs = List.copyOf(encs);
        }
    }

    public DiscoveryDocument(ServerSettings settings, Grants grants, KeyRingSource keys, AuthenticationLevels levels,
                             Clock clock, VerifiedClaimsCatalog verifiedClaims, Encryption encryption) {
        this.verifiedClaims = verifiedClaims;
        this.encryption = encryption;
        this.settings = settings;
        this.grants = grants;
        this.keys = keys;
        this.levels = levels;
        this.clock = clock;
    }

    public Map<String, Object> metadata() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", settings.issuer());
        doc.put("authorization_endpoint", settings.endpoint("/authorize"));
        doc.put("token_endpoint", settings.endpoint("/token"));
        doc.put("userinfo_endpoint", settings.endpoint("/userinfo"));
        doc.put("jwks_uri", settings.endpoint("/.well-known/jwks.json"));
        doc.put("introspection_endpoint", settings.endpoint("/introspect"));
        doc.put("revocation_endpoint", settings.endpoint("/revoke"));
        doc.put("end_session_endpoint", settings.endpoint("/logout"));
        doc.put("scopes_supported", SCOPES);
        doc.put("response_types_supported", List.of("code"));
        doc.put("response_modes_supported", List.of("query", "form_post"));
        doc.put("grant_types_supported", List.copyOf(grants.types()));
        doc.put("subject_types_supported", List.of("public", "pairwise"));
        List<String> algorithms = signingAlgorithms();
        doc.put("id_token_signing_alg_values_supported", algorithms);
        doc.put("id_token_encryption_alg_values_supported", encryption.algs());
        doc.put("id_token_encryption_enc_values_supported", encryption.encs());
        // OIDC Discovery §3: a signed userinfo answer uses the same key ring, so the same algorithms.
        doc.put("userinfo_signing_alg_values_supported", algorithms);
        doc.put("userinfo_encryption_alg_values_supported", encryption.algs());
        doc.put("userinfo_encryption_enc_values_supported", encryption.encs());
        // OIDC Discovery §3, RFC 8414 §2: private_key_jwt and the algorithms its assertions may use, per endpoint.
        List<String> assertionAlgorithms = ClientAssertionVerifier.ALGORITHMS;
        doc.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none"));
        doc.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        doc.put("introspection_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
        doc.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        doc.put("revocation_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none"));
        doc.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        doc.put("code_challenge_methods_supported", List.of("S256"));
        Set<String> claims = new LinkedHashSet<>(List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce",
                "acr", "amr", "azp", "at_hash", "sid"));
        claims.addAll(ClaimsAssembler.STANDARD_CLAIMS);
        VerifiedClaimsCatalog.Offer verified = verifiedClaims.current();
        if (verified.supported()) {
            claims.add("verified_claims");
        }
        doc.put("claims_supported", List.copyOf(claims));
        doc.put("acr_values_supported", levels.values()); // OIDC Discovery §3: acr.levels, weakest first
        doc.put("claims_parameter_supported", true); // id_token and userinfo members, stored with the grant
        putVerifiedClaims(doc, verified);
        doc.put("request_parameter_supported", false);
        doc.put("request_uri_parameter_supported", false);
        doc.put("authorization_response_iss_parameter_supported", true);
        doc.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        grants.metadata().forEach(doc::putIfAbsent);
        return doc;
    }

    // OIDC4IDA §7 (discovery): advertised from what users actually carry, never a fixed list.
    private static void putVerifiedClaims(Map<String, Object> doc, VerifiedClaimsCatalog.Offer offer) {
        doc.put("verified_claims_supported", offer.supported());
        if (!offer.supported()) {
            return;
        }
        doc.put("trust_frameworks_supported", List.copyOf(offer.trustFrameworks()));
        doc.put("evidence_supported", List.copyOf(offer.evidenceTypes()));
        if (!offer.documentTypes().isEmpty()) {
            doc.put("documents_supported", List.copyOf(offer.documentTypes()));
        }
        doc.put("claims_in_verified_claims_supported", List.copyOf(offer.claims()));
    }

    private List<String> signingAlgorithms() {
        List<String> names = new ArrayList<>();
        for (JWSAlgorithm algorithm : keys.current().activeAlgorithms(clock.instant())) {
            names.add(algorithm.getName());
        }
        return names;
    }
}
