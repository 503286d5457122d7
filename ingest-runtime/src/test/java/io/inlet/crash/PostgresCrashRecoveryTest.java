package io.inlet.crash;

import io.inlet.testkit.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.ResultSet;

class PostgresCrashRecoveryTest extends CrashRecoveryTest {

    private EmbeddedPostgres pg;

    @Override
    String prepareWarehouse() throws Exception {
        pg = EmbeddedPostgres.start();
        pg.execute("CREATE TABLE crash_target (id BIGINT, name VARCHAR(32), ts BIGINT, created TIMESTAMP)");
        return jdbcWarehouse(pg.jdbcUrl());
    }

    @Override
    long[] counts() throws Exception {
        try (Connection c = pg.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT id) FROM crash_target")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Override
    String warehouseActivity() {
        try (Connection c = pg.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT pid, state, wait_event_type, wait_event, "
                     + "left(query, 120) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.append("\n  ").append(rs.getInt(1)).append(' ').append(rs.getString(2)).append(' ')
                        .append(rs.getString(3)).append('/').append(rs.getString(4)).append(": ").append(rs.getString(5));
            }
            return sb.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Override
    void tearDownWarehouse() {
        if (pg != null) {
            pg.close();
        }
    }
}
