package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.user.AccountLink;
import dev.tessera.server.domain.user.User;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Users with claims as JSON text; account links live in {@code user_links} keyed by (issuer, subject)
 * so {@link #findByLink} is an index lookup and one external account maps to at most one user.
 */
public final class JdbcUserStore implements UserStore {
    private static final String COLUMNS = "id, username, password_hash, roles, claims, verified_claims, enabled";
    private static final String UPDATE = "UPDATE users SET username = ?, password_hash = ?, roles = ?, claims = ?, "
            + "verified_claims = ?, enabled = ? WHERE id = ?";
    private static final String INSERT = "INSERT INTO users (username, password_hash, roles, claims, verified_claims, "
            + "enabled, id) VALUES (?,?,?,?,?,?,?)";

    private final SqlExecutor sql;

    public JdbcUserStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public void upsert(User user) {
        Object[] params = {user.username(), user.passwordHash(), JsonColumns.write(user.roles()),
                JsonColumns.write(user.claims()), JsonColumns.write(user.verifiedClaims()), user.enabled(), user.id()};
        sql.transaction(() -> {
            // Checked first so the error names the cause; the unique constraint still guards against races.
            boolean usernameTaken = sql.queryOne("SELECT id FROM users WHERE username = ? AND id <> ?",
                    row -> row.string("id"), user.username(), user.id()).isPresent();
            if (usernameTaken) {
                throw new IllegalStateException("username is already taken by another user");
            }
            while (sql.update(UPDATE, params) == 0) {
                if (sql.insertIgnoringDuplicate(INSERT, params)) {
                    break;
                }
                if (sql.queryOne("SELECT id FROM users WHERE id = ?", row -> row.string("id"), user.id()).isEmpty()) {
                    throw new IllegalStateException("username is already taken by another user");
                }
            }
            sql.update("DELETE FROM user_links WHERE user_id = ?", user.id());
            int order = 0;
            for (AccountLink link : user.links()) {
                if (!sql.insertIgnoringDuplicate("INSERT INTO user_links (issuer, subject, user_id, link_order) VALUES (?,?,?,?)",
                        link.issuer(), link.subject(), user.id(), order++)) {
                    throw new IllegalStateException("account link is already assigned to another user");
                }
            }
            return null;
        });
    }

    @Override
    public boolean setPasswordHash(String id, String passwordHash) {
        return sql.update("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id) == 1;
    }

    @Override
    public boolean create(User user) {
        Object[] params = {user.username(), user.passwordHash(), JsonColumns.write(user.roles()),
                JsonColumns.write(user.claims()), JsonColumns.write(user.verifiedClaims()), user.enabled(), user.id()};
        return sql.transaction(() -> {
            // The case-insensitive check is for people; the unique constraint on username decides races: the
            // losing insert inserts nothing (PostgreSQL waits for the winner's commit, then skips the row).
            boolean similarTaken = !sql.query("SELECT id FROM users WHERE LOWER(username) = LOWER(?)",
                    row -> row.string("id"), user.username()).isEmpty();
            if (similarTaken || !sql.insertIgnoringDuplicate(INSERT, params)) {
                return false;
            }
            int order = 0;
            for (AccountLink link : user.links()) {
                if (!sql.insertIgnoringDuplicate("INSERT INTO user_links (issuer, subject, user_id, link_order) VALUES (?,?,?,?)",
                        link.issuer(), link.subject(), user.id(), order++)) {
                    throw new IllegalStateException("account link is already assigned to another user");
                }
            }
            return true;
        });
    }

    @Override
    public Optional<User> findById(String id) {
        return findOne("u.id = ?", id);
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return findOne("u.username = ?", username);
    }

    /**
     * The user and its links in one round trip (every token refresh reads its user): the user's columns repeat
     * once per link, and a user has few links. {@code condition} matches at most one user.
     */
    private Optional<User> findOne(String condition, Object value) {
        List<UserRow> rows = sql.query("SELECT u.id, u.username, u.password_hash, u.roles, u.claims, "
                + "u.verified_claims, u.enabled, l.issuer, l.subject FROM users u "
                + "LEFT JOIN user_links l ON l.user_id = u.id WHERE " + condition + " ORDER BY l.link_order",
                row -> new UserRow(withoutLinks(row), row.string("issuer") == null ? null
                        : new AccountLink(row.string("issuer"), row.string("subject"))), value);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<AccountLink> links = rows.stream().map(UserRow::link).filter(Objects::nonNull).toList();
        return Optional.of(copyWithLinks(rows.get(0).user(), links));
    }

    @Override
    public Optional<User> findByLink(String issuer, String subject) {
        return sql.queryOne("SELECT u.id, u.username, u.password_hash, u.roles, u.claims, u.verified_claims, u.enabled "
                + "FROM users u JOIN user_links l ON l.user_id = u.id WHERE l.issuer = ? AND l.subject = ?",
                JdbcUserStore::withoutLinks, issuer, subject).map(this::withLinks);
    }

    @Override
    public List<User> list() {
        Map<String, List<AccountLink>> links = new HashMap<>();
        for (LinkRow link : sql.query("SELECT user_id, issuer, subject FROM user_links ORDER BY user_id, link_order",
                JdbcUserStore::link)) {
            links.computeIfAbsent(link.userId(), id -> new ArrayList<>()).add(link.link());
        }
        return sql.query("SELECT " + COLUMNS + " FROM users ORDER BY username", JdbcUserStore::withoutLinks).stream()
                .map(u -> copyWithLinks(u, links.getOrDefault(u.id(), List.of())))
                .toList();
    }

    // Two queries rather than a join that repeats every user column once per link.
    private User withLinks(User user) {
        List<AccountLink> links = sql.query("SELECT user_id, issuer, subject FROM user_links WHERE user_id = ? "
                + "ORDER BY link_order", JdbcUserStore::link, user.id()).stream().map(LinkRow::link).toList();
        return copyWithLinks(user, links);
    }

    private static User copyWithLinks(User user, List<AccountLink> links) {
        return new User(user.id(), user.username(), user.passwordHash(), user.roles(), user.claims(),
                user.verifiedClaims(), links, user.enabled());
    }

    private static User withoutLinks(ResultRow row) throws SQLException {
        return new User(row.string("id"), row.string("username"), row.string("password_hash"),
                JsonColumns.strings(row.string("roles")), JsonColumns.object(row.string("claims")),
                JsonColumns.objectOrArray(row.string("verified_claims")), List.of(), row.bool("enabled"));
    }

    private static LinkRow link(ResultRow row) throws SQLException {
        return new LinkRow(row.string("user_id"), new AccountLink(row.string("issuer"), row.string("subject")));
    }

    private record LinkRow(String userId, AccountLink link) { }

    /** A user with one of its links, or none (a user without links still has its row). */
    private record UserRow(User user, AccountLink link) { }
}
