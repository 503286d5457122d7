package io.inlet.sink.jdbc;

import io.inlet.job.JobRecord;
import io.inlet.job.JobState;
import io.inlet.sink.CommittedPosition;
import io.inlet.sink.FencedException;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.TableSchema;
import io.inlet.testkit.Await;
import io.inlet.testkit.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDBC warehouses' position log: fencing, carried positions and counters, pruning, and DuckDB checkpoints. */
class PositionLogTest {

    static EmbeddedPostgres pg;
    static final AtomicLong JOB_IDS = new AtomicLong(100);

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pg = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    JdbcWarehouse open(String kind) throws SQLException {
        return kind.equals("duckdb") ? new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("w.duckdb"))
                : new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
    }

    static Connection connect(JdbcWarehouse w) throws SQLException {
        return w instanceof DuckDbWarehouse d ? d.connect() : pg.connect();
    }

    /** A new job and a fresh table of its own. */
    static long job(JdbcWarehouse w, String table) throws Exception {
        try (Connection c = connect(w); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT, name VARCHAR)");
        }
        long id = JOB_IDS.incrementAndGet();
        w.catalog().insert(new JobRecord(id, "db", table, "-", JobState.RUNNING, "", Instant.now(), null, null));
        return id;
    }

    static void load(LoadSession s, long from, int rows, String partition, long next) throws Exception {
        s.begin(Map.of());
        for (long i = from; i < from + rows; i++) {
            s.append(new Object[] {i, "name " + i});
        }
        s.commit(List.of(new PartitionCommit(partition, String.valueOf(next), rows, rows, 0, 0, rows * 10L)));
    }

    static long count(JdbcWarehouse w, String sql) throws SQLException {
        try (Connection c = connect(w); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "postgresql"})
    void aBatchOpenWhileAnotherRuntimeClaimsTheJobIsRolledBackAndItsPositionStays(String kind) throws Exception {
        String table = "fenced_" + kind;
        try (JdbcWarehouse w = open(kind)) {
            long job = job(w, table);
            TableSchema schema = w.describe(null, table);
            long first = w.claim(job, List.of("0"));
            try (LoadSession zombie = w.openSession(job, first, schema)) {
                load(zombie, 0, 10, "0", 10);
                zombie.begin(Map.of());
                zombie.append(new Object[] {10L, "late"});
                long second = w.claim(job, List.of("0"));

                assertThat(second).isGreaterThan(first);
                assertThatThrownBy(() -> zombie.commit(List.of(new PartitionCommit("0", "11", 1, 1, 0, 0, 10))))
                        .isInstanceOf(FencedException.class);
                // the session's next batch (on another of the pooled connections) is as stale as the last one
                zombie.begin(Map.of());
                zombie.append(new Object[] {11L, "later"});
                assertThatThrownBy(() -> zombie.commit(List.of(new PartitionCommit("0", "12", 1, 1, 0, 0, 10))))
                        .isInstanceOf(FencedException.class);
            }
            assertThat(count(w, "SELECT count(*) FROM " + table)).isEqualTo(10);
            assertThat(w.positions(job)).containsExactly(Map.entry("0", new CommittedPosition("0", "10", 10, 10, 0, 0, 100)));
        }
    }

    /** In PostgreSQL a batch's append waits for a claim in flight on the same entry, then collides with it. */
    @Test
    void aBatchWhoseAppendCollidesWithAClaimInFlightIsFenced() throws Exception {
        String table = "collides";
        try (JdbcWarehouse w = open("postgresql")) {
            long job = job(w, table);
            TableSchema schema = w.describe(null, table);
            long first = w.claim(job, List.of("0"));
            try (LoadSession zombie = w.openSession(job, first, schema);
                 Connection claim = pg.connect()) {
                load(zombie, 0, 10, "0", 10);
                zombie.begin(Map.of());
                zombie.append(new Object[] {10L, "late"});
                claim.setAutoCommit(false);
                try (Statement s = claim.createStatement()) {
                    s.executeUpdate("UPDATE " + JdbcWarehouse.JOB_TABLE + " SET generation = generation + 1 WHERE id = " + job);
                }
                PositionLog.takeOver(claim, job, first + 1, List.of("0"), Map.of());
                CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
                    try {
                        zombie.commit(List.of(new PartitionCommit("0", "11", 1, 1, 0, 0, 10)));
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                });
                Await.until(Duration.ofSeconds(10),
                        () -> count(w, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") > 0,
                        () -> "the batch's append waiting for the claim's entry");
                claim.commit();

                assertThatThrownBy(commit::join).hasCauseInstanceOf(FencedException.class);
            }
            assertThat(count(w, "SELECT count(*) FROM " + table)).isEqualTo(10);
            assertThat(w.positions(job).get("0").position()).isEqualTo("10");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "postgresql"})
    void positionsAndCountersCarryOverClaimsAndOldEntriesArePruned(String kind) throws Exception {
        String table = "carried_" + kind;
        int batches = PositionLog.PRUNE_EVERY * 2 + 5;
        try (JdbcWarehouse w = open(kind)) {
            long job = job(w, table);
            TableSchema schema = w.describe(null, table);
            try (LoadSession s = w.openSession(job, w.claim(job, List.of("0", "1")), schema)) {
                for (int b = 0; b < batches; b++) {
                    load(s, b * 3L, 3, String.valueOf(b % 2), b);
                }
            }
            long claimed = w.claim(job, List.of("0", "1", "2"));
            try (LoadSession s = w.openSession(job, claimed, schema)) {
                load(s, 10_000, 2, "2", 7);
            }

            Map<String, CommittedPosition> positions = w.positions(job);
            long evenBatches = (batches + 1) / 2;
            assertThat(positions).containsOnlyKeys("0", "1", "2");
            assertThat(positions.get("0")).isEqualTo(new CommittedPosition("0", String.valueOf(batches - 1),
                    evenBatches * 3, evenBatches * 3, 0, 0, evenBatches * 30));
            assertThat(positions.get("1").position()).isEqualTo(String.valueOf(batches - 2));
            assertThat(positions.get("1").totalRows()).isEqualTo((batches - evenBatches) * 3);
            assertThat(positions.get("2")).isEqualTo(new CommittedPosition("2", "7", 2, 2, 0, 0, 20));
            assertThat(count(w, "SELECT count(*) FROM " + table)).isEqualTo(batches * 3L + 2);
            assertThat(count(w, "SELECT count(*) FROM " + PositionLog.TABLE + " WHERE job_id = " + job
                    + " AND source_partition = '0'")).isLessThanOrEqualTo(PositionLog.KEEP + PositionLog.PRUNE_EVERY);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "postgresql"})
    void aClaimThatFailsLeavesTheCatalogUsable(String kind) throws Exception {
        try (JdbcWarehouse w = open(kind)) {
            assertThatThrownBy(() -> w.claim(987_654_321L, List.of("0"))).hasMessageContaining("is not in the catalog");
            long job = job(w, "after_failed_claim_" + kind);

            assertThat(w.claim(job, List.of("0"))).isPositive();
            assertThat(w.catalog().all()).extracting(JobRecord::id).contains(job);
            assertThat(w.positions(job)).containsOnlyKeys("0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "postgresql"})
    void theFormerOneRowPerPartitionTableMovesIntoTheLog(String kind) throws Exception {
        long job = JOB_IDS.incrementAndGet();
        try (JdbcWarehouse w = open(kind)) {
            try (Connection c = connect(w); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + PositionLog.FORMER_TABLE + " (job_id BIGINT NOT NULL,"
                        + " source_partition VARCHAR NOT NULL, position VARCHAR, generation BIGINT NOT NULL,"
                        + " total_rows BIGINT NOT NULL DEFAULT 0, loaded_rows BIGINT NOT NULL DEFAULT 0,"
                        + " error_rows BIGINT NOT NULL DEFAULT 0, unselected_rows BIGINT NOT NULL DEFAULT 0,"
                        + " received_bytes BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (job_id, source_partition))");
                s.execute("INSERT INTO " + PositionLog.FORMER_TABLE + " VALUES (" + job + ", '0', '42', 3, 40, 38, 2, 0, 900),"
                        + " (" + job + ", '1', NULL, 3, 0, 0, 0, 0, 0)");
            }
        }
        try (JdbcWarehouse w = open(kind)) {
            assertThat(w.positions(job)).containsExactly(
                    Map.entry("0", new CommittedPosition("0", "42", 40, 38, 2, 0, 900)),
                    Map.entry("1", new CommittedPosition("1", null, 0, 0, 0, 0, 0)));
            assertThat(count(w, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'inlet_state'"
                    + " AND table_name = 'routine_load_position'")).isZero();
        }
    }

    /**
     * Sessions whose transactions always overlap, as a job's tasks do: DuckDB checkpoints meanwhile, so its WAL
     * stays near its checkpoint threshold instead of holding every row loaded.
     */
    @Test
    void duckDbCheckpointsWhileSessionsLoadInOverlappingTransactions() throws Exception {
        Path file = dir.resolve("w.duckdb");
        Path wal = Path.of(file + ".wal");
        int rows = 20_000;
        int rounds = 10;
        try (DuckDbWarehouse w = new DuckDbWarehouse("jdbc:duckdb:" + file)) {
            try (Connection c = w.connect(); Statement s = c.createStatement()) {
                s.execute("SET checkpoint_threshold = '1MB'");
            }
            long job = job(w, "overlapping");
            TableSchema schema = w.describe(null, "overlapping");
            long generation = w.claim(job, List.of("0", "1", "2"));
            List<LoadSession> sessions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sessions.add(w.openSession(job, generation, schema));
                sessions.get(i).begin(Map.of());
            }
            long largestWal = 0;
            long id = 0;
            try {
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < 3; i++) {
                        LoadSession s = sessions.get(i);
                        for (int r = 0; r < rows; r++, id++) {
                            s.append(new Object[] {id, "a name that takes some room in the log " + id});
                        }
                        // the other two sessions' transactions are open while this one commits and begins again
                        s.commit(List.of(new PartitionCommit(String.valueOf(i), String.valueOf(round + 1), rows, rows, 0, 0, 0)));
                        largestWal = Math.max(largestWal, Files.exists(wal) ? Files.size(wal) : 0);
                        s.begin(Map.of());
                    }
                }
            } finally {
                sessions.forEach(LoadSession::close);
            }
            assertThat(count(w, "SELECT count(*) FROM overlapping")).isEqualTo((long) rows * 3 * rounds);
            assertThat(largestWal).as("largest WAL, bytes").isLessThan(4L << 20);
        }
    }
}
