package dev.tessera.server.http;

import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** tokens.refreshTokenReuseGrace: a retry inside the grace keeps the client signed in; outside it, reuse revokes. */
class RefreshReuseGraceTest {
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> config.withTokens(
                config.tokens().withRefreshTokenReuseGrace(Duration.ofSeconds(30))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private TokenClient.Response refresh(String token) {
        return server.tokenClient().token(WEB, WEB_SECRET, Map.of("grant_type", "refresh_token", "refresh_token", token));
    }

    @Test
    void retryWithinTheGraceGetsAFreshSuccessorThatWorks() {
        String original = Flows.aliceAtWeb(server).string("refresh_token");
        String lost = refresh(original).string("refresh_token");
        server.clock().advance(Duration.ofSeconds(10));

        TokenClient.Response retry = refresh(original);

        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        String fresh = retry.string("refresh_token");
        assertThat(fresh).isNotEqualTo(lost);
        assertThat(refresh(fresh).status()).isEqualTo(200);
    }

    @Test
    void presentingTheSuccessorThatTheGraceReplacedRevokesTheFamily() {
        // A thief who used the stolen token first holds the successor; the grace retry of the real client
        // replaced it. When it shows up again, one of the two is not the client: end the whole sign-in.
        String original = Flows.aliceAtWeb(server).string("refresh_token");
        String replaced = refresh(original).string("refresh_token");
        server.clock().advance(Duration.ofSeconds(10));
        String fresh = refresh(original).string("refresh_token");

        TokenClient.Response replay = refresh(replaced);

        assertThat(replay.error()).isEqualTo("invalid_grant");
        assertThat(replay.string("error_description")).contains("revoked");
        assertThat(refresh(fresh).error()).as("the replacement dies with the family").isEqualTo("invalid_grant");
    }

    @Test
    void reuseAfterTheGraceRevokesTheFamily() {
        String original = Flows.aliceAtWeb(server).string("refresh_token");
        String successor = refresh(original).string("refresh_token");
        server.clock().advance(Duration.ofSeconds(31));

        assertThat(refresh(original).error()).isEqualTo("invalid_grant");
        assertThat(refresh(successor).error()).isEqualTo("invalid_grant");
    }

    @Test
    void reuseAfterTheSuccessorWasUsedRevokesTheFamilyEvenInsideTheGrace() {
        String original = Flows.aliceAtWeb(server).string("refresh_token");
        String successor = refresh(original).string("refresh_token");
        String next = refresh(successor).string("refresh_token");

        assertThat(refresh(original).error()).isEqualTo("invalid_grant");
        assertThat(refresh(next).error()).isEqualTo("invalid_grant");
    }
}
