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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The storage contract on embedded H2: a fresh in-memory database, migrated by Flyway, for every test. */
class H2StoreTest implements AuthorizationCodeStoreContract, RefreshTokenStoreContract, AccessTokenStoreContract,
        UsedJtiStoreContract, ClientStoreContract, UserStoreContract, ConsentStoreContract, SessionStoreContract,
        RateLimitStoreContract, TransactorContract, PurgeContract, TimestampContract, ServerSecretStoreContract,
        TotpStoreContract, SigningKeyStoreContract {

    private final MutableClock clock = MutableClock.startingAt2030();
    private Database database;
    private Stores stores;

    @BeforeEach
    void openFreshDatabase() {
        database = StoreWiring.openInMemory();
        stores = StoreWiring.jdbc(database);
    }

    @AfterEach
    void dropDatabase() {
        database.close();
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
