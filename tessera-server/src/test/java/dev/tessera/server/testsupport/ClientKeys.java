package dev.tessera.server.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private_key_jwt client's side: an RSA 2048 and an EC P-256 key pair, its JWKS served on 127.0.0.1 (JDK
 * HttpServer) counting requests, and signed client assertions with the claims OIDC Core §9 asks for.
 */
public final class ClientKeys implements AutoCloseable {
    private final HttpServer http;
    private final AtomicInteger requests = new AtomicInteger();
    private final RSAKey rsa;
    private final ECKey ec;
    private volatile String jwksJson;

    private ClientKeys() {
        rsa = newRsa("rsa-" + UUID.randomUUID());
        ec = newEc("ec-" + UUID.randomUUID());
        publish(rsa, ec);
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/jwks.json", exchange -> {
            requests.incrementAndGet();
            byte[] body = jwksJson.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    public static ClientKeys start() {
        return new ClientKeys();
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/jwks.json";
    }

    public int jwksRequests() {
        return requests.get();
    }

    public RSAKey rsa() {
        return rsa;
    }

    public ECKey ec() {
        return ec;
    }

    /** Serves exactly these keys' public parts from now on (a rotation). */
    public void publish(JWK... keys) {
        jwksJson = new JWKSet(List.of(keys)).toString(true);
    }

    /** The public keys as {@code clients[].jwks} reads them from a file. */
    public Map<String, Object> inlineJwks() {
        return new JWKSet(List.of(rsa, ec)).toJSONObject(true);
    }

    @Override
    public void close() {
        http.stop(0);
    }

    /** A valid assertion for {@code clientId}: iss = sub = client id, aud, a fresh jti, iat now, exp in 60 s. */
    public static JWTClaimsSet.Builder claims(String clientId, String audience, Instant now) {
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofSeconds(60))));
    }

    /** Signs with the RSA key (RS256, PS256) or the EC key (ES256), kid set. */
    public String sign(JWSAlgorithm alg, JWTClaimsSet claims) {
        JWK key = JWSAlgorithm.Family.EC.contains(alg) ? ec : rsa;
        return sign(key, alg, claims);
    }

    public static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof ECKey ecKey ? new ECDSASigner(ecKey) : new RSASSASigner((RSAKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey newRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey newEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
