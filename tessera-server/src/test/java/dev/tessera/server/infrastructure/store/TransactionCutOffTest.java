package dev.tessera.server.infrastructure.store;

import dev.tessera.server.application.port.AuthorizationCodeStore.Redemption;
import dev.tessera.server.application.port.RefreshTokenStore.Rotation;
import dev.tessera.server.application.port.StoreUnavailableException;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.infrastructure.store.contract.StoreSamples;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database connection lost in the middle of a refresh rotation or a code redemption (PostgreSQL restarted,
 * the backend killed) leaves nothing half-written: the caller gets {@link StoreUnavailableException} (so the
 * client gets 503 temporarily_unavailable and may retry) and the presented token or code is exactly as before,
 * usable once. The cut is made by terminating this pool's own backends from another connection, between the
 * rotation's first write and the rest of the grant's transaction.
 */
class TransactionCutOffTest {
    private final String application = "tessera-cutoff-" + UUID.randomUUID().toString().substring(0, 8);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private PostgresTestDatabase.Server server;
    private Database database;
    private Stores stores;

    @BeforeEach
    void openStore() {
        server = PostgresTestDatabase.server();
        String url = server.urlForSchema("tessera_cutoff") + "&ApplicationName=" + application;
        database = Database.postgres(url, server.username(), server.password());
        stores = StoreWiring.jdbc(database);
    }

    @AfterEach
    void closeStore() {
        database.close();
    }

    @Test
    void aRotationCutOffBeforeCommitLeavesThePresentedTokenActiveAndNoSuccessor() {
        RefreshToken presented = StoreSamples.refreshToken(GrantId.random(), now);
        stores.refreshTokens().save(presented);
        RefreshToken successor = StoreSamples.successorOf(presented, now.plusSeconds(1));
        RefreshToken issuedWithIt = StoreSamples.refreshToken(GrantId.random(), now);

        assertThatThrownBy(() -> stores.transactor().inTransaction(() -> {
            Rotation rotation = stores.refreshTokens().rotate(presented.hash(), successor, now.plusSeconds(1));
            assertThat(rotation).isInstanceOf(Rotation.Rotated.class);
            terminateTheOpenTransaction();
            stores.refreshTokens().save(issuedWithIt); // the rest of the grant's writes
            return rotation;
        })).isInstanceOf(StoreUnavailableException.class);

        assertThat(stores.refreshTokens().find(successor.hash())).isEmpty();
        assertThat(stores.refreshTokens().find(issuedWithIt.hash())).isEmpty();
        assertThat(stores.refreshTokens().find(presented.hash()).orElseThrow().isActive(now.plusSeconds(2))).isTrue();
        // The client's retry rotates normally, and only once.
        assertThat(stores.refreshTokens().rotate(presented.hash(), successor, now.plusSeconds(2)))
                .isInstanceOf(Rotation.Rotated.class);
        assertThat(stores.refreshTokens().rotate(presented.hash(), successor, now.plusSeconds(3)))
                .isInstanceOf(Rotation.Reused.class);
    }

    @Test
    void aRedemptionCutOffBeforeCommitLeavesTheCodeUnusedAndRedeemableOnce() {
        AuthorizationCode code = StoreSamples.code(StoreSamples.newHash(), GrantId.random(), now, Duration.ofMinutes(1));
        stores.codes().save(code);
        RefreshToken issued = StoreSamples.refreshToken(code.grantId(), now);

        assertThatThrownBy(() -> stores.transactor().inTransaction(() -> {
            Redemption redemption = stores.codes().redeem(code.hash(), now.plusSeconds(1));
            assertThat(redemption).isInstanceOf(Redemption.Redeemed.class);
            terminateTheOpenTransaction();
            stores.refreshTokens().save(issued);
            return redemption;
        })).isInstanceOf(StoreUnavailableException.class);

        assertThat(stores.codes().find(code.hash()).orElseThrow().usedAt()).isNull();
        assertThat(stores.refreshTokens().find(issued.hash())).isEmpty();
        assertThat(stores.codes().redeem(code.hash(), now.plusSeconds(2))).isInstanceOf(Redemption.Redeemed.class);
        assertThat(stores.codes().redeem(code.hash(), now.plusSeconds(3))).isInstanceOf(Redemption.Replayed.class);
    }

    // What a database restart does to every session, here only to the one in the open transaction (the pool's idle
    // connections stay, so the checks afterwards read the truth at once): FATAL 57P01 on its next statement.
    private void terminateTheOpenTransaction() {
        try (Connection admin = server.connect();
             PreparedStatement kill = admin.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE application_name = ? AND state = 'idle in transaction' AND pid <> pg_backend_pid()")) {
            kill.setString(1, application);
            try (ResultSet rs = kill.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
