package io.inlet.sink.jdbc;

import io.inlet.sink.FencedException;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
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
    private final long jobId;
    private final long generation;
    private final PreparedStatement fenceCheck;
    private final PreparedStatement advance;
    private boolean inBatch;

    JdbcLoadSession(Connection connection, long jobId, long generation, TableSchema table) throws SQLException {
        this.connection = connection;
        this.jobId = jobId;
        this.generation = generation;
        this.table = table;
        connection.setAutoCommit(false);
        this.fenceCheck = connection.prepareStatement(
                "SELECT generation FROM " + JdbcWarehouse.JOB_TABLE + " WHERE id = ?");
        this.advance = connection.prepareStatement("UPDATE " + JdbcWarehouse.POSITION_TABLE
                + " SET position = ?, total_rows = total_rows + ?, loaded_rows = loaded_rows + ?,"
                + " error_rows = error_rows + ?, unselected_rows = unselected_rows + ?,"
                + " received_bytes = received_bytes + ? WHERE job_id = ? AND source_partition = ? AND generation = ?");
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
        // The first statement opens the transaction that the bulk writer then joins.
        fenceCheck.setLong(1, jobId);
        long current;
        try (ResultSet rs = fenceCheck.executeQuery()) {
            if (!rs.next()) {
                connection.rollback();
                throw new FencedException("job " + jobId + " no longer exists in the catalog");
            }
            current = rs.getLong(1);
        }
        if (current != generation) {
            connection.rollback();
            throw new FencedException("job " + jobId + " was claimed by another runtime (generation " + current
                    + ", this runtime holds " + generation + ")");
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
                advance.setString(1, p.position());
                advance.setLong(2, p.totalRows());
                advance.setLong(3, p.loadedRows());
                advance.setLong(4, p.errorRows());
                advance.setLong(5, p.unselectedRows());
                advance.setLong(6, p.receivedBytes());
                advance.setLong(7, jobId);
                advance.setString(8, p.partition());
                advance.setLong(9, generation);
                if (advance.executeUpdate() != 1) {
                    connection.rollback();
                    inBatch = false;
                    throw new FencedException("partition " + p.partition() + " of job " + jobId
                            + " is owned by a newer runtime; this batch was rolled back");
                }
            }
            connection.commit();
            inBatch = false;
            return List.copyOf(positions);
        } catch (FencedException e) {
            throw e;
        } catch (Exception e) {
            rollback();
            throw e;
        }
    }

    @Override
    public void rollback() {
        abandonWriter();
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the transaction is gone with it
        }
        inBatch = false;
    }

    @Override
    public void close() {
        if (inBatch) {
            rollback();
        }
        try {
            fenceCheck.close();
            advance.close();
            connection.close();
        } catch (SQLException ignored) {
            // closing
        }
    }
}
