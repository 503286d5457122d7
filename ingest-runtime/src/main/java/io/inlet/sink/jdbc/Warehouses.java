package io.inlet.sink.jdbc;

import io.inlet.sink.Warehouse;

import java.sql.SQLException;

/** Opens the warehouse a JDBC URL names. */
public final class Warehouses {

    private Warehouses() {}

    public static Warehouse open(String url, String user, String password) throws SQLException {
        return open(url, user, password, JdbcWarehouse.DEFAULT_MAX_CONNECTIONS);
    }

    /** @param maxConnections the most connections the runtime opens to the warehouse (warehouse.max-connections) */
    public static Warehouse open(String url, String user, String password, int maxConnections) throws SQLException {
        if (url.startsWith("jdbc:duckdb:")) {
            return new DuckDbWarehouse(url, maxConnections);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresWarehouse(url, user, password, maxConnections);
        }
        throw new IllegalArgumentException("warehouse.url must be jdbc:duckdb:PATH or jdbc:postgresql://HOST:PORT/DB, found "
                + url.replaceAll("password=[^&;]*", "password=******"));
    }
}
