package io.inlet.sink.jdbc;

import io.inlet.sink.FencedException;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.RetryLaterException;
import io.inlet.sink.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The transaction protocol shared by the JDBC warehouses: begin, stream rows through the
 * dialect's bulk path, then advance every partition's position under the owner generation and
 * commit. The bulk path (DuckDB Appender, PostgreSQL COPY) is the subclass's. A batch borrows one
 * of the runtime's pooled connections at begin and gives it back once it is committed or rolled
 * back, so that a session holds none between batches.
 */
abstract class JdbcLoadSession implements LoadSession {

    /** The batch's connection, from {@link #begin} until its commit or rollback; null between batches. */
    protected Connection connection;
    protected final TableSchema table;
    private final JdbcWarehouse warehouse;
    private final long jobId;
    private final long generation;
    private PreparedStatement fenceCheck;
    private PositionLog.Writer positionLog;
    private long batches;
    /** The table's column count as the last fence check read it. */
    private int columnsNow;

    JdbcLoadSession(JdbcWarehouse warehouse, long jobId, long generation, TableSchema table) {
        this.warehouse = warehouse;
        this.jobId = jobId;
        this.generation = generation;
        this.table = table;
    }

    /** Opens the bulk writer for a batch; called inside the batch's transaction. */
    protected abstract void openWriter() throws SQLException;

    protected abstract void writeRow(Object[] row) throws SQLException;

    /** Finishes the bulk writer so that its rows are part of the transaction. */
    protected abstract void finishWriter() throws SQLException;

    /** Discards the bulk writer after a failure or rollback. */
    protected abstract void abandonWriter();

    @Override
    public void begin(Map<String, String> positions) throws Exception {
        borrow();
        // The first statement opens the transaction that the bulk writer then joins.
        boolean exists;
        try {
            exists = readJob();
        } catch (SQLException e) {
            giveBack(true);
            throw e;
        }
        if (!exists) {
            rollbackAndGiveBack();
            throw new FencedException("job " + jobId + " no longer exists in the catalog");
        }
        // the job's generation moves with every replica's claim; what fences this session is its partitions'
        // entries (PositionLog), checked as the batch appends them
        if (columnsNow != table.describedColumns()) {
            rollbackAndGiveBack();
            warehouse.columnsChanged(table);
            throw new RetryLaterException("table " + table.qualifiedName() + " has " + columnsNow + " columns, not the "
                    + table.describedColumns() + " the job's schema was read with; reading it again", false, null);
        }
        try {
            openWriter();
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e;
        }
    }

    private void borrow() throws SQLException {
        Connection c = warehouse.loadConnections().borrow();
        try {
            c.setAutoCommit(false);
            // with the table's column count, which the batch's first statement reads anyway
            fenceCheck = c.prepareStatement("SELECT " + warehouse.columnCountSql() + " FROM "
                    + JdbcWarehouse.JOB_TABLE + " WHERE id = ?");
            positionLog = new PositionLog.Writer(c, jobId, generation);
        } catch (SQLException | RuntimeException e) {
            connection = c;
            giveBack(true);
            throw e;
        }
        connection = c;
    }

    @Override
    public void append(Object[] row) throws Exception {
        writeRow(row);
    }

    @Override
    public List<PartitionCommit> commit(Collection<PartitionCommit> positions) throws Exception {
        if (connection == null) {
            throw new IllegalStateException("commit without a batch begun");
        }
        boolean committing = false;
        try {
            finishWriter();
            for (PartitionCommit p : positions) {
                boolean advanced;
                try {
                    advanced = positionLog.advance(p);
                } catch (SQLException e) {
                    throw fencedOr(e);
                }
                if (!advanced) {
                    throw new FencedException("partition " + p.partition() + " of job " + jobId
                            + " is owned by a newer runtime; this batch was rolled back");
                }
            }
            if (++batches % PositionLog.PRUNE_EVERY == 0) {
                positionLog.prune(positions);
            }
            committing = true;
            try {
                connection.commit();
            } catch (SQLException e) {
                throw fencedOr(e);
            }
            giveBack(false);
            return List.copyOf(positions);
        } catch (Exception e) {
            abandonWriter();
            boolean rolledBack = rollbackQuietly();
            // the transaction's state is unknown after a failed COMMIT (DuckDB's driver then runs every later
            // statement in auto-commit though it still reports manual commit): that connection is not reused
            giveBack(committing || !rolledBack);
            throw e;
        }
    }

    /**
     * A failed append or commit is a collision with another replica's claim of a partition when it broke the
     * position log's primary key (the claim appended the same entry number first); otherwise it is the failure it
     * says it is.
     */
    private Exception fencedOr(SQLException failure) {
        if (duplicateKey(failure)) {
            return new FencedException("a partition of job " + jobId + " was claimed by another runtime while this"
                    + " batch committed (generation " + generation + "); this batch was rolled back");
        }
        return failure;
    }

    private static boolean duplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())
                    || String.valueOf(t.getMessage()).contains("Duplicate key")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the job is still in the catalog; reads the table's column count with it. */
    private boolean readJob() throws SQLException {
        fenceCheck.setString(1, table.schema());
        fenceCheck.setString(2, table.table());
        fenceCheck.setLong(3, jobId);
        try (ResultSet rs = fenceCheck.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
            columnsNow = rs.getInt(1);
            return true;
        }
    }

    /** Rolls back; false when the connection could not (it is then not reused). */
    private boolean rollbackQuietly() {
        try {
            connection.rollback();
            return true;
        } catch (SQLException ignored) {
            return false; // the connection is gone: nothing is left to undo
        }
    }

    private void rollbackAndGiveBack() {
        giveBack(!rollbackQuietly());
    }

    private void giveBack(boolean broken) {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try {
            fenceCheck.close();
            positionLog.close();
        } catch (SQLException | RuntimeException ignored) {
            broken = true;
        }
        fenceCheck = null;
        positionLog = null;
        warehouse.loadConnections().release(c, broken);
    }

    @Override
    public void rollback() {
        if (connection == null) {
            return;
        }
        abandonWriter();
        rollbackAndGiveBack();
    }

    @Override
    public void close() {
        rollback();
    }
}
