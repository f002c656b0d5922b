package dev.tessera.server.infrastructure.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.domain.client.AccessTokenFormat;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.client.IdJagPolicy;
import dev.tessera.server.domain.client.ResponseEncryption;
import dev.tessera.server.domain.client.RedirectUris;
import dev.tessera.server.domain.client.SubjectType;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Registered clients: scalar fields in columns, lists and policies as JSON text, enums by name. */
public final class JdbcClientStore implements ClientStore {
    private static final String COLUMNS = "id, name, secret_hash, public_client, redirect_uris, post_logout_redirect_uris, "
            + "grant_types, scopes, auth_method, jwks_uri, jwks, audience, claims, consent, access_token_ttl_ms, "
            + "id_token_ttl_ms, "
            + "subject_type, id_token_signing_alg, access_token_signing_alg, id_token_encryption, userinfo_signed_response_alg, "
            + "userinfo_encryption, introspect, id_jag, access_token_format, sector_identifier, require_pkce, enabled";
    private static final String UPDATE = "UPDATE clients SET name = ?, secret_hash = ?, public_client = ?, "
            + "redirect_uris = ?, post_logout_redirect_uris = ?, grant_types = ?, scopes = ?, auth_method = ?, "
            + "jwks_uri = ?, jwks = ?, audience = ?, claims = ?, consent = ?, access_token_ttl_ms = ?, "
            + "id_token_ttl_ms = ?, subject_type = ?, "
            + "id_token_signing_alg = ?, access_token_signing_alg = ?, id_token_encryption = ?, userinfo_signed_response_alg = ?, "
            + "userinfo_encryption = ?, introspect = ?, id_jag = ?, access_token_format = ?, "
            + "sector_identifier = ?, require_pkce = ?, enabled = ? WHERE id = ?";
    private static final String INSERT = "INSERT INTO clients (name, secret_hash, public_client, redirect_uris, "
            + "post_logout_redirect_uris, grant_types, scopes, auth_method, jwks_uri, jwks, audience, claims, consent, "
            + "access_token_ttl_ms, "
            + "id_token_ttl_ms, subject_type, id_token_signing_alg, access_token_signing_alg, id_token_encryption, "
            + "userinfo_signed_response_alg, "
            + "userinfo_encryption, introspect, id_jag, access_token_format, sector_identifier, require_pkce, enabled, id) "
            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    private static final TypeReference<List<IdJagPolicy>> ID_JAG = new TypeReference<>() { };

    private final SqlExecutor sql;

    public JdbcClientStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public void upsert(Client client) {
        // The same parameter order serves UPDATE and INSERT: every field, then the id.
        Object[] params = {client.name(), client.secretHash(), client.publicClient(),
                JsonColumns.write(client.redirectUris().registered()), JsonColumns.write(client.postLogoutRedirectUris()),
                JsonColumns.writeSorted(client.grantTypes()), client.scopes() == null ? null : client.scopes().asString(),
                name(client.authMethod()), client.jwksUri(), client.jwks(), JsonColumns.write(client.audience()),
                JsonColumns.writeSorted(client.claims()),
                name(client.consent()), millis(client.accessTokenTtl()), millis(client.idTokenTtl()),
                name(client.subjectType()), client.idTokenSigningAlg(), client.accessTokenSigningAlg(),
                JsonColumns.write(client.idTokenEncryption()),
                client.userinfoSignedResponseAlg(), JsonColumns.write(client.userinfoEncryption()), client.introspect(), JsonColumns.write(client.idJag()), name(client.accessTokenFormat()),
                client.sectorIdentifier(), client.requirePkce(), client.enabled(), client.id()};
        sql.transaction(() -> {
            while (sql.update(UPDATE, params) == 0) {
                if (sql.insertIgnoringDuplicate(INSERT, params)) {
                    break;
                }
            }
            return null;
        });
    }

    @Override
    public Optional<Client> find(String clientId) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM clients WHERE id = ?", JdbcClientStore::map, clientId);
    }

    @Override
    public List<Client> list() {
        return sql.query("SELECT " + COLUMNS + " FROM clients ORDER BY id", JdbcClientStore::map);
    }

    @Override
    public boolean remove(String clientId) {
        return sql.update("DELETE FROM clients WHERE id = ?", clientId) == 1;
    }

    private static Client map(ResultRow row) throws SQLException {
        String authMethod = row.string("auth_method");
        String consent = row.string("consent");
        String subjectType = row.string("subject_type");
        String format = row.string("access_token_format");
        return Client.builder(row.string("id"))
                .name(row.string("name"))
                .secretHash(row.string("secret_hash"))
                .publicClient(row.bool("public_client"))
                .redirectUris(new RedirectUris(JsonColumns.strings(row.string("redirect_uris"))).registered())
                .postLogoutRedirectUris(JsonColumns.strings(row.string("post_logout_redirect_uris")))
                .grantTypes(new LinkedHashSet<>(JsonColumns.strings(row.string("grant_types"))))
                .scopes(row.scopes("scopes"))
                .authMethod(authMethod == null ? null : TokenEndpointAuthMethod.valueOf(authMethod))
                .jwksUri(row.string("jwks_uri"))
                .jwks(row.string("jwks"))
                .audience(JsonColumns.strings(row.string("audience")))
                .claims(new LinkedHashSet<>(JsonColumns.strings(row.string("claims"))))
                .consent(consent == null ? null : ConsentPolicy.valueOf(consent))
                .accessTokenTtl(row.millis("access_token_ttl_ms"))
                .idTokenTtl(row.millis("id_token_ttl_ms"))
                .subjectType(subjectType == null ? null : SubjectType.valueOf(subjectType))
                .idTokenSigningAlg(row.string("id_token_signing_alg"))
                .accessTokenSigningAlg(row.string("access_token_signing_alg"))
                .idTokenEncryption(JsonColumns.read(row.string("id_token_encryption"), ResponseEncryption.class))
                .userinfoSignedResponseAlg(row.string("userinfo_signed_response_alg"))
                .userinfoEncryption(JsonColumns.read(row.string("userinfo_encryption"), ResponseEncryption.class))
                .introspect(row.bool("introspect"))
                .idJag(JsonColumns.read(row.string("id_jag"), ID_JAG))
                .accessTokenFormat(format == null ? null : AccessTokenFormat.valueOf(format))
                .sectorIdentifier(row.string("sector_identifier"))
                .requirePkce(row.bool("require_pkce"))
                .enabled(row.bool("enabled"))
                .build();
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static Long millis(Duration value) {
        return value == null ? null : value.toMillis();
    }
}
