package io.inlet.sink.jdbc;

import io.inlet.job.JobCatalog;
import io.inlet.job.JobException;
import io.inlet.job.JobIdTakenException;
import io.inlet.job.JobRecord;
import io.inlet.job.JobState;
import io.inlet.sink.ColumnDef;
import io.inlet.sink.CommittedPosition;
import io.inlet.sink.TableNotFoundException;
import io.inlet.sink.TableSchema;
import io.inlet.sink.UnsupportedColumnException;
import io.inlet.expr.SqlType;
import io.inlet.sink.Warehouse;
import io.inlet.sink.LoadPlan;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PositionStore;
import io.inlet.sink.SessionSpec;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobProperties;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JDBC warehouse. Inlet's own state lives in schema {@code inlet_state} of the same database, so
 * that a batch's rows and its source positions commit in one transaction:
 * <ul>
 *   <li>{@code inlet_state.routine_load_job}: definitions, states and the owner generation;</li>
 *   <li>{@code inlet_state.routine_load_position_log}: per source partition, the position to resume from,
 *       the generation of the runtime that wrote it, and cumulative row counters ({@link PositionLog}).</li>
 * </ul>
 * A runtime claims a job by bumping its generation and appending a position entry under it to every
 * partition; a batch commits only if it appends the entry after one of its own generation, so a
 * zombie runtime's batch (older generation) appends nothing, or collides with the claim's entry, and rolls back.
 */
public abstract class JdbcWarehouse implements Warehouse {

    static final String STATE_SCHEMA = "inlet_state";
    static final String JOB_TABLE = STATE_SCHEMA + ".routine_load_job";
    /** PostgreSQL's SQLSTATE of a duplicate key. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Object catalogLock = new Object();
    private final JobCatalog catalog = new Catalog();
    private final Map<String, AtomicLong> columnChanges = new ConcurrentHashMap<>();

    /** The connections a runtime holds at most by default: its control connection and nine for batches. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10;
    /** How long a load connection stays open unused before it is closed. */
    private static final long IDLE_CONNECTION_MILLIS = 60_000;

    private Connection control;
    private final int maxConnections;
    private final ConnectionPool loads;

    /** @param maxConnections the most connections this runtime opens to the warehouse: one control, the rest loads */
    protected JdbcWarehouse(int maxConnections) {
        if (maxConnections < 2) {
            throw new IllegalArgumentException("warehouse.max-connections must be at least 2 (one for the catalog, one"
                    + " for loads), not " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.loads = new ConnectionPool(this::openConnection, maxConnections - 1, IDLE_CONNECTION_MILLIS);
    }

    /** Opens a connection to the warehouse (control or load). */
    protected abstract Connection openConnection() throws SQLException;

    /** The pool every load session borrows its batch's connection from. */
    ConnectionPool loadConnections() {
        return loads;
    }

    @Override
    public int concurrentBatches() {
        return maxConnections - 1;
    }

    /** Work on a load connection: what a session reads of the table before its first batch. */
    interface SetupWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a pooled load connection, in a transaction of its own, and gives the connection back. */
    <T> T onLoadConnection(SetupWork<T> work) throws SQLException {
        Connection c = loads.borrow();
        boolean broken = true;
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            broken = false;
            return result;
        } finally {
            if (broken) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is closed as broken
                }
            }
            loads.release(c, broken);
        }
    }

    /** Closes the load connections and the control connection. */
    protected void closeConnections() {
        loads.close();
        discardControlConnection();
    }

    /** The connection for catalog and claim operations, opened again when it is no longer valid. */
    protected synchronized Connection controlConnection() throws SQLException {
        if (control == null || !control.isValid(2)) {
            discardControlConnection();
            control = openConnection();
        }
        return control;
    }

    /**
     * Closes the control connection, as after a transaction on it failed, whose state is then unknown (DuckDB's
     * driver, after a failed COMMIT, runs later statements in auto-commit); the next {@link #controlConnection}
     * opens another.
     */
    protected synchronized void discardControlConnection() {
        if (control != null) {
            try {
                control.close();
            } catch (SQLException ignored) {
                // discarded
            }
            control = null;
        }
    }

    protected void createStateTables() throws SQLException {
        synchronized (catalogLock) {
            Connection c = controlConnection();
            lockStateTableCreation(c);
            try {
                createStateTables(c);
            } finally {
                unlockStateTableCreation(c);
            }
        }
    }

    private void createStateTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + STATE_SCHEMA);
            s.execute("CREATE TABLE IF NOT EXISTS " + JOB_TABLE + " (id BIGINT PRIMARY KEY, db VARCHAR NOT NULL,"
                    + " name VARCHAR NOT NULL, statement VARCHAR NOT NULL, state VARCHAR NOT NULL, reason VARCHAR,"
                    + " create_time TIMESTAMP, pause_time TIMESTAMP, end_time TIMESTAMP,"
                    + " generation BIGINT NOT NULL DEFAULT 0)");
        }
        PositionLog.create(c);
        createActiveNameIndex(c);
        commitIfNeeded(c);
    }

    /**
     * Where replicas start at once: serialises their {@code CREATE ... IF NOT EXISTS}, which PostgreSQL does not make
     * safe against a concurrent create of the same name (a unique violation in its own catalog).
     */
    protected void lockStateTableCreation(Connection c) throws SQLException {
    }

    protected void unlockStateTableCreation(Connection c) throws SQLException {
    }

    /**
     * Where the database can: a unique index on the names of active jobs, so that two replicas that apply the same
     * jobs file at once create the job once. DuckDB, which runs one replica, has no partial indexes.
     */
    protected void createActiveNameIndex(Connection c) throws SQLException {
    }

    /** The name of the index of {@link #createActiveNameIndex}. */
    static final String ACTIVE_NAME_INDEX = "routine_load_job_active_name";

    private static void commitIfNeeded(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /**
     * Finds the table in the schema named like the job's database; failing that, in the one
     * schema that has a table of that name (preferring the connection's current schema).
     */
    @Override
    public TableSchema describe(String database, String table) throws TableNotFoundException {
        synchronized (catalogLock) {
            try {
                Connection c = controlConnection();
                List<String> schemas = schemasWith(c, table);
                commitIfNeeded(c);
                String schema = null;
                if (database != null) {
                    schema = schemas.stream().filter(database::equalsIgnoreCase).findFirst().orElse(null);
                }
                if (schema == null && schemas.size() == 1) {
                    schema = schemas.get(0);
                }
                if (schema == null && !schemas.isEmpty()) {
                    String current = currentSchema(c);
                    schema = schemas.stream().filter(current::equalsIgnoreCase).findFirst().orElseThrow(() ->
                            new TableNotFoundException("table " + table + " exists in several schemas " + schemas
                                    + " of " + kind() + "; name the job's database as one of them"));
                }
                if (schema == null) {
                    throw new TableNotFoundException("table " + table + " does not exist in " + kind());
                }
                List<ColumnDef> columns = columns(c, schema, table);
                commitIfNeeded(c);
                return new TableSchema(schema, table, columns);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the columns of " + table + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<String> schemasWith(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT table_schema FROM information_schema.tables"
                + " WHERE lower(table_name) = lower(?) AND lower(table_schema) <> '" + STATE_SCHEMA + "'"
                + " AND lower(table_schema) NOT IN ('information_schema', 'pg_catalog') ORDER BY table_schema")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<ColumnDef> columns(Connection c, String schema, String table) throws SQLException {
        List<ColumnDef> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT column_name, data_type, is_nullable, character_maximum_length, numeric_precision,"
                        + " numeric_scale, column_default, is_generated, is_identity, identity_generation"
                        + " FROM information_schema.columns WHERE lower(table_schema) = lower(?)"
                        + " AND lower(table_name) = lower(?) ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String type = rs.getString(2);
                    SqlType sqlType;
                    try {
                        sqlType = JdbcTypes.of(type, intOrNull(rs, 4), intOrNull(rs, 5), intOrNull(rs, 6));
                    } catch (IllegalArgumentException e) {
                        throw new UnsupportedColumnException("column '" + name + "' of table " + schema + "." + table
                                + " has type " + type + ", which Inlet cannot load: " + e.getMessage());
                    }
                    out.add(new ColumnDef(name, sqlType,
                            "YES".equalsIgnoreCase(rs.getString(3)),
                            fill(rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10))));
                }
            }
        }
        return out;
    }

    /** From information_schema: generated and identity ALWAYS columns take no value; a default or identity fills a left-out column. */
    static ColumnDef.Fill fill(String columnDefault, String isGenerated, String isIdentity, String identityGeneration) {
        if ("ALWAYS".equalsIgnoreCase(isGenerated)
                || "YES".equalsIgnoreCase(isIdentity) && "ALWAYS".equalsIgnoreCase(identityGeneration)) {
            return ColumnDef.Fill.GENERATED;
        }
        if ("YES".equalsIgnoreCase(isIdentity) || columnDefault != null && !columnDefault.isBlank()
                && !columnDefault.trim().toUpperCase(Locale.ROOT).startsWith("NULL")) {
            return ColumnDef.Fill.DEFAULT;
        }
        return ColumnDef.Fill.NULL;
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    @Override
    public long columnChanges(TableSchema table) {
        AtomicLong changes = columnChanges.get(key(table));
        return changes == null ? 0 : changes.get();
    }

    /**
     * A scalar subquery: how many columns the table named by its two parameters (schema, table) has, as
     * {@link #describe} counts them.
     */
    protected String columnCountSql() {
        return "(SELECT count(*) FROM information_schema.columns WHERE lower(table_schema) = lower(?)"
                + " AND lower(table_name) = lower(?))";
    }

    /** A session found that {@code table} no longer has the columns it was described with. */
    void columnsChanged(TableSchema table) {
        columnChanges.computeIfAbsent(key(table), k -> new AtomicLong()).incrementAndGet();
    }

    private static String key(TableSchema table) {
        return table.qualifiedName().toLowerCase(Locale.ROOT);
    }

    @Override
    public JobCatalog catalog() {
        return catalog;
    }

    @Override
    public LoadPlan plan(CreateRoutineLoad statement, JobProperties properties, TableSchema table) {
        return LoadPlan.decodeInInlet("bulk load into " + kind());
    }

    @Override
    public PositionStore positionStore(long jobId, KafkaSource source, TableSchema table) {
        return new JdbcPositionStore(this, jobId);
    }

    @Override
    public LoadSession openSession(SessionSpec spec) throws Exception {
        return openSession(spec.jobId(), spec.generation(), spec.table());
    }

    /** A session of the dialect's bulk path. */
    public abstract LoadSession openSession(long jobId, long generation, TableSchema table) throws Exception;

    /**
     * Raises the job's owner generation and gives each of {@code partitions} a position entry under it, fencing
     * whichever runtime held them before. A zombie's batch that appends its entry at the same moment makes the
     * claim collide with it; the claim then reads the positions again, that batch included.
     */
    public long claim(long jobId, Collection<String> partitions) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return inControlTransaction(c -> {
                    long generation = raiseGeneration(c, jobId);
                    PositionLog.takeOver(c, jobId, generation, partitions, Map.of());
                    return generation;
                });
            } catch (SQLException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void alter(JobRecord altered, PositionStore store, Map<String, String> positions) throws Exception {
        inControlTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + JOB_TABLE + " SET statement = ? WHERE id = ?")) {
                ps.setString(1, altered.statement());
                ps.setLong(2, altered.id());
                ps.executeUpdate();
            }
            if (!positions.isEmpty()) {
                PositionLog.takeOver(c, altered.id(), raiseGeneration(c, altered.id()), List.of(), positions);
            }
            return null;
        });
    }

    /** Work in one transaction of the control connection. */
    private interface ControlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; a failure discards the connection, whose state is then unknown. */
    private <T> T inControlTransaction(ControlWork<T> work) throws SQLException {
        synchronized (catalogLock) {
            Connection c = controlConnection();
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                c.setAutoCommit(auto);
                return result;
            } catch (SQLException | RuntimeException e) {
                discardControlConnection();
                throw e;
            }
        }
    }

    private static long raiseGeneration(Connection c, long jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + JOB_TABLE + " SET generation = generation + 1 WHERE id = ?")) {
            ps.setLong(1, jobId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("job " + jobId + " is not in the catalog");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM " + JOB_TABLE + " WHERE id = ?")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public Map<String, CommittedPosition> positions(long jobId) throws Exception {
        synchronized (catalogLock) {
            Connection c = controlConnection();
            Map<String, CommittedPosition> result = new LinkedHashMap<>();
            PositionLog.latest(c, jobId).forEach((p, e) -> result.put(p, e.position()));
            commitIfNeeded(c);
            return result;
        }
    }

    private final class Catalog implements JobCatalog {

        @Override
        public long nextJobId() throws Exception {
            synchronized (catalogLock) {
                Connection c = controlConnection();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 10000) + 1 FROM " + JOB_TABLE)) {
                    rs.next();
                    long id = rs.getLong(1);
                    commitIfNeeded(c);
                    return id;
                }
            }
        }

        @Override
        public void insert(JobRecord job) throws Exception {
            synchronized (catalogLock) {
                Connection c = controlConnection();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + JOB_TABLE
                        + " (db, name, statement, state, reason, create_time, pause_time, end_time, id, generation)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
                    bind(ps, job);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        discardControlConnection();
                        if (String.valueOf(e.getMessage()).contains(ACTIVE_NAME_INDEX)) {
                            throw new JobException("routine load job " + job.db() + "." + job.name()
                                    + " already exists (created through another replica); STOP it first or choose"
                                    + " another name");
                        }
                        throw new JobIdTakenException("job id " + job.id() + " was taken by another replica");
                    }
                    throw e;
                }
                commitIfNeeded(c);
            }
        }

        @Override
        public void update(JobRecord job) throws Exception {
            synchronized (catalogLock) {
                Connection c = controlConnection();
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + JOB_TABLE + " SET db = ?, name = ?,"
                        + " statement = ?, state = ?, reason = ?, create_time = ?, pause_time = ?, end_time = ?"
                        + " WHERE id = ?")) {
                    bind(ps, job);
                    ps.executeUpdate();
                }
                commitIfNeeded(c);
            }
        }

        private void bind(PreparedStatement ps, JobRecord job) throws SQLException {
            ps.setString(1, job.db());
            ps.setString(2, job.name());
            ps.setString(3, job.statement());
            ps.setString(4, job.state().name());
            ps.setString(5, job.reason());
            ps.setTimestamp(6, ts(job.createTime()));
            ps.setTimestamp(7, ts(job.pauseTime()));
            ps.setTimestamp(8, ts(job.endTime()));
            ps.setLong(9, job.id());
        }

        @Override
        public List<JobRecord> all() throws Exception {
            synchronized (catalogLock) {
                Connection c = controlConnection();
                List<JobRecord> out = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, db, name, statement,"
                        + " state, reason, create_time, pause_time, end_time FROM " + JOB_TABLE + " ORDER BY id")) {
                    while (rs.next()) {
                        out.add(new JobRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                JobState.valueOf(rs.getString(5)), rs.getString(6), instant(rs.getTimestamp(7)),
                                instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9))));
                    }
                }
                commitIfNeeded(c);
                return out;
            }
        }
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
