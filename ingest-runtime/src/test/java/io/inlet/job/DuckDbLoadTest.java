package io.inlet.job;

import io.inlet.sink.Warehouse;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;

class DuckDbLoadTest extends LoadEndToEndTest {

    @TempDir
    Path dir;

    @Override
    Warehouse openWarehouse() throws Exception {
        return new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("test.duckdb"));
    }

    @Override
    Connection connect() throws Exception {
        return ((DuckDbWarehouse) warehouse).connect();
    }

    @Override
    String defaultDb() {
        return "main";
    }
}
