package dev.tessera.server.testsupport;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.server.config.TrustedIssuerConfig;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A partner identity provider as the jwt-bearer grant sees one: its issuer name, a JWKS served over HTTP on
 * 127.0.0.1 (JDK HttpServer) that counts its requests, and jose4j keys (RSA 2048 and EC P-256) to mint ID-JAGs.
 * jose4j on purpose: the server uses Nimbus, so what it accepts here another JOSE implementation produced.
 */
public final class PartnerIdp implements AutoCloseable {
    public static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);
    /** exp - iat of a default assertion: inside {@link #MAX_ASSERTION_LIFETIME}, not on its edge. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(4);

    private final String issuer;
    private final HttpServer http;
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final int port;
    private final RsaJsonWebKey rsa;
    private final EllipticCurveJsonWebKey ec;
    private volatile String jwksJson;

    private PartnerIdp(String issuer) {
        this.issuer = issuer;
        this.rsa = newRsaKey("rsa-" + UUID.randomUUID());
        this.ec = newEcKey("ec-" + UUID.randomUUID());
        publish(rsa, ec);
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            byte[] body = jwksJson.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        port = http.getAddress().getPort();
    }

    /** Starts serving the JWKS of a new partner named {@code issuer} (e.g. https://idp.partner.test). */
    public static PartnerIdp start(String issuer) {
        return new PartnerIdp(issuer);
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + port + "/jwks.json";
    }

    /** How many times the JWKS has been requested since the start. */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    public RsaJsonWebKey rsaKey() {
        return rsa;
    }

    public EllipticCurveJsonWebKey ecKey() {
        return ec;
    }

    /** Serves exactly these keys (public parts only) from now on, e.g. after a key rotation. */
    public void publish(JsonWebKey... keys) {
        jwksJson = new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The partner stops answering: connections to its JWKS are refused. */
    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            http.stop(0);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Trusts this partner for {@code allowedClients}, with a 5 minute maximum assertion lifetime. */
    public TrustedIssuerConfig trustedFor(String... allowedClients) {
        return new TrustedIssuerConfig(issuer, jwksUri(), MAX_ASSERTION_LIFETIME, List.of(allowedClients));
    }

    /**
     * A valid ID-JAG of this partner, signed RS256 with its RSA key: iss, sub, aud (a string), client_id, a random
     * jti, iat = now and exp = now + {@link #DEFAULT_LIFETIME}. No scope and no resource until set.
     *
     * @param now the clock of the server that will verify it, so tests that move that clock stay valid
     */
    public IdJagAssertion assertion(String audience, String clientId, String subject, Instant now) {
        return new IdJagAssertion(rsa).issuer(issuer).subject(subject).audience(audience).clientId(clientId)
                .freshJti().issuedAt(now).expiresAt(now.plus(DEFAULT_LIFETIME));
    }

    public static RsaJsonWebKey newRsaKey(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static EllipticCurveJsonWebKey newEcKey(String kid) {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
