package io.inlet.sink.jdbc;

import io.inlet.job.JobRecord;
import io.inlet.job.JobState;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.TableSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Date-times appended as epoch microseconds read back as the same values written as text literals. */
class DuckDbAppendTest {

    @Test
    void dateTimesBeforeAndAfter1970ReadBackAsTheirTextLiterals(@TempDir Path dir) throws Exception {
        List<LocalDateTime> times = List.of(LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(2017, 5, 1, 12, 30, 15),
                LocalDateTime.of(2000, 1, 1, 0, 0, 0, 123_456_000), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
                LocalDateTime.of(1900, 2, 28, 1, 2, 3, 4_000), LocalDateTime.of(1, 1, 1, 0, 0),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000));
        try (DuckDbWarehouse w = new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("t.duckdb"))) {
            try (Connection c = w.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE loaded (id INTEGER, ts TIMESTAMP, d DATE)");
                s.execute("CREATE TABLE expected (id INTEGER, ts TIMESTAMP, d DATE)");
                for (int i = 0; i < times.size(); i++) {
                    String t = times.get(i).toString().replace('T', ' ');
                    s.execute("INSERT INTO expected VALUES (" + i + ", '" + t + "', '" + times.get(i).toLocalDate() + "')");
                }
                s.execute("INSERT INTO expected VALUES (" + times.size() + ", NULL, NULL)");
            }
            TableSchema table = w.describe(null, "loaded");
            w.catalog().insert(new JobRecord(1, "b", "b", "-", JobState.RUNNING, "", Instant.now(), null, null));
            long generation = w.claim(1, List.of("0"));
            try (LoadSession s = w.openSession(1, generation, table)) {
                s.begin(java.util.Map.of());
                for (int i = 0; i < times.size(); i++) {
                    LocalDate day = times.get(i).toLocalDate();
                    s.append(new Object[] {(long) i, times.get(i), day});
                }
                s.append(new Object[] {(long) times.size(), null, null});
                s.commit(List.of(new PartitionCommit("0", "1", times.size() + 1, times.size() + 1, 0, 0, 0)));
            }
            try (Connection c = w.connect(); Statement s = c.createStatement()) {
                assertThat(rows(s, "loaded")).hasSize(times.size() + 1).isEqualTo(rows(s, "expected"));
            }
        }
    }

    private static List<String> rows(Statement s, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT id, ts::VARCHAR, d::VARCHAR FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getInt(1) + " | " + rs.getString(2) + " | " + rs.getString(3));
            }
        }
        return out;
    }
}
