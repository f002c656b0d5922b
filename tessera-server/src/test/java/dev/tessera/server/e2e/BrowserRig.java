package dev.tessera.server.e2e;

import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.testsupport.TesseraTestServer;

import java.util.function.BiFunction;

/**
 * What a browser test runs against, started and stopped together: a relying party for the browser to land on, a
 * Tessera that has it as a client, and headless Chromium (the test is skipped where Chromium is not installed).
 */
record BrowserRig(RelyingParty relyingParty, TesseraTestServer server, HeadlessChromium chromium)
        implements AutoCloseable {

    /** @param withClient adds the relying party, given its callback URI, to the server's configuration */
    static BrowserRig start(BiFunction<TesseraConfig, String, TesseraConfig> withClient) {
        HeadlessChromium.requireInstalled();
        RelyingParty relyingParty = RelyingParty.start();
        TesseraTestServer server = null;
        try {
            server = TesseraTestServer.start(config -> withClient.apply(config, relyingParty.callbackUri()));
            return new BrowserRig(relyingParty, server, HeadlessChromium.launch());
        } catch (RuntimeException | Error e) {
            if (server != null) {
                server.close();
            }
            relyingParty.close();
            throw e;
        }
    }

    /** Before each test: no cookie of an earlier sign-in in the browser, no callback waiting at the relying party. */
    void signedOut() {
        chromium.clearCookies();
        relyingParty.forgetCallbacks();
    }

    @Override
    public void close() {
        chromium.close();
        server.close();
        relyingParty.close();
    }
}
