package dev.tessera.resourceserver;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code jwks_uri} in the issuer's metadata on first use, then reads the JWKS from there.
 * Sits below Nimbus's cache and rate limiter, so a failing discovery is retried no more often than
 * a JWKS fetch. The hazard it guards against: metadata naming another issuer (OIDC Discovery §4.3,
 * RFC 8414 §3.3) would let that issuer's keys sign tokens we accept.
 */
final class IssuerMetadataJwksSource implements JWKSetSource<SecurityContext> {
    private static final System.Logger LOG = System.getLogger(IssuerMetadataJwksSource.class.getName());

    private final String issuer;
    private final ResourceRetriever retriever;
    private final boolean allowPlainHttp;
    private volatile JWKSetSource<SecurityContext> jwksSource;

    IssuerMetadataJwksSource(String issuer, ResourceRetriever retriever, boolean allowPlainHttp) {
        this.issuer = issuer;
        this.retriever = retriever;
        this.allowPlainHttp = allowPlainHttp;
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
            throws KeySourceException {
        return resolvedSource().getJWKSet(refreshEvaluator, currentTime, context);
    }

    private synchronized JWKSetSource<SecurityContext> resolvedSource() throws KeySourceException {
        if (jwksSource == null) {
            URI jwksUri = discoverJwksUri();
            try {
                jwksSource = new URLBasedJWKSetSource<>(jwksUri.toURL(), retriever);
            } catch (IOException badUrl) {
                throw new JWKSetUnavailableException("jwks_uri is not a URL", badUrl);
            }
        }
        return jwksSource;
    }

    private URI discoverJwksUri() throws KeySourceException {
        KeySourceException last = null;
        for (URI metadataUri : metadataLocations(issuer)) {
            Map<String, Object> metadata;
            try {
                metadata = JSONObjectUtils.parse(retriever.retrieveResource(metadataUri.toURL()).getContent());
            } catch (IOException | ParseException unreachableOrNotJson) {
                last = new JWKSetUnavailableException("no metadata at " + metadataUri, unreachableOrNotJson);
                continue;
            }
            if (!issuer.equals(metadata.get("issuer"))) { // OIDC Discovery §4.3, RFC 8414 §3.3: exact match
                LOG.log(System.Logger.Level.WARNING, "Metadata at {0} names another issuer; its keys are not trusted", metadataUri);
                throw new JWKSetUnavailableException("metadata at " + metadataUri + " names another issuer");
            }
            if (!(metadata.get("jwks_uri") instanceof String jwksUri)) {
                throw new JWKSetUnavailableException("metadata at " + metadataUri + " has no jwks_uri");
            }
            try {
                return Endpoints.requireSecure(new URI(jwksUri), allowPlainHttp);
            } catch (URISyntaxException | IllegalArgumentException badUri) {
                throw new JWKSetUnavailableException("metadata at " + metadataUri + " has an unusable jwks_uri", badUri);
            }
        }
        throw last;
    }

    /** OIDC Discovery §4 appends the well-known path; RFC 8414 §3.1 inserts it before the issuer's path. */
    static List<URI> metadataLocations(String issuer) {
        URI uri = URI.create(issuer);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        return List.of(
                URI.create(origin + trimmed + "/.well-known/openid-configuration"),
                URI.create(origin + "/.well-known/oauth-authorization-server" + trimmed));
    }

    @Override
    public void close() throws IOException {
        JWKSetSource<SecurityContext> source = jwksSource;
        if (source != null) {
            source.close();
        }
    }
}
