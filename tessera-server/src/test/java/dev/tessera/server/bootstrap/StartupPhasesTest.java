package dev.tessera.server.bootstrap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartupPhasesTest {
    @Test
    void theSummaryNamesTheTimeBeforeStartAndEachPhaseInOrder() {
        StartupPhases phases = new StartupPhases();
        phases.done("store");
        phases.done("keys");

        assertThat(phases.summary()).matches(
                "\\d+ ms after the JVM started \\(JVM and command line \\d+, store \\d+, keys \\d+\\) ms");
    }
}
