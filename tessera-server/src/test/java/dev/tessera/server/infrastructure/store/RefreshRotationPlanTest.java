package dev.tessera.server.infrastructure.store;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.application.port.RefreshTokenStore.Rotation;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.infrastructure.store.contract.StoreSamples;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.infrastructure.store.jdbc.SqlDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL finds the token a rotation retires by its primary key, however long its family: with the family check
 * written as {@code grant_id = ?} it used the family's index and filtered every member by hash whenever the table had
 * no statistics yet (a new database, or one that autovacuum had not analysed since the families grew), so a refresh
 * cost more the longer its family had been rotating. The plans are PostgreSQL's own, for the statement and parameters
 * the store sent, custom and generic, on a table autovacuum leaves without statistics.
 */
class RefreshRotationPlanTest {
    private static final int FAMILY_MEMBERS = 500;

    private final List<Object[]> bindings = new ArrayList<>();
    private String rotationSql;
    private Database database;
    private Stores stores;

    @BeforeEach
    void freshSchemaWithoutStatistics() throws SQLException {
        PostgresTestDatabase.Server server = PostgresTestDatabase.server();
        String schema = "tessera_rotation_plan_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        database = Database.postgres(server.urlForSchema(schema), server.username(), server.password());
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE refresh_tokens SET (autovacuum_enabled = off)");
        }
        stores = StoreWiring.jdbc(capturingRotation(database.dataSource()), SqlDialect.POSTGRES);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void theRotationOfALongFamilysTokenFindsItByItsPrimaryKey() throws SQLException {
        Instant now = Instant.now();
        RefreshToken presented = StoreSamples.refreshToken(GrantId.random(), now);
        stores.refreshTokens().save(presented);
        for (int i = 0; i < FAMILY_MEMBERS; i++) {
            stores.refreshTokens().save(StoreSamples.successorOf(presented, now));
        }
        RefreshToken successor = StoreSamples.successorOf(presented, now);
        IssuedAccessToken accessToken = new IssuedAccessToken(UUID.randomUUID().toString(), presented.grantId(),
                presented.clientId(), presented.userId(), null, null, now, now.plusSeconds(300));

        assertThat(stores.refreshTokens().rotate(presented.hash(), successor, now, accessToken))
                .isInstanceOf(Rotation.Rotated.class);

        assertThat(rotationSql).as("the rotation statement").isNotNull();
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
            String plan = explain(mode);
            assertThat(plan).as(mode + ":\n" + plan).contains("refresh_tokens_pkey")
                    .doesNotContain("ix_refresh_tokens_grant");
        }
    }

    private String explain(String planCacheMode) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false); // EXPLAIN does not run the statement; the rollback is for the SET
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL plan_cache_mode = " + planCacheMode);
            }
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + rotationSql)) {
                for (Object[] binding : bindings) {
                    invoke(explain, (Method) binding[0], (Object[]) binding[1]);
                }
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            } finally {
                connection.rollback();
            }
            return plan.toString();
        }
    }

    /** The pool, remembering the SQL and the parameters of the statement that retires a refresh token. */
    private DataSource capturingRotation(DataSource pool) {
        return proxy(DataSource.class, pool, (method, args, result) -> !method.getName().equals("getConnection")
                ? result
                : proxy(Connection.class, (Connection) result, (m, a, r) -> {
                    if (m.getName().equals("prepareStatement") && ((String) a[0]).contains("UPDATE refresh_tokens")) {
                        rotationSql = (String) a[0];
                        bindings.clear();
                        return proxy(PreparedStatement.class, (PreparedStatement) r, (sm, sa, sr) -> {
                            if (sm.getName().startsWith("set") && sa != null && sa.length >= 2) {
                                bindings.add(new Object[] {sm, sa});
                            }
                            return sr;
                        });
                    }
                    return r;
                }));
    }

    private interface AfterCall {
        Object apply(Method method, Object[] args, Object result);
    }

    private static <T> T proxy(Class<T> type, T target, AfterCall after) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> after.apply(method, args, invoke(target, method, args))));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
