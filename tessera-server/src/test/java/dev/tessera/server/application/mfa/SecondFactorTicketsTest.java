package dev.tessera.server.application.mfa;

import dev.tessera.server.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SecondFactorTicketsTest {
    private final MutableClock clock = MutableClock.startingAt2030();
    private final SecondFactorTickets tickets = new SecondFactorTickets(new byte[32], clock);

    @Test
    void aTicketNamesItsUserForItsRequestOnly() {
        String ticket = tickets.issue("user-1", "fingerprint-a");

        assertThat(tickets.userIdFrom(ticket, "fingerprint-a")).hasValue("user-1");
        assertThat(tickets.userIdFrom(ticket, "fingerprint-b")).isEmpty();
    }

    @Test
    void aTicketExpiresAfterItsLifetime() {
        String ticket = tickets.issue("user-1", "fp");

        clock.advance(SecondFactorTickets.LIFETIME.minusSeconds(1));
        assertThat(tickets.userIdFrom(ticket, "fp")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tickets.userIdFrom(ticket, "fp")).isEmpty();
    }

    @Test
    void anEditedTicketIsRefused() {
        String ticket = tickets.issue("user-1", "fp");
        String[] parts = ticket.split("\\.");
        String otherUser = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("user-2".getBytes());
        String later = String.valueOf(Long.parseLong(parts[1]) + 3600);

        assertThat(tickets.userIdFrom(otherUser + "." + parts[1] + "." + parts[2], "fp")).isEmpty();
        assertThat(tickets.userIdFrom(parts[0] + "." + later + "." + parts[2], "fp")).isEmpty();
        assertThat(tickets.userIdFrom(ticket + "x", "fp")).isEmpty();
        for (String junk : new String[] {null, "", ".", "..", "a.b.c", "a.b.c.d", "x".repeat(5000)}) {
            assertThat(tickets.userIdFrom(junk, "fp")).isEmpty();
        }
    }

    @Test
    void anotherServerKeyRefusesTheTicket() {
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        String ticket = tickets.issue("user-1", "fp");

        assertThat(new SecondFactorTickets(otherKey, clock).userIdFrom(ticket, "fp")).isEmpty();
    }
}
