package dev.tessera.server.application.clientauth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSecretsTest {
    @Test
    void verifiesTheSecretItHashed() {
        String hash = ClientSecrets.hash("s3cret-value-that-is-long-enough-xx");
        assertThat(ClientSecrets.verify("s3cret-value-that-is-long-enough-xx", hash)).isTrue();
        assertThat(ClientSecrets.isWellFormedHash(hash)).isTrue();
    }

    @Test
    void rejectsWrongSecretsAndMalformedHashes() {
        String hash = ClientSecrets.hash("right");
        assertThat(ClientSecrets.verify("wrong", hash)).isFalse();
        assertThat(ClientSecrets.verify("right", "right")).isFalse();
        assertThat(ClientSecrets.verify("right", "sha256$%%%$%%%")).isFalse();
        assertThat(ClientSecrets.verify(null, hash)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        assertThat(ClientSecrets.hash("same")).isNotEqualTo(ClientSecrets.hash("same"));
    }

    @Test
    void generatedSecretsCarry256Bits() {
        assertThat(ClientSecrets.generate()).hasSize(43).isNotEqualTo(ClientSecrets.generate());
    }
}
