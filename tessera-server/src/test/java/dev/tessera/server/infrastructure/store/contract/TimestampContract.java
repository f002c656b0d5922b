package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.domain.authz.Consent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instants survive a JVM (and therefore JDBC session) time zone that is not UTC, and the column holds
 * UTC wall time (dex TimezoneSupport). The zone is changed before new connections are opened, because
 * the PostgreSQL driver fixes a session's time zone when it connects.
 */
public interface TimestampContract extends StoreFixture {

    @Test
    default void instantsRoundTripUnchangedUnderANonUtcDefaultZone() throws Exception {
        // 02:30 on this date does not exist in New York (DST gap): any zone conversion would shift it.
        Instant instant = Instant.parse("2030-03-10T02:30:00.123456Z");
        TimeZone original = TimeZone.getDefault();
        try {
            for (String zone : new String[] {"Asia/Kolkata", "America/New_York"}) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                dataSource().getHikariPoolMXBean().softEvictConnections();
                String user = "user-" + zone;
                stores().consents().save(new Consent(user, "client-a", Scopes.of("openid"), instant));

                assertThat(stores().consents().find(user, "client-a").orElseThrow().grantedAt()).isEqualTo(instant);
                assertThat(storedWallTime(user)).isEqualTo("2030-03-10 02:30:00.123456");
            }
        } finally {
            TimeZone.setDefault(original);
            dataSource().getHikariPoolMXBean().softEvictConnections();
        }
    }

    @Test
    default void instantsAreKeptToTheMicrosecond() {
        Instant precise = Instant.parse("2030-01-01T00:00:00.123456789Z");
        RefreshToken token = new RefreshToken(StoreSamples.newHash(), GrantId.random(), "client-a", "user-1",
                Scopes.of("openid"), null, null, java.util.List.of(), precise, precise.plusSeconds(60),
                precise.plusSeconds(120));
        stores().refreshTokens().save(token);

        assertThat(stores().refreshTokens().find(token.hash()).orElseThrow().token().issuedAt())
                .isEqualTo(Instant.parse("2030-01-01T00:00:00.123456Z"));
    }

    // Read as text, so no driver conversion can hide a shifted value.
    private String storedWallTime(String userId) throws Exception {
        try (Connection c = dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT CAST(granted_at AS VARCHAR(40)) FROM consents WHERE user_id = ?")) {
            s.setString(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
