package dev.tessera.server.application.userinfo;

import dev.tessera.server.application.issue.ClaimsAssembler;
import dev.tessera.server.application.issue.SubjectResolver;
import dev.tessera.server.application.issue.VerifiedClaimsSelector;
import dev.tessera.server.application.keys.OwnTokenVerifier;
import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.application.token.AccessTokenValidator;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.authz.Consent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.TokenHash;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store reads behind one userinfo answer: the token's row is read once and serves both the local user id and
 * the grant's claims request (the user-visible answer is covered end to end by UserInfoTest).
 */
class UserInfoServiceTest {
    private static final String ISSUER = "https://id.example.test";
    private final Clock clock = Clock.systemUTC();
    private final Database database = StoreWiring.openInMemory();
    private final Stores stores = StoreWiring.forServer(database);

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void oneReadOfTheTokensRowGivesTheUserAndTheClaimsRequest() {
        Client client = Client.builder("web").redirectUris(List.of("https://app.example/cb"))
                .scopes(Scopes.of("openid", "email")).build();
        stores.clients().upsert(client);
        stores.users().upsert(new User("u-alice", "alice", null, List.of(), Map.of("email", "alice@example.com",
                "name", "Alice Example"), Map.of(), List.of(), true));
        stores.consents().save(new Consent("u-alice", "web", Scopes.of("openid"), Set.of("name"), Instant.EPOCH));
        Instant now = clock.instant();
        OpaqueToken token = OpaqueToken.generate(OpaqueToken.ACCESS_PREFIX);
        // The sub claim names nobody here: only the row knows the local user, as for a pairwise client.
        String claims = "{\"jti\":\"jti-1\",\"sub\":\"pairwise-value\",\"client_id\":\"web\",\"scope\":\"openid\","
                + "\"exp\":" + now.plus(Duration.ofMinutes(5)).getEpochSecond() + "}";
        stores.accessTokens().record(new AccessTokenStore.IssuedAccessToken("jti-1", GrantId.random(), "web",
                "u-alice", TokenHash.of(token.value()).value(), claims, now, now.plus(Duration.ofMinutes(5)),
                "{\"userinfo\":{\"name\":null}}"));
        CountingReads reads = new CountingReads(stores.accessTokens());
        UserInfoService service = new UserInfoService(new AccessTokenValidator(new OwnTokenVerifier(null, ISSUER), reads,
                clock), stores.clients(), stores.users(), new SubjectResolver(null),
                new ClaimsAssembler(stores.consents(), new VerifiedClaimsSelector(clock)),
                new UserInfoJwtFactory(null, null, ISSUER, clock), reads);

        UserInfoAnswer answer = service.userInfo(token.value());

        assertThat(answer).isInstanceOfSatisfying(UserInfoAnswer.Claims.class, json -> assertThat(json.claims())
                .containsEntry("sub", "u-alice").containsEntry("name", "Alice Example").doesNotContainKey("email"));
        assertThat(reads.byJti).as("reads of the token's row by jti").hasValue(1);
    }

    /** The access-token store, counting {@link #find} calls. */
    private static final class CountingReads implements AccessTokenStore {
        private final AccessTokenStore store;
        final AtomicInteger byJti = new AtomicInteger();

        CountingReads(AccessTokenStore store) {
            this.store = store;
        }

        @Override
        public void record(IssuedAccessToken token) {
            store.record(token);
        }

        @Override
        public boolean isRevoked(String jti) {
            return store.isRevoked(jti);
        }

        @Override
        public boolean revoke(String jti, Instant expiresAt, Instant now) {
            return store.revoke(jti, expiresAt, now);
        }

        @Override
        public int revokeGrant(GrantId grantId, Instant now) {
            return store.revokeGrant(grantId, now);
        }

        @Override
        public Optional<IssuedAccessToken> find(String jti) {
            byJti.incrementAndGet();
            return store.find(jti);
        }

        @Override
        public Optional<IssuedAccessToken> findByOpaqueHash(TokenHash hash) {
            return store.findByOpaqueHash(hash);
        }

        @Override
        public int purgeExpired(Instant now) {
            return store.purgeExpired(now);
        }
    }
}
