package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.user.AccountLink;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public interface UserStoreContract extends StoreFixture {

    private UserStore users() {
        return stores().users();
    }

    private static User alice() {
        return new User("u-alice", "alice", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", List.of("admin", "staff"),
                Map.of("email", "alice@example.com", "email_verified", true, "age", 42,
                        "address", Map.of("country", "NZ", "locality", "Wellington"),
                        "groups", List.of("eng", "ops")),
                Map.of("verification", Map.of("trust_framework", "eidas", "time", "2030-01-01T00:00:00Z"),
                        "claims", Map.of("given_name", "Alice")),
                List.of(new AccountLink("https://idp.example", "alice-at-idp"),
                        new AccountLink("https://other.example", "a-123")),
                true);
    }

    private static User bob() {
        return new User("u-bob", "bob", null, List.of(), Map.of(), Map.of(), List.of(), false);
    }

    @Test
    default void upsertRoundTripsEveryFieldIncludingNestedClaims() {
        users().upsert(alice());

        assertThat(users().findById("u-alice")).contains(alice());
        assertThat(users().findByUsername("alice")).contains(alice());
    }

    @Test
    default void setPasswordHashReplacesOnlyTheHash() {
        users().upsert(alice().withEnabled(false));

        assertThat(users().setPasswordHash("u-alice", "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA")).isTrue();

        assertThat(users().findById("u-alice")).contains(alice().withEnabled(false)
                .withPasswordHash("$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA"));
        assertThat(users().setPasswordHash("u-nobody", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")).isFalse();
        assertThat(users().findById("u-nobody")).isEmpty();
    }

    @Test
    default void verifiedClaimsAsAnArrayRoundTripAsAnArray() {
        User carol = new User("u-carol", "carol", null, List.of(), Map.of(), List.of(
                Map.of("verification", Map.of("trust_framework", "eidas"), "claims", Map.of("given_name", "Carol")),
                Map.of("verification", Map.of("trust_framework", "de_aml"), "claims", Map.of("family_name", "C"))),
                List.of(), true);

        users().upsert(carol);

        assertThat(users().findById("u-carol")).contains(carol);
    }

    @Test
    default void userWithoutPasswordClaimsOrLinksRoundTrips() {
        users().upsert(bob());

        assertThat(users().findById("u-bob")).contains(bob());
    }

    @Test
    default void findByLinkFindsTheLinkedUser() {
        users().upsert(alice());
        users().upsert(bob());

        assertThat(users().findByLink("https://other.example", "a-123")).contains(alice());
        assertThat(users().findByLink("https://idp.example", "a-123")).isEmpty();
        assertThat(users().findByLink("https://unknown.example", "alice-at-idp")).isEmpty();
    }

    @Test
    default void upsertReplacesFieldsAndLinks() {
        users().upsert(alice());
        User changed = new User("u-alice", "alice2", null, List.of("staff"), Map.of("email", "a2@example.com"),
                Map.of(), List.of(new AccountLink("https://new.example", "n-1")), false);

        users().upsert(changed);

        assertThat(users().findById("u-alice")).contains(changed);
        assertThat(users().findByUsername("alice")).isEmpty();
        assertThat(users().findByLink("https://idp.example", "alice-at-idp")).isEmpty();
        assertThat(users().findByLink("https://new.example", "n-1")).contains(changed);
    }

    @Test
    default void usernameTakenByAnotherUserIsRejected() {
        users().upsert(alice());
        User impostor = new User("u-other", "alice", null, List.of(), Map.of(), Map.of(), List.of(), true);

        assertThatThrownBy(() -> users().upsert(impostor)).isInstanceOf(IllegalStateException.class);

        assertThat(users().findById("u-other")).isEmpty();
        assertThat(users().findByUsername("alice")).contains(alice());
    }

    @Test
    default void renamingOntoATakenUsernameLeavesTheUserUnchanged() {
        users().upsert(alice());
        users().upsert(bob());
        User renamed = new User("u-bob", "alice", null, List.of(), Map.of(), Map.of(), List.of(), false);

        assertThatThrownBy(() -> users().upsert(renamed)).isInstanceOf(IllegalStateException.class);

        assertThat(users().findById("u-bob")).contains(bob());
    }

    @Test
    default void accountLinkOwnedByAnotherUserIsRejectedAndNothingIsWritten() {
        users().upsert(alice());
        User thief = new User("u-thief", "thief", null, List.of(), Map.of(), Map.of(),
                List.of(new AccountLink("https://idp.example", "alice-at-idp")), true);

        assertThatThrownBy(() -> users().upsert(thief)).isInstanceOf(IllegalStateException.class);

        assertThat(users().findById("u-thief")).isEmpty();
        assertThat(users().findByLink("https://idp.example", "alice-at-idp")).contains(alice());
    }

    @Test
    default void listReturnsEveryUserWithLinksOrderedByUsername() {
        users().upsert(bob());
        users().upsert(alice());

        assertThat(users().list()).containsExactly(alice(), bob());
    }

    private static User newcomer(String id, String username) {
        return new User(id, username, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", List.of(),
                Map.of("email", username + "@example.com", "email_verified", false), Map.of(), List.of(), true);
    }

    @Test
    default void createAddsANewUser() {
        User carol = newcomer("u-carol", "carol");

        assertThat(users().create(carol)).isTrue();

        assertThat(users().findByUsername("carol")).contains(carol);
    }

    @Test
    default void createNeverReplacesTheHolderOfATakenUsername() {
        users().upsert(alice());

        assertThat(users().create(newcomer("u-impostor", "alice"))).isFalse();

        assertThat(users().findByUsername("alice")).contains(alice());
        assertThat(users().findById("u-impostor")).isEmpty();
    }

    @Test
    default void createRefusesAUsernameThatDiffersOnlyInCase() {
        users().upsert(new User("u-upper", "Dave", null, List.of(), Map.of(), Map.of(), List.of(), true));
        users().upsert(new User("u-upper-2", "DAVE", null, List.of(), Map.of(), Map.of(), List.of(), true));

        assertThat(users().create(newcomer("u-dave", "dave"))).isFalse();

        assertThat(users().findById("u-dave")).isEmpty();
    }

    @Test
    default void createNeverReplacesAUserWithTheSameId() {
        users().upsert(alice());

        assertThat(users().create(newcomer("u-alice", "someone-else"))).isFalse();

        assertThat(users().findById("u-alice")).contains(alice());
        assertThat(users().findByUsername("someone-else")).isEmpty();
    }

    @Test
    default void concurrentCreatesOfOneUsernameHaveExactlyOneWinner() throws Exception {
        java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();

        List<Boolean> results = Concurrently.run(16, () -> users().create(newcomer("u-race-" + ids.incrementAndGet(),
                "erin")));

        assertThat(results).containsOnlyOnce(true);
        assertThat(users().list()).extracting(User::username).containsOnlyOnce("erin");
    }

    @Test
    default void unknownUserIsNotFound() {
        assertThat(users().findById("nobody")).isEmpty();
        assertThat(users().findByUsername("nobody")).isEmpty();
    }
}
