package io.inlet.catalog;

import ch.qos.logback.classic.Level;
import io.inlet.config.RuntimeConfig;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.job.JobRecord;
import io.inlet.job.JobState;
import io.inlet.testkit.LogCapture;
import io.inlet.testkit.MskIamAuthority;
import io.inlet.testkit.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog on a broker that wants SASL_SSL, as MSK does: SCRAM-SHA-512 with the password from the environment (as
 * ECS passes it), and MSK IAM signing with the catalog's own keys. No secret appears in anything the class logs.
 */
class KafkaJobCatalogSecurityTest {

    static final String SCRAM_PASSWORD = "catalog-scr4m-" + UUID.randomUUID();
    static final String WRONG_PASSWORD = "catalog-wr0ng-" + UUID.randomUUID();
    static final String ACCESS_KEY = "AKIAINLETCATALOG0002";
    static final String SECRET_KEY = "catalog/sk+" + UUID.randomUUID();

    static EmbeddedKafkaBroker broker;
    static LogCapture logs;
    static Path caFile;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(@TempDir Path certs) {
        logs = new LogCapture(Map.of("io.inlet", Level.DEBUG, "org.apache.kafka.clients", Level.INFO,
                "org.apache.kafka.common.security", Level.DEBUG, "software.amazon", Level.INFO));
        TestPki pki = TestPki.create("Inlet Catalog Test CA");
        TestPki.Issued server = pki.server("broker");
        caFile = TestPki.write(certs, "ca.pem", pki.ca().certificatePem());
        Map<String, String> tls = Map.of("ssl.keystore.type", "PEM",
                "ssl.keystore.certificate.chain", server.chainPem(), "ssl.keystore.key", server.privateKeyPem());
        Map<String, String> scram = new LinkedHashMap<>(tls);
        scram.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        scram.put("scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        Map<String, String> iam = new LinkedHashMap<>(tls);
        iam.put("sasl.enabled.mechanisms", "OAUTHBEARER");
        iam.put("oauthbearer.sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                + " required unsecuredLoginStringClaim_sub=\"broker\";");
        iam.put("oauthbearer.sasl.server.callback.handler.class", "io.inlet.testkit.MskIamTokenValidator");
        broker = EmbeddedKafkaBroker.builder()
                .listener("SCRAM", "SASL_SSL", scram)
                .listener("IAM", "SASL_SSL", iam)
                .scramCredential("SCRAM-SHA-512=[name=inlet,password=" + SCRAM_PASSWORD + "]")
                .config("num.network.threads", "1")
                .start();
        MskIamAuthority.region = "us-west-1";
        MskIamAuthority.trust(ACCESS_KEY, SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        try {
            broker.close();
        } finally {
            logs.close();
        }
        assertThat(logs.leaked(List.of(SCRAM_PASSWORD, WRONG_PASSWORD, SECRET_KEY)))
                .as("secrets in what the class logged and printed").isEmpty();
    }

    RuntimeConfig config(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("inlet.yaml");
        Files.writeString(file, yaml);
        return RuntimeConfig.load(file, env);
    }

    String scramYaml(String topic) {
        return """
                warehouse.type: starrocks
                catalog:
                  kafka:
                    bootstrap-servers: %s
                    topic: %s
                    property:
                      security.protocol: SASL_SSL
                      sasl.mechanism: SCRAM-SHA-512
                      ssl.ca.location: %s
                """.formatted(broker.bootstrapServers("SCRAM"), topic, caFile);
    }

    /** A job whose statement holds the SCRAM password, as a job reading the same cluster's topics does. */
    static JobRecord jobWithSecrets() {
        return new JobRecord(10_001, "main", "users", "CREATE ROUTINE LOAD main.users ON t FROM KAFKA ("
                + "\"property.sasl.password\" = \"" + SCRAM_PASSWORD + "\", \"aws.secret_key\" = \"" + SECRET_KEY + "\")",
                JobState.NEED_SCHEDULE, "", Instant.parse("2025-03-04T05:06:07Z"), null, null);
    }

    @Test
    void aScramCatalogWorksWithThePasswordFromTheEnvironmentAndAWrongOneIsNamedNotShown() throws Exception {
        Map<String, String> env = Map.of("INLET_CATALOG_KAFKA_PROPERTY_SASL_USERNAME", "inlet",
                "INLET_CATALOG_KAFKA_PROPERTY_SASL_PASSWORD", SCRAM_PASSWORD);
        try (KafkaJobCatalog catalog = KafkaJobCatalog.open(config(scramYaml("scram_jobs"), env))) {
            catalog.insert(jobWithSecrets());
        }
        try (KafkaJobCatalog catalog = KafkaJobCatalog.open(config(scramYaml("scram_jobs"), env))) {
            assertThat(catalog.all()).containsExactly(jobWithSecrets());
        }

        RuntimeConfig wrong = config(scramYaml("scram_jobs"), Map.of("INLET_CATALOG_KAFKA_PROPERTY_SASL_USERNAME",
                "inlet", "INLET_CATALOG_KAFKA_PROPERTY_SASL_PASSWORD", WRONG_PASSWORD));
        assertThatThrownBy(() -> KafkaJobCatalog.open(wrong))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("the job catalog topic 'scram_jobs' cannot be set up: authentication failed (")
                .hasMessageEndingWith("check catalog.kafka.property.sasl.mechanism, catalog.kafka.property.sasl.username"
                        + " and catalog.kafka.property.sasl.password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WRONG_PASSWORD));
    }

    @Test
    void anMskIamCatalogSignsWithItsOwnKeys() throws Exception {
        String yaml = """
                warehouse.type: doris
                catalog.kafka.bootstrap-servers: %s
                catalog.kafka.topic: iam_jobs
                catalog.kafka.property.security.protocol: SASL_SSL
                catalog.kafka.property.sasl.mechanism: OAUTHBEARER
                catalog.kafka.property.ssl.ca.location: %s
                catalog.kafka.aws.region: us-west-1
                catalog.kafka.aws.access_key: %s
                """.formatted(broker.bootstrapServers("IAM"), caFile, ACCESS_KEY);
        Map<String, String> env = Map.of("INLET_CATALOG_KAFKA_AWS_SECRET_KEY", SECRET_KEY);
        int signed = MskIamAuthority.accepted();

        try (KafkaJobCatalog catalog = KafkaJobCatalog.open(config(yaml, env))) {
            catalog.insert(jobWithSecrets());
        }
        try (KafkaJobCatalog catalog = KafkaJobCatalog.open(config(yaml, env))) {
            assertThat(catalog.all()).containsExactly(jobWithSecrets());
        }
        assertThat(MskIamAuthority.accepted()).isGreaterThan(signed);
    }
}
