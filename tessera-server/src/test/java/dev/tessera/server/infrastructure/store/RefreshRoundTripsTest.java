package dev.tessera.server.infrastructure.store;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.application.port.RefreshTokenStore.Rotation;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.user.AccountLink;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.store.contract.StoreSamples;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.infrastructure.store.jdbc.SqlDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round trips to PostgreSQL behind the reads and writes every refresh_token request makes (bench/README: the
 * refresh rate on PostgreSQL). Each statement is one round trip, and a transaction adds the commit's; the behaviour
 * itself is the store contract's job (PostgresStoreTest).
 */
class RefreshRoundTripsTest {
    private static Database database;

    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private Stores stores;

    @BeforeAll
    static void open() {
        PostgresTestDatabase.Server server = PostgresTestDatabase.server();
        database = Database.postgres(server.urlForSchema("tessera_round_trips"), server.username(), server.password());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void countingStores() {
        stores = StoreWiring.jdbc(counting(database.dataSource()), SqlDialect.POSTGRES);
    }

    @Test
    void aRotationWithTheAccessTokenOfItsResponseIsOneStatementOutsideATransaction() {
        Instant now = Instant.now();
        RefreshToken presented = StoreSamples.refreshToken(GrantId.random(), now);
        stores.refreshTokens().save(presented);
        RefreshToken successor = StoreSamples.successorOf(presented, now);
        IssuedAccessToken accessToken = new IssuedAccessToken(UUID.randomUUID().toString(), presented.grantId(),
                presented.clientId(), presented.userId(), null, null, now, now.plusSeconds(300));
        reset();

        Rotation rotation = stores.refreshTokens().rotate(presented.hash(), successor, now, accessToken);

        assertThat(rotation).isInstanceOf(Rotation.Rotated.class);
        assertThat(statements).as("statements of a rotation: retire the presented token, store the successor and "
                + "the access token").hasValue(1);
        assertThat(transactions).as("transactions opened (each costs a commit round trip)").hasValue(0);
        assertThat(stores.accessTokens().find(accessToken.jti())).isPresent();
    }

    @Test
    void aUserAndItsLinksAreOneStatement() {
        User user = new User("u-round-trips", "round-trips", null, List.of("admin"), Map.of("email", "r@example.com"),
                Map.of(), List.of(new AccountLink("https://idp.example", "a"), new AccountLink("https://idp.example", "b")),
                true);
        stores.users().upsert(user);
        reset();

        User found = stores.users().findById(user.id()).orElseThrow();

        assertThat(found).usingRecursiveComparison().isEqualTo(user);
        assertThat(statements).as("statements to read a user with its links").hasValue(1);
    }

    private void reset() {
        statements.set(0);
        transactions.set(0);
    }

    /** The pool, its connections counting every statement prepared or created and every transaction begun. */
    private DataSource counting(DataSource pool) {
        return proxy(DataSource.class, pool, (method, args, result) -> method.getName().equals("getConnection")
                ? proxy(Connection.class, (Connection) result, (m, a, r) -> {
                    if (m.getName().equals("setAutoCommit") && Boolean.FALSE.equals(a[0])) {
                        transactions.incrementAndGet();
                    } else if (m.getName().startsWith("prepare") || m.getName().equals("createStatement")) {
                        statements.incrementAndGet();
                    }
                    return r;
                })
                : result);
    }

    private interface AfterCall {
        Object apply(Method method, Object[] args, Object result);
    }

    private static <T> T proxy(Class<T> type, T target, AfterCall after) {
        InvocationHandler handler = (self, method, args) -> {
            try {
                return after.apply(method, args, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
