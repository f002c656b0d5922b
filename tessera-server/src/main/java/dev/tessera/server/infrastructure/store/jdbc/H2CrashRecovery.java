package dev.tessera.server.infrastructure.store.jdbc;

import org.h2.mvstore.DataUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs before an embedded H2 store is opened for use, and does something only when its last run did not end
 * with a clean shutdown (a kill, a crash, a power cut). Two H2 defects on that path, both in 2.5.252 and on
 * H2's master branch, broke SPEC §8 ("a crash at any point loses no issued refresh token"):
 * <ol>
 *   <li>H2 can open the file at an older version than the newest it wrote, dropping commits it had already
 *       acknowledged: {@link H2NewestChunkRecovery}.</li>
 *   <li>A transaction whose commit was cut short stays half applied, its rows locked for good:
 *       {@link H2LeftoverCommits}.</li>
 * </ol>
 * After a clean shutdown this costs one read of the file's first block.
 */
final class H2CrashRecovery {
    private static final int HEADER_BLOCK = 4096;

    private H2CrashRecovery() {
    }

    /**
     * @param database the path H2 is given, without {@code .mv.db}
     * @param url      the JDBC URL the store is used with, so the leftover commits are finished with the same
     *                 settings (WRITE_DELAY=0 makes that work durable before the pool opens)
     */
    static void prepare(Path database, String url) {
        Path file = Path.of(database.toAbsolutePath().normalize() + ".mv.db");
        if (!Files.isRegularFile(file) || closedCleanly(file)) {
            return;
        }
        if (!H2NewestChunkRecovery.recover(file)) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            H2LeftoverCommits.finish(connection);
        } catch (SQLException e) {
            throw new StorageException("cannot open the H2 store " + file + " after an unclean shutdown", e);
        }
    }

    /**
     * H2 writes its store header twice (the first two blocks) and sets {@code clean} in it only when it closes
     * the store; the first write after opening removes it. A header that cannot be read is left to H2 itself,
     * which reports the corruption.
     */
    static boolean closedCleanly(Path file) {
        byte[] blocks = new byte[2 * HEADER_BLOCK];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(blocks, 0, blocks.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the H2 store header of " + file, e);
        }
        boolean anyHeader = false;
        for (int offset = 0; offset + HEADER_BLOCK <= read; offset += HEADER_BLOCK) {
            Map<String, String> header = parse(Arrays.copyOfRange(blocks, offset, offset + HEADER_BLOCK));
            if (header != null) {
                anyHeader = true;
                if (!"0".equals(header.getOrDefault("clean", "0"))) {
                    return true;
                }
            }
        }
        return !anyHeader;
    }

    /** One header block: {@code key:value,...,fletcher:checksum} and a newline; null unless the checksum holds. */
    private static Map<String, String> parse(byte[] block) {
        int end = 0;
        while (end < block.length && block[end] != '\n' && block[end] != 0) {
            end++;
        }
        String line = new String(block, 0, end, StandardCharsets.ISO_8859_1);
        int checksum = line.lastIndexOf(",fletcher:");
        if (checksum < 0) {
            return null;
        }
        try {
            int expected = (int) Long.parseLong(line.substring(checksum + ",fletcher:".length()), 16);
            return expected == DataUtils.getFletcher32(block, 0, checksum)
                    ? DataUtils.parseMap(line.substring(0, checksum)) : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
