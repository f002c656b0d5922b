package dev.tessera.server.http;

import dev.tessera.server.config.AccountLinkConfig;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.infrastructure.store.PostgresTestDatabase;
import dev.tessera.server.testsupport.Form;
import dev.tessera.server.testsupport.IdJagAssertion;
import dev.tessera.server.testsupport.PartnerIdp;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §6: an ID-JAG is single use by (iss, jti) in the store, so it holds across every instance that shares
 * the database. Two servers on one PostgreSQL schema; their issuers differ by port, so each assertion names the
 * instance it is presented to in aud, and the replay is a second assertion with the same iss and jti.
 */
class IdJagReplayAcrossInstancesTest {
    static final String AGENT = "agent";
    static final String AGENT_SECRET = "agent-secret-0123456789-0123456789-abcdef";
    static final String ALICE_THERE = "00u-alice";

    static PartnerIdp partner;
    static TesseraTestServer instanceA;
    static TesseraTestServer instanceB;

    @BeforeAll
    static void start() {
        PostgresTestDatabase.Server postgres = PostgresTestDatabase.server();
        String schema = "xaa_replay_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        StorageConfig storage = StorageConfig.postgres(postgres.urlForSchema(schema), postgres.username(),
                postgres.password());
        partner = PartnerIdp.start("https://idp.partner.test");
        instanceA = TesseraTestServer.start(config -> configure(config, storage));
        instanceB = TesseraTestServer.start(config -> configure(config, storage));
    }

    @AfterAll
    static void stop() {
        if (instanceB != null) {
            instanceB.close();
        }
        if (instanceA != null) {
            instanceA.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    static TesseraConfig configure(TesseraConfig config, StorageConfig storage) {
        List<ClientConfig> clients = new ArrayList<>(config.clients());
        clients.add(ClientConfig.builder(AGENT).secret(AGENT_SECRET).grantTypes(List.of(ClientConfig.JWT_BEARER))
                .scopes(List.of("todo.read")).audience(List.of("https://api.todo.test")).build());
        List<UserConfig> users = new ArrayList<>();
        for (UserConfig user : config.users()) {
            users.add(!user.username().equals(ALICE) ? user : new UserConfig(user.id(), user.username(),
                    user.password(), user.passwordHash(), user.roles(), user.claims(), user.verifiedClaims(),
                    List.of(new AccountLinkConfig(partner.issuer(), ALICE_THERE))));
        }
        return config.withStorage(storage).withClients(clients).withUsers(users)
                .withTrustedIssuers(List.of(partner.trustedFor(AGENT)));
    }

    private static IdJagAssertion assertionFor(TesseraTestServer instance) {
        return partner.assertion(instance.issuer(), AGENT, ALICE_THERE, instance.clock().instant()).scope("todo.read");
    }

    private static TokenClient.Response redeem(TesseraTestServer instance, String assertion) {
        return instance.tokenClient().token(AGENT, AGENT_SECRET,
                Form.of("grant_type", ClientConfig.JWT_BEARER, "assertion", assertion));
    }

    @Test
    void bothInstancesShareOneDatabaseAndRedeemTheirOwnAssertions() {
        assertThat(instanceA.issuer()).isNotEqualTo(instanceB.issuer());

        TokenClient.Response atA = redeem(instanceA, assertionFor(instanceA).sign());
        TokenClient.Response atB = redeem(instanceB, assertionFor(instanceB).sign());

        assertThat(atA.status()).as(atA.body()).isEqualTo(200);
        assertThat(atB.status()).as(atB.body()).isEqualTo(200);
    }

    @Test
    void anIdJagRedeemedAtOneInstanceIsRefusedAtTheOtherAsAReplay() {
        IdJagAssertion forA = assertionFor(instanceA);
        TokenClient.Response first = redeem(instanceA, forA.sign());
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        // Same issuer and jti, addressed to instance B: the store already holds (iss, jti).
        String forB = assertionFor(instanceB).jti(forA.jti()).sign();
        TokenClient.Response replay = redeem(instanceB, forB);

        assertOAuthError(replay, 400, "invalid_grant");
        assertThat(replay.string("error_description")).contains("get a new ID-JAG");
    }

    @Test
    void theReplayIsRefusedAtTheFirstInstanceToo() {
        IdJagAssertion forB = assertionFor(instanceB);
        TokenClient.Response first = redeem(instanceB, forB.sign());
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        TokenClient.Response replay = redeem(instanceA, assertionFor(instanceA).jti(forB.jti()).sign());

        assertOAuthError(replay, 400, "invalid_grant");
        assertThat(replay.string("error_description")).contains("get a new ID-JAG");
    }
}
