package io.inlet.sink.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DuckDB is embedded in one process: a second runtime on the same database file says so and what to do. */
class DuckDbOneReplicaTest {

    /** Opens the warehouse, says so on stdout, and holds it until its stdin closes. */
    public static void main(String[] args) throws Exception {
        try (DuckDbWarehouse w = new DuckDbWarehouse(args[0])) {
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // holds the file until the test closes stdin
            }
        }
    }

    @Test
    void aSecondProcessOnTheSameDuckDbFileIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DuckDbOneReplicaTest.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("open");
            assertThatThrownBy(() -> new DuckDbWarehouse(url))
                    .isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("DuckDB is embedded in one process, so a DuckDB warehouse runs on one"
                            + " Inlet replica: " + url + " is open in another process")
                    .hasMessageContaining("PID " + first.pid())
                    .hasMessageEndingWith("Stop the other runtime, or use PostgreSQL, StarRocks or Doris for several"
                            + " replicas");
        } finally {
            first.getOutputStream().close();
            if (!first.waitFor(30, TimeUnit.SECONDS)) {
                first.destroyForcibly();
            }
        }
    }
}
