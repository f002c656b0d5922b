package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.SessionStore;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

public interface SessionStoreContract extends StoreFixture {

    private SessionStore sessions() {
        return stores().sessions();
    }

    private LoginSession savedSession(String sid) {
        LoginSession session = StoreSamples.session(StoreSamples.newHash(), sid, clock().instant(), Duration.ofHours(8));
        sessions().save(session);
        return session;
    }

    @Test
    default void savedSessionIsFoundByHashWithEveryField() {
        LoginSession session = savedSession("sid-1");

        assertThat(sessions().find(session.hash(), clock().instant())).contains(session);
    }

    @Test
    default void sessionIsNotFoundOnceExpired() {
        LoginSession session = savedSession("sid-1");
        clock().set(session.expiresAt());

        assertThat(sessions().find(session.hash(), clock().instant())).isEmpty();
    }

    @Test
    default void deleteEndsTheSession() {
        LoginSession session = savedSession("sid-1");

        sessions().delete(session.hash());

        assertThat(sessions().find(session.hash(), clock().instant())).isEmpty();
    }

    @Test
    default void deleteBySidEndsEverySessionWithThatSidOnly() {
        LoginSession first = savedSession("sid-1");
        LoginSession second = savedSession("sid-1");
        LoginSession other = savedSession("sid-2");

        assertThat(sessions().deleteBySid("sid-1")).isEqualTo(2);

        assertThat(sessions().find(first.hash(), clock().instant())).isEmpty();
        assertThat(sessions().find(second.hash(), clock().instant())).isEmpty();
        assertThat(sessions().find(other.hash(), clock().instant())).contains(other);
        assertThat(sessions().deleteBySid("sid-unknown")).isZero();
    }

    @Test
    default void findBySidReturnsTheLiveSessionAndNothingOnceItEndedOrExpired() {
        LoginSession session = savedSession("sid-find");
        savedSession("sid-other");

        assertThat(sessions().findBySid("sid-find", clock().instant())).contains(session);
        assertThat(sessions().findBySid("sid-unknown", clock().instant())).isEmpty();
        assertThat(sessions().findBySid("sid-find", session.expiresAt())).isEmpty();

        sessions().deleteBySid("sid-find");
        assertThat(sessions().findBySid("sid-find", clock().instant())).isEmpty();
    }

    @Test
    default void extendMovesTheExpiryOfALiveSession() {
        LoginSession session = savedSession("sid-extend");
        Instant later = session.expiresAt().plus(Duration.ofHours(1));

        assertThat(sessions().extend(session.hash(), later, clock().instant())).isTrue();

        assertThat(sessions().find(session.hash(), session.expiresAt())).map(LoginSession::expiresAt).contains(later);
    }

    @Test
    default void anExpiredSessionCannotBeExtendedBackToLife() {
        LoginSession session = savedSession("sid-dead");
        clock().set(session.expiresAt());

        assertThat(sessions().extend(session.hash(), clock().instant().plus(Duration.ofHours(1)), clock().instant()))
                .isFalse();
        assertThat(sessions().find(session.hash(), clock().instant())).isEmpty();
    }

    @Test
    default void deleteByUserEndsEveryOneOfTheirSessionsAndNoOneElses() {
        LoginSession first = savedSession("sid-a");
        LoginSession second = savedSession("sid-b");
        LoginSession someoneElse = new LoginSession(StoreSamples.newHash(), "sid-c", "user-2",
                StoreSamples.authentication(clock().instant()), clock().instant(), clock().instant().plus(Duration.ofHours(1)));
        sessions().save(someoneElse);

        assertThat(sessions().deleteByUser("user-1")).isEqualTo(2);

        assertThat(sessions().find(first.hash(), clock().instant())).isEmpty();
        assertThat(sessions().find(second.hash(), clock().instant())).isEmpty();
        assertThat(sessions().find(someoneElse.hash(), clock().instant())).contains(someoneElse);
    }
}
