package io.inlet.sink.jdbc;

import io.inlet.testkit.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Replicas that start at once on an empty PostgreSQL database create Inlet's state tables once, and all start. */
class PostgresStateTablesTest {

    static EmbeddedPostgres pg;

    @BeforeAll
    static void start() {
        pg = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void replicasStartingTogetherOnAnEmptyDatabaseAllStart() throws Exception {
        for (int round = 0; round < 5; round++) {
            String db = "fresh_" + round;
            pg.execute("CREATE DATABASE " + db);
            String url = pg.jdbcUrl().replace("/postgres", "/" + db);
            int replicas = 4;
            CyclicBarrier together = new CyclicBarrier(replicas);
            ExecutorService threads = Executors.newFixedThreadPool(replicas);
            List<CompletableFuture<PostgresWarehouse>> starts = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                starts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                        return new PostgresWarehouse(url, EmbeddedPostgres.USER, "");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            for (CompletableFuture<PostgresWarehouse> s : starts) {
                s.join().close();
            }
            threads.shutdown();
            try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.USER, "");
                 Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = '"
                         + JdbcWarehouse.STATE_SCHEMA + "'")) {
                r.next();
                assertThat(r.getInt(1)).as("state tables in %s", db).isGreaterThanOrEqualTo(2);
            }
        }
    }
}
