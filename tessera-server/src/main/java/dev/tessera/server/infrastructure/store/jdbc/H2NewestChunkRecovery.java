package dev.tessera.server.infrastructure.store.jdbc;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Makes H2 open a crashed store at the newest version it completely wrote, not an older one.
 *
 * <p>Why: an MVStore file is a sequence of chunks, one per commit (WRITE_DELAY=0). After an unclean shutdown
 * H2 starts from the chunk its file header names and follows each chunk's prediction of where the next one
 * goes. When a chunk lands somewhere else, H2 rewrites the header, but since 2.2.220 it writes the
 * <em>previous</em> chunk into it ({@code FileStore.storeBuffer} sets {@code lastChunk} only after
 * {@code writeChunk} has written the header), and that chunk's prediction is the one that was wrong. Until the
 * header is rewritten (within about 20 commits) a crash makes H2 stop at that chunk: every later commit,
 * already acknowledged, is silently gone. In the kill test this lost the newest refresh token of all eight
 * families at once.
 *
 * <p>What: MVStore's recovery mode scans the whole file for complete chunks and takes the newest version whose
 * chunks are all intact; closing it writes a clean header naming that chunk, which the database then opens
 * normally. It reads every block once (under a second for a 40 MB file), and only after an unclean shutdown.
 */
final class H2NewestChunkRecovery {
    private static final Logger log = LoggerFactory.getLogger(H2NewestChunkRecovery.class);

    private H2NewestChunkRecovery() {
    }

    /** @return false, with nothing done, when another process has the store open (H2 then says so itself) */
    static boolean recover(Path file) {
        long started = System.nanoTime();
        long version;
        try (MVStore store = new MVStore.Builder().fileName(file.toString()).recoveryMode().autoCommitDisabled()
                .open()) {
            version = store.getCurrentVersion();
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                return false; // a running server's store is not closed cleanly either
            }
            throw new IllegalStateException("The H2 store " + file + " was not shut down cleanly and cannot be "
                    + "recovered: " + e.getMessage(), e);
        }
        log.warn("The H2 store {} was not shut down cleanly; reopened it at the newest version it completely "
                + "wrote ({}), found by scanning the file in {} ms", file, version,
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }
}
