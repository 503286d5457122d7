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

    @Test
    void aStreamLoadWarehouseWithoutCatalogBrokersNamesTheKeyAndItsVariable() throws Exception {
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.type: starrocks\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("catalog.kafka.bootstrap-servers is missing: warehouse.type starrocks keeps the jobs in a"
                        + " Kafka topic; set it in the configuration file or as INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS"
                        + " (" + RuntimeConfig.CATALOG_KAFKA_BOOTSTRAP_SERVERS.doc() + ")");

        RuntimeConfig doris = RuntimeConfig.load(yaml("warehouse.type: doris\n"),
                Map.of("INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS", "b-1:9098,b-2:9098"));
        assertThat(doris.get(RuntimeConfig.CATALOG_KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("b-1:9098,b-2:9098");
        assertThat(doris.get(RuntimeConfig.CATALOG_KAFKA_TOPIC)).isEqualTo("_inlet_jobs");
    }

    @Test
    void catalogClientSettingsComeFromTheFileNestedOrDottedAndFromTheEnvironment() throws Exception {
        RuntimeConfig c = RuntimeConfig.load(yaml("""
                warehouse.type: starrocks
                catalog:
                  kafka:
                    bootstrap-servers: b-1:9096
                    topic: jobs.catalog
                    property:
                      security.protocol: SASL_SSL
                      sasl:
                        mechanism: SCRAM-SHA-512
                    aws.region: us-west-2
                catalog.kafka.property.ssl.endpoint.identification.algorithm: https
                """), Map.of("INLET_CATALOG_KAFKA_PROPERTY_SASL_USERNAME", "inlet",
                "INLET_CATALOG_KAFKA_PROPERTY_SASL_PASSWORD", "from-env",
                "INLET_CATALOG_KAFKA_AWS_CREDENTIALS_PROVIDER", "CONTAINER"));

        assertThat(c.get(RuntimeConfig.CATALOG_KAFKA_TOPIC)).isEqualTo("jobs.catalog");
        assertThat(c.entries(RuntimeConfig.CATALOG_KAFKA_PROPERTY)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.username", "inlet",
                "sasl.password", "from-env", "ssl.endpoint.identification.algorithm", "https"));
        assertThat(c.entries(RuntimeConfig.CATALOG_KAFKA_AWS)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "region", "us-west-2", "credentials_provider", "CONTAINER"));
    }

    @Test
    void anUnknownCatalogClientKeySaysWhatTheFamilyNames() throws Exception {
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.url: jdbc:duckdb:/a\n"
                + "catalog.kafka.property.sasl.mechanizm: PLAIN\n"), Map.of()))
                .hasMessageContaining("unknown configuration key 'catalog.kafka.property.sasl.mechanizm'")
                .hasMessageContaining("keys under catalog.kafka.property. name a Kafka client setting of the job"
                        + " catalog, as property.* of FROM KAFKA");
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.url: jdbc:duckdb:/a\n"
                + "catalog.kafka.aws.msk.cluster_arn: arn:aws:kafka:us-west-2:1:cluster/c/u\n"), Map.of()))
                .hasMessageContaining("unknown configuration key 'catalog.kafka.aws.msk.cluster_arn'");
    }

    @Test
    void aBadCatalogValueIsNamedAndASecretOneIsNotShown() throws Exception {
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.type: starrocks\n"
                + "catalog.kafka.bootstrap-servers: b-1\n"), Map.of()))
                .hasMessage("catalog.kafka.bootstrap-servers is 'b-1'; allowed: host:port[,host:port...]");
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.type: starrocks\n"
                + "catalog.kafka.bootstrap-servers: b-1:9092\ncatalog.kafka.topic: 'jobs catalog'\n"), Map.of()))
                .hasMessage("catalog.kafka.topic is 'jobs catalog'; allowed: a Kafka topic name of 1-249 characters"
                        + " from a-z A-Z 0-9 . _ -");
        assertThatThrownBy(() -> RuntimeConfig.load(yaml("warehouse.type: starrocks\n"
                + "catalog.kafka.bootstrap-servers: b-1:9092\ncatalog.kafka.property.sasl.password: '  '\n"), Map.of()))
                .hasMessage("catalog.kafka.property.sasl.password is '******'; allowed: a non-empty value");
    }
}
