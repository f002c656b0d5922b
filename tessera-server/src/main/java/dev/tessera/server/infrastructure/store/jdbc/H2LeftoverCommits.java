package dev.tessera.server.infrastructure.store.jdbc;

import org.h2.engine.Constants;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Finishes the transactions a crash left committed but not applied, so their rows are neither half written
 * nor locked forever.
 *
 * <p>Why: H2 commits in two steps. It first marks the transaction's undo log as committed (the commit point),
 * then rewrites each changed row as committed and drops the log. Under WRITE_DELAY=0 another session's commit
 * can write the store between the two steps, so a kill can leave a transaction marked committed with some rows
 * still carrying its uncommitted versions. On reopening H2 lists it as committed and calls
 * {@code Transaction.commit()}, which since 2.5 does nothing for a transaction that is already committed
 * ({@code if (wasActive && hasChanges)}): its rows stay locked by a transaction that never ends, readers see
 * only part of it, and an UPDATE of such a row waits forever (the restarted server hung on the first refresh
 * of that family).
 *
 * <p>What: with the store open on one connection, before the pool exists, each leftover committed transaction
 * is finished the way H2 finishes a live one: {@code TransactionStore.commit(transaction, true)} applies the
 * rest of its undo log and {@code endTransaction} closes it (and, at WRITE_DELAY=0, writes the store). Those
 * methods are package-private, hence reflection; if a newer H2 has different internals, this refuses to start
 * rather than serve a store with locked rows.
 */
final class H2LeftoverCommits {
    private static final Logger log = LoggerFactory.getLogger(H2LeftoverCommits.class);

    private H2LeftoverCommits() {
    }

    /** @return how many transactions it finished */
    static int finish(Connection connection) throws SQLException {
        TransactionStore store = transactionStore(connection);
        List<Transaction> leftovers = store.getOpenTransactions().stream()
                .filter(t -> t.getStatus() == Transaction.STATUS_COMMITTED).toList();
        if (leftovers.isEmpty()) {
            return 0;
        }
        Internals internals = Internals.of(leftovers.size());
        for (Transaction transaction : leftovers) {
            internals.finish(store, transaction);
            if (!store.isTransactionClosed(transaction.getId())) {
                throw refusal(leftovers.size(), "transaction " + transaction.getId() + " is still open after finishing it",
                        null);
            }
        }
        log.warn("Finished {} transaction(s) the crash left committed but not applied (H2 {} would leave their rows "
                + "locked); transaction ids {}", leftovers.size(), Constants.FULL_VERSION,
                leftovers.stream().map(Transaction::getId).toList());
        return leftovers.size();
    }

    private static TransactionStore transactionStore(Connection connection) throws SQLException {
        if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            throw new IllegalStateException("not an embedded H2 connection");
        }
        return session.getDatabase().getStore().getTransactionStore();
    }

    private static IllegalStateException refusal(int count, String why, Throwable cause) {
        return new IllegalStateException("The H2 store holds " + count + " transaction(s) a crash left committed "
                + "but not applied, and Tessera cannot finish them with H2 " + Constants.FULL_VERSION + " (" + why
                + "). Starting anyway would leave their rows locked. Start this store with the H2 version Tessera "
                + "was released with, or restore it from a backup.", cause);
    }

    /** The two package-private TransactionStore methods H2 itself uses to finish a commit. */
    private record Internals(Method commit, Method endTransaction, int count) {
        static Internals of(int count) {
            Method commit;
            Method end;
            try {
                commit = TransactionStore.class.getDeclaredMethod("commit", Transaction.class, boolean.class);
                end = TransactionStore.class.getDeclaredMethod("endTransaction", Transaction.class, boolean.class);
                commit.setAccessible(true);
                end.setAccessible(true);
            } catch (NoSuchMethodException | RuntimeException e) {
                throw refusal(count, "TransactionStore.commit(Transaction, boolean) or endTransaction(Transaction, "
                        + "boolean) is missing or inaccessible: " + e, e);
            }
            if (commit.getReturnType() != void.class || end.getReturnType() != void.class) {
                throw refusal(count, "TransactionStore.commit or endTransaction changed its signature", null);
            }
            return new Internals(commit, end, count);
        }

        void finish(TransactionStore store, Transaction transaction) {
            try {
                commit.invoke(store, transaction, true); // true: recovery, the log is already marked committed
                endTransaction.invoke(store, transaction, true);
            } catch (IllegalAccessException e) {
                throw refusal(count, e.toString(), e);
            } catch (InvocationTargetException e) {
                throw refusal(count, "finishing transaction " + transaction.getId() + " failed: " + e.getCause(),
                        e.getCause());
            }
        }
    }
}
