package io.inlet.sink.jdbc;

import io.inlet.sink.Warehouse;

import java.sql.SQLException;

/** Opens the warehouse a JDBC URL names. */
public final class Warehouses {

    private Warehouses() {}

    public static Warehouse open(String url, String user, String password) throws SQLException {
        if (url.startsWith("jdbc:duckdb:")) {
            return new DuckDbWarehouse(url);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresWarehouse(url, user, password);
        }
        throw new IllegalArgumentException("warehouse.url must be jdbc:duckdb:PATH or jdbc:postgresql://HOST:PORT/DB, found "
                + url.replaceAll("password=[^&;]*", "password=******"));
    }
}
