package io.inlet.crash;

import io.inlet.testkit.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.ResultSet;

class PostgresReplicaChaosTest extends ReplicaChaosTest {

    private EmbeddedPostgres pg;

    @Override
    String prepareWarehouse() throws Exception {
        pg = EmbeddedPostgres.start();
        pg.execute("CREATE TABLE chaos_target (id BIGINT, name VARCHAR(32), ts BIGINT, created TIMESTAMP)");
        return CrashRecoveryTest.jdbcWarehouse(pg.jdbcUrl());
    }

    @Override
    long[] counts() throws Exception {
        try (Connection c = pg.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT id) FROM chaos_target")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Override
    void tearDownWarehouse() {
        if (pg != null) {
            pg.close();
        }
    }
}
