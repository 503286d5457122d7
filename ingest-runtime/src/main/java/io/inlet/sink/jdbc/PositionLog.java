package io.inlet.sink.jdbc;

import io.inlet.sink.CommittedPosition;
import io.inlet.sink.PartitionCommit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The source positions of the JDBC warehouses, as an append-only log: {@code inlet_state.routine_load_position_log}
 * holds, per job and source partition, numbered entries (the position to resume from, the generation of the runtime
 * that wrote it, cumulative row counters); the entry with the highest number is the partition's position.
 * <p>
 * A batch appends the entry after the one it read, and only if that one carries its own generation. A runtime that
 * claims a job appends an entry under its new generation to every partition: a zombie's batch then either sees that
 * entry (and appends nothing) or collides with it on the primary key when it tries to append the same number, and
 * rolls back.
 * <p>
 * Why a log and not one row per partition updated in place: in DuckDB a transaction that updates rows keeps the
 * database from checkpointing until every transaction that overlapped it has ended. A job's tasks load in
 * overlapping transactions, so with an update in each, DuckDB never checkpointed while a job loaded: its WAL grew
 * with every row, and the next solitary commit paid for checkpointing all of it. Appends do not hold checkpoints
 * back. Old entries are pruned every {@value #PRUNE_EVERY} batches of a session.
 */
final class PositionLog {

    static final String TABLE = JdbcWarehouse.STATE_SCHEMA + ".routine_load_position_log";
    /** The table of one row per partition that earlier versions kept; its rows move into the log. */
    static final String FORMER_TABLE_NAME = "routine_load_position";
    static final String FORMER_TABLE = JdbcWarehouse.STATE_SCHEMA + "." + FORMER_TABLE_NAME;
    /** Entries kept per partition when pruning. */
    static final int KEEP = 8;
    static final int PRUNE_EVERY = 64;

    private static final String COLUMNS = "job_id, source_partition, seq, position, generation, total_rows,"
            + " loaded_rows, error_rows, unselected_rows, received_bytes";
    private static final String LATEST = "seq = (SELECT max(m.seq) FROM " + TABLE + " m"
            + " WHERE m.job_id = l.job_id AND m.source_partition = l.source_partition)";

    private PositionLog() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (job_id BIGINT NOT NULL,"
                    + " source_partition VARCHAR NOT NULL, seq BIGINT NOT NULL, position VARCHAR,"
                    + " generation BIGINT NOT NULL, total_rows BIGINT NOT NULL, loaded_rows BIGINT NOT NULL,"
                    + " error_rows BIGINT NOT NULL, unselected_rows BIGINT NOT NULL, received_bytes BIGINT NOT NULL,"
                    + " PRIMARY KEY (job_id, source_partition, seq))");
        }
        if (exists(c, FORMER_TABLE_NAME)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + TABLE + " (" + COLUMNS + ") SELECT job_id, source_partition, 1,"
                        + " position, generation, total_rows, loaded_rows, error_rows, unselected_rows, received_bytes"
                        + " FROM " + FORMER_TABLE);
                s.execute("DROP TABLE " + FORMER_TABLE);
            }
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, JdbcWarehouse.STATE_SCHEMA);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** A partition's latest entry. */
    record Entry(long seq, CommittedPosition position) {}

    static Map<String, Entry> latest(Connection c, long jobId) throws SQLException {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_partition, seq, position,"
                + " total_rows, loaded_rows, error_rows, unselected_rows, received_bytes FROM " + TABLE + " l"
                + " WHERE job_id = ? AND " + LATEST + " ORDER BY source_partition")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String partition = rs.getString(1);
                    out.put(partition, new Entry(rs.getLong(2), new CommittedPosition(partition, rs.getString(3),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8))));
                }
            }
        }
        return out;
    }

    /**
     * Appends an entry under {@code generation} to each of {@code partitions} and of {@code moved}'s: each keeps its
     * position unless {@code moved} gives a new one. A runtime that wrote these partitions under an older
     * generation is fenced from them from then on; the job's other partitions stay with whoever holds them.
     */
    static void takeOver(Connection c, long jobId, long generation, Collection<String> partitions,
                         Map<String, String> moved) throws SQLException {
        Map<String, Entry> latest = latest(c, jobId);
        Set<String> all = new LinkedHashSet<>(partitions);
        all.addAll(moved.keySet());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (String p : all) {
                Entry e = latest.get(p);
                CommittedPosition at = e == null ? new CommittedPosition(p, null, 0, 0, 0, 0, 0) : e.position();
                ps.setLong(1, jobId);
                ps.setString(2, p);
                ps.setLong(3, e == null ? 1 : e.seq() + 1);
                ps.setString(4, moved.getOrDefault(p, at.position()));
                ps.setLong(5, generation);
                ps.setLong(6, at.totalRows());
                ps.setLong(7, at.loadedRows());
                ps.setLong(8, at.errorRows());
                ps.setLong(9, at.unselectedRows());
                ps.setLong(10, at.receivedBytes());
                ps.executeUpdate();
            }
        }
    }

    /** A session's statements: appending a batch's entry, and pruning. */
    static final class Writer implements AutoCloseable {
        private final long jobId;
        private final long generation;
        private final PreparedStatement advance;
        private final PreparedStatement prune;

        Writer(Connection c, long jobId, long generation) throws SQLException {
            this.jobId = jobId;
            this.generation = generation;
            this.advance = c.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS + ")"
                    + " SELECT job_id, source_partition, seq + 1, CAST(? AS VARCHAR), generation, total_rows + ?,"
                    + " loaded_rows + ?, error_rows + ?, unselected_rows + ?, received_bytes + ? FROM " + TABLE + " l"
                    + " WHERE job_id = ? AND source_partition = ? AND generation = ? AND " + LATEST);
            this.prune = c.prepareStatement("DELETE FROM " + TABLE + " WHERE job_id = ? AND source_partition = ?"
                    + " AND seq <= (SELECT max(seq) FROM " + TABLE + " WHERE job_id = ? AND source_partition = ?) - ?");
        }

        /**
         * Appends the batch's entry after the partition's latest one; false when that one is not this writer's
         * generation (the caller rolls back). A runtime that claimed the job meanwhile makes the append fail on the
         * primary key instead.
         */
        boolean advance(PartitionCommit p) throws SQLException {
            advance.setString(1, p.position());
            advance.setLong(2, p.totalRows());
            advance.setLong(3, p.loadedRows());
            advance.setLong(4, p.errorRows());
            advance.setLong(5, p.unselectedRows());
            advance.setLong(6, p.receivedBytes());
            advance.setLong(7, jobId);
            advance.setString(8, p.partition());
            advance.setLong(9, generation);
            return advance.executeUpdate() == 1;
        }

        /** Drops all but the last {@value #KEEP} entries of the partitions (every {@value #PRUNE_EVERY} batches). */
        void prune(Collection<PartitionCommit> partitions) throws SQLException {
            for (PartitionCommit p : partitions) {
                prune.setLong(1, jobId);
                prune.setString(2, p.partition());
                prune.setLong(3, jobId);
                prune.setString(4, p.partition());
                prune.setLong(5, KEEP);
                prune.executeUpdate();
            }
        }

        @Override
        public void close() throws SQLException {
            advance.close();
            prune.close();
        }
    }
}
