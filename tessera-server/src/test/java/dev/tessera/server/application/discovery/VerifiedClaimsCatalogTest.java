package dev.tessera.server.application.discovery;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The verified-claims discovery metadata comes from what users carry, read at most once a minute. */
class VerifiedClaimsCatalogTest {
    private final MutableClock clock = MutableClock.startingNow();
    private final CountingUsers users = new CountingUsers();
    private final VerifiedClaimsCatalog catalog = new VerifiedClaimsCatalog(users.store(), clock);

    private static User user(String name, Object verifiedClaims, boolean enabled) {
        return new User(name, name, null, List.of(), Map.of(), verifiedClaims, List.of(), enabled);
    }

    @Test
    void offersTheUnionOfWhatEnabledUsersCarry() {
        users.add(user("max", Map.of(
                "verification", Map.of("trust_framework", "de_aml", "evidence", List.of(
                        Map.of("type", "document", "document_details", Map.of("type", "idcard")),
                        Map.of("type", "electronic_record"))),
                "claims", Map.of("given_name", "Max", "birthdate", "1956-01-28")), true));
        users.add(user("erika", List.of(
                Map.of("verification", Map.of("trust_framework", "eidas"), "claims", Map.of("address", Map.of())),
                Map.of("verification", Map.of("trust_framework", "uk_tfida", "evidence", List.of(
                        Map.of("type", "document", "document", Map.of("type", "passport")))),
                        "claims", Map.of("family_name", "Muster"))), true));
        users.add(user("gone", Map.of("verification", Map.of("trust_framework", "jp_aml"),
                "claims", Map.of("nationalities", List.of("JP"))), false));
        users.add(user("plain", Map.of(), true));

        VerifiedClaimsCatalog.Offer offer = catalog.current();

        assertThat(offer.supported()).isTrue();
        assertThat(offer.trustFrameworks()).containsExactly("de_aml", "eidas", "uk_tfida");
        assertThat(offer.evidenceTypes()).containsExactly("document", "electronic_record");
        assertThat(offer.documentTypes()).containsExactly("idcard", "passport");
        assertThat(offer.claims()).containsExactly("address", "birthdate", "family_name", "given_name");
    }

    @Test
    void withoutVerifiedClaimsNothingIsOffered() {
        users.add(user("plain", Map.of(), true));

        assertThat(catalog.current().supported()).isFalse();
        assertThat(catalog.current().claims()).isEmpty();
    }

    @Test
    void theUsersAreReadAtMostOnceAMinute() {
        catalog.current();
        users.add(user("new", Map.of("verification", Map.of("trust_framework", "eidas"),
                "claims", Map.of("given_name", "N")), true));
        for (int i = 0; i < 50; i++) {
            catalog.current();
        }
        clock.advance(Duration.ofSeconds(59));
        assertThat(catalog.current().supported()).isFalse();
        assertThat(users.reads).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));

        assertThat(catalog.current().trustFrameworks()).containsExactly("eidas");
        assertThat(users.reads).isEqualTo(2);
    }

    /** Only list() matters here; it counts how often the catalog reads every user. Any other call fails. */
    private static final class CountingUsers {
        private final List<User> all = new ArrayList<>();
        int reads;

        void add(User user) {
            all.add(user);
        }

        UserStore store() {
            return (UserStore) Proxy.newProxyInstance(UserStore.class.getClassLoader(), new Class<?>[] {UserStore.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("list")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        reads++;
                        return List.copyOf(all);
                    });
        }
    }
}
