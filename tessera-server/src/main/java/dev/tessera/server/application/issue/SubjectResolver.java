package dev.tessera.server.application.issue;

import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.SubjectType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code sub} a client sees. Pairwise subjects (OIDC Core §8.1) are SHA-256 of sector identifier,
 * local user id and the operator's salt, so clients of different sectors cannot correlate users, while
 * every instance with the same salt computes the same value.
 */
public final class SubjectResolver {
    private final String pairwiseSalt;

    public SubjectResolver(String pairwiseSalt) {
        this.pairwiseSalt = pairwiseSalt == null ? "" : pairwiseSalt;
    }

    public String subjectFor(Client client, String userId) {
        if (client.subjectType() != SubjectType.PAIRWISE) {
            return userId;
        }
        String sector = sectorOf(client);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(sector.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(userId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(pairwiseSalt.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // OIDC Core §8.1: without a sector_identifier_uri the sector is the host of the redirect URIs.
    private static String sectorOf(Client client) {
        if (client.sectorIdentifier() != null && !client.sectorIdentifier().isEmpty()) {
            return client.sectorIdentifier();
        }
        if (client.redirectUris().isEmpty()) {
            return client.id();
        }
        String host = URI.create(client.redirectUris().registered().get(0)).getHost();
        return host == null ? client.id() : host;
    }
}
