package io.inlet.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeConfigTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("inlet.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsNestedKeysAndResolvesTheJobsFileNextToTheConfig() throws Exception {
        RuntimeConfig c = RuntimeConfig.load(yaml("""
                warehouse:
                  url: jdbc:duckdb:/tmp/w.duckdb
                api:
                  listen: 127.0.0.1:9000
                jobs: jobs.sql
                """), Map.of());
        assertThat(c.get(RuntimeConfig.WAREHOUSE_URL)).isEqualTo("jdbc:duckdb:/tmp/w.duckdb");
        assertThat(c.get(RuntimeConfig.API_LISTEN)).isEqualTo("127.0.0.1:9000");
        assertThat(c.get(RuntimeConfig.MAX_TASKS_PER_JOB)).isEqualTo(8);
        assertThat(c.path(RuntimeConfig.JOBS)).isEqualTo(dir.toAbsolutePath().resolve("jobs.sql"));
    }

    @Test
    void environmentVariablesOverrideTheFile() throws Exception {
        RuntimeConfig c = RuntimeConfig.load(yaml("warehouse.url: jdbc:duckdb:/a\napi.token: from-file\n"),
                Map.of("INLET_WAREHOUSE_URL", "jdbc:postgresql://127.0.0.1:5432/db", "INLET_API_TOKEN", "from-env"));
        assertThat(c.get(RuntimeConfig.WAREHOUSE_URL)).isEqualTo("jdbc:postgresql://127.0.0.1:5432/db");
        assertThat(c.get(RuntimeConfig.API_TOKEN)).isEqualTo("from-env");
    }

    @Test
    void aMissingWarehouseUrlNamesTheKeyAndItsVariable() throws Exception {
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("api:\n  listen: 127.0.0.1:9000\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("warehouse.url is missing")
                .hasMessageContaining("INLET_WAREHOUSE_URL");
    }

    @Test
    void aMalformedValueSaysWhatWasFoundAndWhatIsAllowed() throws Exception {
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.url: jdbc:duckdb:/a\napi.listen: everywhere\n"),
                Map.of()))
                .hasMessage("api.listen is 'everywhere'; allowed: host:port");
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.url: mysql://x\n"), Map.of()))
                .hasMessageContaining("warehouse.url is 'mysql://x'; allowed: a jdbc:duckdb:PATH or jdbc:postgresql");
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.url: jdbc:duckdb:/a\nruntime.max-tasks-per-job: 0\n"),
                Map.of()))
                .hasMessage("runtime.max-tasks-per-job is '0'; allowed: an integer from 1 to 256");
    }

    @Test
    void anUnknownKeyIsAnErrorNotIgnored() throws Exception {
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.url: jdbc:duckdb:/a\nwarehouse.pasword: x\n"),
                Map.of()))
                .hasMessageContaining("unknown configuration key 'warehouse.pasword'");
    }
}
