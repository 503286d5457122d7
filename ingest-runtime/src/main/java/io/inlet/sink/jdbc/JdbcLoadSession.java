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
 * commit. The bulk path (DuckDB Appender, PostgreSQL COPY) is the subclass's.
 */
abstract class JdbcLoadSession implements LoadSession {

    protected final Connection connection;
    protected final TableSchema table;
    private final JdbcWarehouse warehouse;
    private final long jobId;
    private final long generation;
    private final PreparedStatement fenceCheck;
    private final PositionLog.Writer positionLog;
    private boolean inBatch;
    /** The table's column count as the last fence check read it. */
    private int columnsNow;
    /**
     * Set when a batch's commit failed: the connection's transaction state is then unknown (DuckDB's driver, after
     * a failed COMMIT, runs every later statement in auto-commit though it still reports manual commit), so no
     * further batch may use it; the task opens a new session.
     */
    private boolean broken;

    JdbcLoadSession(JdbcWarehouse warehouse, Connection connection, long jobId, long generation, TableSchema table)
            throws SQLException {
        this.warehouse = warehouse;
        this.connection = connection;
        this.jobId = jobId;
        this.generation = generation;
        this.table = table;
        connection.setAutoCommit(false);
        // with the table's column count, which the batch's first statement reads anyway
        this.fenceCheck = connection.prepareStatement("SELECT " + warehouse.columnCountSql() + " FROM "
                + JdbcWarehouse.JOB_TABLE + " WHERE id = ?");
        this.positionLog = new PositionLog.Writer(connection, jobId, generation);
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
        if (broken) {
            throw new IllegalStateException("a commit of this session failed; a new session must load the next batch");
        }
        // The first statement opens the transaction that the bulk writer then joins.
        if (!readJob()) {
            connection.rollback();
            throw new FencedException("job " + jobId + " no longer exists in the catalog");
        }
        // the job's generation moves with every replica's claim; what fences this session is its partitions'
        // entries (PositionLog), checked as the batch appends them
        if (columnsNow != table.describedColumns()) {
            connection.rollback();
            warehouse.columnsChanged(table);
            throw new RetryLaterException("table " + table.qualifiedName() + " has " + columnsNow + " columns, not the "
                    + table.describedColumns() + " the job's schema was read with; reading it again", false, null);
        }
        openWriter();
        inBatch = true;
    }

    @Override
    public void append(Object[] row) throws Exception {
        writeRow(row);
    }

    @Override
    public List<PartitionCommit> commit(Collection<PartitionCommit> positions) throws Exception {
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
            positionLog.pruneNow(positions);
            try {
                connection.commit();
            } catch (SQLException e) {
                throw fencedOr(e);
            }
            inBatch = false;
            return List.copyOf(positions);
        } catch (Exception e) {
            rollback();
            broken = true;
            throw e;
        }
    }

    /**
     * A failed append or commit is a collision with another replica's claim of a partition when it broke the
     * position log's primary key (the claim appended the same entry number first); otherwise it is the failure it
     * says it is.
     */
    private Exception fencedOr(SQLException failure) {
        rollback();
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

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // no transaction is open, or the connection is gone: nothing is left to undo
        }
    }

    @Override
    public void rollback() {
        abandonWriter();
        rollbackQuietly();
        inBatch = false;
    }

    @Override
    public void close() {
        if (inBatch) {
            rollback();
        }
        try {
            fenceCheck.close();
            positionLog.close();
            connection.close();
        } catch (SQLException ignored) {
            // closing
        }
    }
}
