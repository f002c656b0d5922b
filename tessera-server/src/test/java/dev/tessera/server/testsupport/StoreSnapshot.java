package dev.tessera.server.testsupport;

import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.infrastructure.store.jdbc.DataSources;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every row of every Tessera table, as text, read straight from the database: what "nothing was written" is
 * checked against. Flyway's history table is left out.
 */
public record StoreSnapshot(Map<String, List<String>> rowsByTable) {
    public static StoreSnapshot of(StorageConfig storage) {
        try (Connection connection = connect(storage)) {
            Map<String, List<String>> rows = new TreeMap<>();
            for (String table : tables(connection)) {
                rows.put(table, rows(connection, table));
            }
            return new StoreSnapshot(rows);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store: " + e.getMessage(), e);
        }
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        rowsByTable.forEach((table, rows) -> counts.put(table, rows.size()));
        return counts;
    }

    /** This snapshot without the named tables (lower case), for checks that allow them to change. */
    public StoreSnapshot without(String... tables) {
        Map<String, List<String>> rest = new TreeMap<>(rowsByTable);
        Arrays.stream(tables).forEach(rest::remove);
        return new StoreSnapshot(rest);
    }

    public List<String> rows(String table) {
        return rowsByTable.getOrDefault(table, List.of());
    }

    // In the same JVM the H2 URL opens the server's own database, not a copy.
    private static Connection connect(StorageConfig storage) throws SQLException {
        if (storage.isPostgres()) {
            return DriverManager.getConnection(storage.url(), storage.username(), storage.password());
        }
        return DriverManager.getConnection(DataSources.h2FileUrl(storage.path()), "sa", "");
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData().getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!name.startsWith("flyway_")) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    private static List<String> rows(Connection connection, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.append(column == 1 ? "" : " | ").append(meta.getColumnLabel(column).toLowerCase(Locale.ROOT))
                            .append('=').append(rs.getString(column));
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }
}
