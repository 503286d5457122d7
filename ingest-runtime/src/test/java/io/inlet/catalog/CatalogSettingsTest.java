package io.inlet.catalog;

import io.inlet.config.ConfigException;
import io.inlet.config.RuntimeConfig;
import io.inlet.source.kafka.MskIamCallbackHandler;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalog's Kafka settings, checked and translated as FROM KAFKA's are, in the configuration's own key names. */
class CatalogSettingsTest {

    static RuntimeConfig starRocks(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("warehouse.type", "starrocks");
        values.put("catalog.kafka.bootstrap-servers", "b-1.inlet.abc123.c2.kafka.us-west-2.amazonaws.com:9098");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return RuntimeConfig.of(values);
    }

    @Test
    void aCatalogWithoutBrokersNamesTheKeyAndItsVariable() {
        assertThatThrownBy(() -> KafkaJobCatalog.open(RuntimeConfig.of(Map.of("warehouse.url", "jdbc:duckdb:/tmp/w"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("catalog.kafka.bootstrap-servers is missing: the job catalog is a Kafka topic; set it in the"
                        + " configuration file or as INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS ("
                        + RuntimeConfig.CATALOG_KAFKA_BOOTSTRAP_SERVERS.doc() + ")");
    }

    @Test
    void settingsThatCannotWorkAreRefusedInTheConfigurationsTerms() {
        assertThatThrownBy(() -> CatalogConnection.from(starRocks(
                "catalog.kafka.property.security.protocol", "SASL_SSL",
                "catalog.kafka.property.sasl.mechanism", "SCRAM-SHA-512")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("the Kafka settings of the job catalog cannot work: sasl.username and sasl.password must be"
                        + " set for SASL SCRAM-SHA-512: add 'catalog.kafka.property.sasl.username' and"
                        + " 'catalog.kafka.property.sasl.password'");
        assertThatThrownBy(() -> CatalogConnection.from(RuntimeConfig.of(Map.of("warehouse.type", "doris",
                "catalog.kafka.bootstrap-servers", "10.0.0.1:9098",
                "catalog.kafka.property.security.protocol", "SASL_SSL",
                "catalog.kafka.property.sasl.mechanism", "OAUTHBEARER"))))
                .hasMessage("the Kafka settings of the job catalog cannot work: MSK IAM needs 'catalog.kafka.aws.region'"
                        + " (the region of the MSK cluster, such as us-east-1)");
        assertThatThrownBy(() -> CatalogConnection.from(starRocks("catalog.kafka.property.ssl.ca.location", "/ca.pem")))
                .hasMessage("the Kafka settings of the job catalog cannot work: property"
                        + " 'catalog.kafka.property.ssl.ca.location' applies to TLS connections only: set"
                        + " 'catalog.kafka.property.security.protocol' to SSL or SASL_SSL (it is PLAINTEXT)");
    }

    @Test
    void mskIamSignsWithTheCatalogsOwnCredentialsAndRegionLikeAJob() throws Exception {
        try (CatalogConnection connection = CatalogConnection.from(starRocks(
                "catalog.kafka.property.security.protocol", "SASL_SSL",
                "catalog.kafka.property.sasl.mechanism", "OAUTHBEARER",
                "catalog.kafka.aws.access_key", "AKIAINLETCATALOG0001",
                "catalog.kafka.aws.secret_key", "catalog/secret/key"))) {
            Map<String, Object> producer = connection.producerConfig("_inlet_jobs.catalog");

            assertThat(producer).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "OAUTHBEARER")
                    .containsEntry("sasl.login.callback.handler.class", MskIamCallbackHandler.class.getName())
                    .containsEntry("transactional.id", "_inlet_jobs.catalog")
                    .containsEntry("enable.idempotence", true)
                    .containsEntry("acks", "all")
                    .doesNotContainKeys("group.id", "isolation.level", "auto.offset.reset", "max.poll.records");
            assertThat(producer.get(MskIamCallbackHandler.CREDENTIALS_CONFIG))
                    .hasToString("MskIamCredentials[aws.access_key/aws.secret_key]");
            assertThat(connection.consumerConfig()).containsEntry("isolation.level", "read_committed")
                    .doesNotContainKey("group.id")
                    .containsKey(MskIamCallbackHandler.CREDENTIALS_CONFIG);
            assertThat(connection.adminConfig()).containsKey(MskIamCallbackHandler.CREDENTIALS_CONFIG)
                    .doesNotContainKeys("group.id", "isolation.level");
        }
    }
}
