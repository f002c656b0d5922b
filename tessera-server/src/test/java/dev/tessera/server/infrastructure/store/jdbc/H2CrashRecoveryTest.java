package dev.tessera.server.infrastructure.store.jdbc;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash images are copies of a store file taken while H2 has it open and no write is in flight: what a kill -9
 * leaves on disk (every write H2 made is in the OS's hands). Each test first shows what H2 alone makes of the
 * image, so it fails if a new H2 no longer has the defect (and {@link H2CrashRecovery} may then go), then what
 * Tessera's start does with it.
 */
class H2CrashRecoveryTest {
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void aCommitWrittenAfterAMispredictedChunkIsNotLostOnRestart() throws Exception {
        Path live = dir.resolve("live");
        int acknowledged = 0;
        try (Connection connection = DriverManager.getConnection(DataSources.h2FileUrl(live), "sa", "");
             Statement sql = connection.createStatement()) {
            // RETENTION_TIME 0 lets H2 reuse freed space at once, as it does 45 s into any busy run.
            sql.execute("SET RETENTION_TIME 0");
            sql.execute("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR, touched TIMESTAMP)");
            // A rotation's shape: insert the successor, mark its predecessor, one commit each.
            for (int id = 1; id <= 2000 && acknowledged == 0; id++) {
                connection.setAutoCommit(false);
                sql.execute("INSERT INTO t VALUES (" + id + ", RANDOM_UUID()::VARCHAR, NULL)");
                sql.execute("UPDATE t SET touched = CURRENT_TIMESTAMP WHERE id = " + (id - 1));
                connection.commit();
                connection.setAutoCommit(true);
                if (newestChunkIsUnreachableFromTheHeader(Path.of(live + ".mv.db"))) {
                    acknowledged = id;
                    crashImage(live, "plain");
                    crashImage(live, "tessera");
                }
            }
        }
        assertThat(acknowledged).as("no store state that loses a commit within 2000 commits").isPositive();

        assertThat(maxId(DataSources.h2FileUrl(dir.resolve("plain")))).as("H2 alone drops the last commit")
                .isLessThan(acknowledged);

        H2CrashRecovery.prepare(dir.resolve("tessera"), DataSources.h2FileUrl(dir.resolve("tessera")));
        assertThat(maxId(DataSources.h2FileUrl(dir.resolve("tessera")))).isEqualTo(acknowledged);
        assertThat(H2CrashRecovery.closedCleanly(dir.resolve("tessera.mv.db"))).isTrue();
    }

    @Test
    void aTransactionTheCrashLeftCommittedButUnappliedIsFinishedNotLeftLocked() throws Exception {
        Path live = dir.resolve("live");
        String url = DataSources.h2FileUrl(live);
        try (Connection setup = DriverManager.getConnection(url, "sa", "");
             Statement sql = setup.createStatement();
             Connection rotating = DriverManager.getConnection(url, "sa", "");
             Statement rotation = rotating.createStatement()) {
            sql.execute("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR)");
            sql.execute("INSERT INTO t VALUES (1, 'before'), (2, 'before')");
            rotating.setAutoCommit(false);
            rotation.executeUpdate("UPDATE t SET v = 'after'");
            // H2's commit, cut between its two steps: the undo log is marked committed (the commit point) and
            // written, the rows still carry the transaction's uncommitted versions.
            SessionLocal session = session(rotating);
            TransactionStore transactions = session.getDatabase().getStore().getTransactionStore();
            Method mark = TransactionStore.class.getDeclaredMethod("markUndoLogAsCommitted", int.class, long.class);
            mark.setAccessible(true);
            mark.invoke(transactions, session.getTransaction().getId(), 1L);
            session.getDatabase().getStore().getMvStore().commit();
            crashImage(live, "plain");
            crashImage(live, "tessera");
            rotating.rollback();
        }

        String plain = DataSources.h2FileUrl(dir.resolve("plain")).replace("LOCK_TIMEOUT=10000", "LOCK_TIMEOUT=200");
        try (Connection connection = DriverManager.getConnection(plain, "sa", "");
             Statement sql = connection.createStatement()) {
            assertThat(leftoverCommitted(connection)).as("H2 alone leaves the committed transaction open").isEqualTo(1);
            assertThat(values(sql)).as("and its update invisible").containsExactly("before", "before");
        }

        String url2 = DataSources.h2FileUrl(dir.resolve("tessera")).replace("LOCK_TIMEOUT=10000", "LOCK_TIMEOUT=200");
        H2CrashRecovery.prepare(dir.resolve("tessera"), url2);
        try (Connection connection = DriverManager.getConnection(url2, "sa", "");
             Statement sql = connection.createStatement()) {
            assertThat(leftoverCommitted(connection)).isZero();
            assertThat(values(sql)).containsExactly("after", "after");
            assertThat(sql.executeUpdate("UPDATE t SET v = 'next' WHERE id = 1")).as("the row is not locked").isEqualTo(1);
        }
    }

    @Test
    void aCleanlyClosedStoreIsNotTouched() throws Exception {
        Path store = dir.resolve("clean");
        try (Connection connection = DriverManager.getConnection(DataSources.h2FileUrl(store), "sa", "");
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE t(id INT PRIMARY KEY)");
            sql.execute("INSERT INTO t VALUES (1)");
        }
        Path file = Path.of(store + ".mv.db");
        byte[] before = Files.readAllBytes(file);
        assertThat(H2CrashRecovery.closedCleanly(file)).isTrue();

        H2CrashRecovery.prepare(store, DataSources.h2FileUrl(store));

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aStoreInUseIsLeftForH2ToRefuse() throws Exception {
        Path store = dir.resolve("busy");
        try (Connection running = DriverManager.getConnection(DataSources.h2FileUrl(store), "sa", "");
             Statement sql = running.createStatement()) {
            sql.execute("CREATE TABLE t(id INT PRIMARY KEY)");
            assertThat(H2CrashRecovery.closedCleanly(Path.of(store + ".mv.db"))).isFalse();

            H2CrashRecovery.prepare(store, DataSources.h2FileUrl(store));

            sql.execute("INSERT INTO t VALUES (1)");
        }
    }

    @Test
    void aNewStoreIsNotCreated() {
        H2CrashRecovery.prepare(dir.resolve("absent"), DataSources.h2FileUrl(dir.resolve("absent")));
        assertThat(dir.resolve("absent.mv.db")).doesNotExist();
    }

    private void crashImage(Path live, String name) throws IOException {
        Files.copy(Path.of(live + ".mv.db"), dir.resolve(name + ".mv.db"));
    }

    private static SessionLocal session(Connection connection) throws SQLException {
        return (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    }

    private static long leftoverCommitted(Connection connection) throws SQLException {
        return session(connection).getDatabase().getStore().getTransactionStore().getOpenTransactions().stream()
                .filter(t -> t.getStatus() == Transaction.STATUS_COMMITTED).count();
    }

    private static List<String> values(Statement sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("SELECT v FROM t ORDER BY id")) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static int maxId(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement sql = connection.createStatement();
             ResultSet max = sql.executeQuery("SELECT MAX(id) FROM t")) {
            max.next();
            return max.getInt(1);
        }
    }

    /**
     * What H2 2.5.252 does on opening a crashed store, from the file's own text headers: start at the chunk the
     * store header names, follow each chunk's {@code next} prediction while it leads to the following chunk id,
     * and also take the chunk that ends the file. True when a newer complete chunk exists that this misses.
     */
    private static boolean newestChunkIsUnreachableFromTheHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long blocks = channel.size() / BLOCK;
            Map<String, String> header = fields(channel, 0);
            int reachable = hexInt(header, "chunk");
            Map<String, String> chunk = fields(channel, hexLong(header, "block") * BLOCK);
            while (true) {
                long next = hexLong(chunk, "next");
                if (next <= 0 || next >= blocks) {
                    break;
                }
                Map<String, String> following = fields(channel, next * BLOCK);
                if (hexInt(following, "chunk") != reachable + 1) {
                    break;
                }
                reachable++;
                chunk = following;
            }
            ByteBuffer footer = ByteBuffer.allocate(128);
            channel.read(footer, channel.size() - 128);
            reachable = Math.max(reachable, hexInt(parse(new String(footer.array(), StandardCharsets.ISO_8859_1)), "chunk"));
            int newest = -1;
            for (long block = 2; block < blocks; block++) {
                Map<String, String> candidate = fields(channel, block * BLOCK);
                if (candidate.containsKey("len")) {
                    newest = Math.max(newest, hexInt(candidate, "chunk"));
                }
            }
            return newest > reachable;
        }
    }

    private static Map<String, String> fields(FileChannel channel, long position) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(1024);
        channel.read(text, position);
        String line = new String(text.array(), 0, text.position(), StandardCharsets.ISO_8859_1);
        int end = line.indexOf('\n');
        return end < 0 ? Map.of() : parse(line.substring(0, end));
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> fields = new HashMap<>();
        if (!text.startsWith("chunk:") && !text.startsWith("H:")) {
            return fields;
        }
        for (String field : text.trim().split(",")) {
            int colon = field.indexOf(':');
            if (colon > 0) {
                fields.put(field.substring(0, colon), field.substring(colon + 1));
            }
        }
        return fields;
    }

    private static int hexInt(Map<String, String> fields, String key) {
        return (int) hexLong(fields, key);
    }

    private static long hexLong(Map<String, String> fields, String key) {
        String value = fields.get(key);
        return value == null ? -1 : Long.parseLong(value, 16);
    }
}
