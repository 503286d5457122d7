package io.inlet.crash;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

class DuckDbCrashRecoveryTest extends CrashRecoveryTest {

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("crash.duckdb");
    }

    @Override
    String prepareWarehouse() throws Exception {
        try (Connection c = DriverManager.getConnection(url())) {
            c.createStatement().execute("CREATE TABLE crash_target (id BIGINT, name VARCHAR, ts BIGINT, created TIMESTAMP)");
        }
        return jdbcWarehouse(url());
    }

    @Override
    long[] counts() throws Exception {
        try (Connection c = DriverManager.getConnection(url());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT id) FROM crash_target")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Override
    void tearDownWarehouse() {
        // the file goes with the temp folder
    }
}
