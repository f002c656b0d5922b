package dev.tessera.server.bootstrap;

import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.infrastructure.jose.SectorDocuments;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * OIDC Core §8.1 and Dynamic Client Registration §5: a pairwise client with a {@code sectorIdentifierUri} uses
 * that URL's host as its sector, and the document there must list every redirect URI of the client, so nobody
 * can put a client into a sector whose owner did not list it. Run where clients are provisioned (startup,
 * {@code clients add}); a client that fails is refused, not stored.
 */
public final class SectorIdentifierCheck {
    private final SectorDocuments documents;

    public SectorIdentifierCheck(SectorDocuments documents) {
        this.documents = documents;
    }

    /**
     * Problems as {@code key.path: message}, keyed under {@code path} ("" for {@code clients add}); empty when the
     * client has no sectorIdentifierUri or its document lists every redirect URI.
     */
    public List<String> problems(ClientConfig client, String path) {
        if (client.sectorIdentifierUri() == null) {
            return List.of();
        }
        String key = (path.isEmpty() ? "" : path + ".") + "sectorIdentifierUri";
        Set<String> listed;
        try {
            listed = new HashSet<>(documents.redirectUris(URI.create(client.sectorIdentifierUri())));
        } catch (SectorDocuments.SectorDocumentException e) {
            return List.of(key + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return List.of(key + ": is not a URL");
        }
        List<String> problems = new ArrayList<>();
        List<String> redirects = client.redirectUris();
        for (int i = 0; i < redirects.size(); i++) {
            // Exact string comparison, like redirect URI matching itself.
            if (!listed.contains(redirects.get(i))) {
                problems.add(key + ": the document does not list redirectUris[" + i + "]; it must be a JSON array"
                        + " containing every redirect URI of the client");
            }
        }
        return problems;
    }
}
