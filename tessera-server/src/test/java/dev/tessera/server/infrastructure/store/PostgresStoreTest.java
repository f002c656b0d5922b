package dev.tessera.server.infrastructure.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.infrastructure.store.contract.AccessTokenStoreContract;
import dev.tessera.server.infrastructure.store.contract.AuthorizationCodeStoreContract;
import dev.tessera.server.infrastructure.store.contract.ClientStoreContract;
import dev.tessera.server.infrastructure.store.contract.ConsentStoreContract;
import dev.tessera.server.infrastructure.store.contract.PurgeContract;
import dev.tessera.server.infrastructure.store.contract.RateLimitStoreContract;
import dev.tessera.server.infrastructure.store.contract.RefreshTokenStoreContract;
import dev.tessera.server.infrastructure.store.contract.ServerSecretStoreContract;
import dev.tessera.server.infrastructure.store.contract.SessionStoreContract;
import dev.tessera.server.infrastructure.store.contract.TimestampContract;
import dev.tessera.server.infrastructure.store.contract.TotpStoreContract;
import dev.tessera.server.infrastructure.store.contract.SigningKeyStoreContract;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey;
import dev.tessera.server.infrastructure.store.jdbc.JdbcSigningKeyStore;
import dev.tessera.server.infrastructure.store.contract.TransactorContract;
import dev.tessera.server.infrastructure.store.contract.UsedJtiStoreContract;
import dev.tessera.server.infrastructure.store.contract.UserStoreContract;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.testsupport.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage contract on PostgreSQL: one server per JVM ({@link PostgresTestDatabase}), one schema
 * migrated once per class, every table truncated before each test (dex cleanDB).
 */
class PostgresStoreTest implements AuthorizationCodeStoreContract, RefreshTokenStoreContract, AccessTokenStoreContract,
        UsedJtiStoreContract, ClientStoreContract, UserStoreContract, ConsentStoreContract, SessionStoreContract,
        RateLimitStoreContract, TransactorContract, PurgeContract, TimestampContract, ServerSecretStoreContract,
        TotpStoreContract, SigningKeyStoreContract {
    private static final String SCHEMA = "tessera_contract";

    private static Database database;
    private static String truncateAll;

    private final MutableClock clock = MutableClock.startingAt2030();
    private Stores stores;

    @BeforeEach
    void emptyTables() throws SQLException {
        if (database == null) {
            PostgresTestDatabase.Server server = PostgresTestDatabase.server();
            database = Database.postgres(server.urlForSchema(SCHEMA), server.username(), server.password());
            truncateAll = truncateStatement(database.dataSource());
        }
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(truncateAll);
        }
        stores = StoreWiring.jdbc(database);
    }

    @AfterAll
    static void closePool() {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    private static String truncateStatement(HikariDataSource dataSource) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
                     + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                     + "AND table_name <> 'flyway_schema_history'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return "TRUNCATE TABLE " + String.join(", ", tables);
    }

    @Override
    public Stores stores() {
        return stores;
    }

    @Override
    public JdbcSigningKeyStore signingKeyStore(KeyEncryptionKey kek) {
        return StoreWiring.signingKeys(database, kek);
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public HikariDataSource dataSource() {
        return database.dataSource();
    }
}
