package io.inlet.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.inlet.infra.context.CatalogKafka;
import io.inlet.infra.context.InletContext;
import io.inlet.infra.service.RuntimeConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The runtime files rendered from templates/: YAML config, job statements, container start script. */
class RuntimeConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode configOf(Map<String, Object> hosted) throws Exception {
        InletContext context = ContextModelTest.read(hosted);
        return YAML.readTree(configYaml(context, context.deployment().region()));
    }

    /** The config as the stack renders it: with the catalog.kafka.* section the context calls for. */
    private static String configYaml(InletContext context, String region) {
        return RuntimeConfig.configYaml("stack", context.warehouse().orElseThrow(), context.service(),
                context.kafka(), region, CatalogKafka.of(context.warehouse().orElseThrow(), context.kinesis()));
    }

    @Test
    void starRocksConfigUsesTheRuntimeKeysAndHoldsNoCredentials() throws Exception {
        JsonNode config = configOf(Deployments.serverless());

        assertThat(fieldNames(config)).containsExactly("warehouse", "catalog", "api", "jobs");
        assertThat(fieldNames(config.get("warehouse"))).containsExactly("type", "load-url", "jdbc-url");
        assertThat(config.at("/warehouse/type").asText()).isEqualTo("starrocks");
        assertThat(config.at("/warehouse/load-url").asText()).isEqualTo("fe-0.starrocks.internal:8030");
        assertThat(config.at("/warehouse/jdbc-url").asText()).isEqualTo("jdbc:mysql://fe-0.starrocks.internal:9030");
        assertThat(fieldNames(config.get("api"))).containsExactly("listen");
        assertThat(config.at("/api/listen").asText()).isEqualTo("0.0.0.0:8030");
        assertThat(config.get("jobs").asText()).isEqualTo(RuntimeConfig.JOBS_FILE);
    }

    @Test
    void postgresqlConfigWithoutKinesisJobsSetsTheWarehouseUrlAndNoCatalog() throws Exception {
        JsonNode config = configOf(Deployments.postgresqlIamWithoutKinesisJobs());

        assertThat(fieldNames(config)).containsExactly("warehouse", "api", "jobs");
        assertThat(fieldNames(config.get("warehouse"))).containsExactly("type", "url");
        assertThat(config.at("/warehouse/type").asText()).isEqualTo("jdbc");
        assertThat(config.at("/warehouse/url").asText())
                .isEqualTo("jdbc:postgresql://warehouse.internal:5432/analytics");
    }

    @Test
    void anIamCatalogUsesOauthBearerWithTheTaskRoleInTheStacksRegion() throws Exception {
        JsonNode catalog = configOf(Deployments.serverless()).at("/catalog/kafka");

        assertThat(fieldNames(catalog)).containsExactly("topic", "property", "aws");
        assertThat(catalog.at("/topic").asText()).isEqualTo("_inlet_jobs");
        assertThat(catalog.get("property").properties()).extracting(Map.Entry::getKey, e -> e.getValue().asText())
                .containsExactly(tuple("security.protocol", "SASL_SSL"), tuple("sasl.mechanism", "OAUTHBEARER"));
        assertThat(catalog.get("aws").properties()).extracting(Map.Entry::getKey, e -> e.getValue().asText())
                .containsExactly(tuple("region", "us-west-2"), tuple("credentials_provider", "DEFAULT"));
    }

    @Test
    void aTlsCatalogUsesAPemKeystoreAndLeavesTheCertificateToTheEnvironment() throws Exception {
        InletContext context = ContextModelTest.read(Deployments.provisionedTls());
        String yaml = configYaml(context, "us-west-2");
        JsonNode catalog = YAML.readTree(yaml).at("/catalog/kafka");

        assertThat(catalog.get("property").properties()).extracting(Map.Entry::getKey, e -> e.getValue().asText())
                .containsExactly(tuple("security.protocol", "SSL"), tuple("ssl.keystore.type", "PEM"));
        assertThat(yaml).contains("INLET_CATALOG_KAFKA_PROPERTY_SSL_KEYSTORE_CERTIFICATE_CHAIN")
                .doesNotContain("BEGIN");
    }

    @Test
    void tlsJobsReadTheirCertificateFromPlaceholders() {
        InletContext context = ContextModelTest.read(Deployments.provisionedTls());
        String sql = RuntimeConfig.jobsSql("stack", context.jobs(), context.kafka(), "us-west-2", "b-1:9094",
                Optional.empty());

        assertThat(sql).contains("\"property.security.protocol\" = \"SSL\",\n"
                + "    \"property.ssl.keystore.type\" = \"PEM\",\n"
                + "    \"property.ssl.keystore.certificate.chain\" = \"@INLET_KAFKA_TLS_CERTIFICATE@\",\n"
                + "    \"property.ssl.keystore.key\" = \"@INLET_KAFKA_TLS_KEY@\"\n);")
                .doesNotContain("sasl");
    }

    @Test
    void aScramCatalogNamesItsMechanismAndLeavesItsCredentialsToTheEnvironment() throws Exception {
        InletContext context = ContextModelTest.read(Deployments.provisionedStarRocks());
        String yaml = configYaml(context, "us-west-2");
        JsonNode catalog = YAML.readTree(yaml).at("/catalog/kafka");

        assertThat(fieldNames(catalog)).containsExactly("topic", "property");
        assertThat(catalog.at("/topic").asText()).isEqualTo("inlet.jobs");
        assertThat(catalog.get("property").properties()).extracting(Map.Entry::getKey, e -> e.getValue().asText())
                .containsExactly(tuple("security.protocol", "SASL_SSL"), tuple("sasl.mechanism", "SCRAM-SHA-512"));
        assertThat(yaml).contains("# INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS, its SCRAM user as "
                + "INLET_CATALOG_KAFKA_PROPERTY_SASL_USERNAME and\n# INLET_CATALOG_KAFKA_PROPERTY_SASL_PASSWORD (ECS "
                + "secrets).");
    }

    @Test
    void iamJobsUseOauthBearerWithTheTaskRole() {
        InletContext context = ContextModelTest.read(Deployments.serverless());

        String sql = RuntimeConfig.jobsSql("stack", context.jobs(), context.kafka(), "us-west-2", "b-1:9098,b-2:9098",
                Optional.empty());

        assertThat(sql).contains("CREATE ROUTINE LOAD mydatabase.tutorials_users ON myusers2\n"
                + "COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000))\n"
                + "PROPERTIES (\"format\" = \"json\")\n"
                + "FROM KAFKA (\n"
                + "    \"kafka_broker_list\" = \"b-1:9098,b-2:9098\",\n"
                + "    \"kafka_topic\" = \"users\",\n"
                + "    \"property.group.id\" = \"inlet-users\",\n"
                + "    \"property.kafka_default_offsets\" = \"OFFSET_BEGINNING\",\n"
                + "    \"property.security.protocol\" = \"SASL_SSL\",\n"
                + "    \"property.sasl.mechanism\" = \"OAUTHBEARER\",\n"
                + "    \"aws.region\" = \"us-west-2\",\n"
                + "    \"aws.credentials_provider\" = \"DEFAULT\"\n"
                + ");");
    }

    @Test
    void kinesisJobsUseDorisPropertyNamesFromTrimHorizonWithTheTaskRole() {
        InletContext context = ContextModelTest.read(Deployments.provisioned());

        String sql = RuntimeConfig.jobsSql("stack", List.of(), context.kafka(), "us-west-2", "b-1:9096",
                Optional.of(new RuntimeConfig.KinesisJobs("fff-streaming-inlet-kinesis",
                        context.kinesis().orElseThrow().jobs())));

        assertThat(sql).contains("CREATE ROUTINE LOAD market.stock_ticks ON stock\n"
                + "COLUMNS(EVENT_TIME, TICKER, PRICE)\n"
                + "PROPERTIES (\"format\" = \"json\")\n"
                + "FROM KINESIS (\n"
                + "    \"aws.region\" = \"us-west-2\",\n"
                + "    \"kinesis_stream\" = \"fff-streaming-inlet-kinesis\",\n"
                + "    \"property.kinesis_default_pos\" = \"TRIM_HORIZON\",\n"
                + "    \"aws.credentials_provider\" = \"DEFAULT\"\n"
                + ");").doesNotContain("FROM KAFKA").doesNotContain("aws.secret_key");
    }

    @Test
    void scramJobsCarryCredentialPlaceholdersNotCredentials() {
        InletContext context = ContextModelTest.read(Deployments.provisioned());

        String sql = RuntimeConfig.jobsSql("stack", context.jobs(), context.kafka(), "us-west-2", "b-1:9096",
                Optional.empty());

        assertThat(sql).contains("\"property.sasl.mechanism\" = \"SCRAM-SHA-512\",\n"
                + "    \"property.sasl.username\" = \"@INLET_KAFKA_SASL_USERNAME@\",\n"
                + "    \"property.sasl.password\" = \"@INLET_KAFKA_SASL_PASSWORD@\"\n);");
        assertThat(sql).doesNotContain("OAUTHBEARER");
    }

    @Test
    void startScriptWritesBothFilesThenRunsTheRuntime() {
        String script = RuntimeConfig.startScript();

        assertThat(script).contains("printf '%s' \"$INLET_CONFIG_YAML\" > /tmp/inlet/inlet.yaml");
        assertThat(script).contains("printf '%s' \"$INLET_JOBS_SQL\" | perl -pe");
        assertThat(script).contains("> /tmp/inlet/jobs.sql");
        assertThat(script).endsWith("exec java $JAVA_OPTS -jar /app/ingest-runtime.jar run --config "
                + "/tmp/inlet/inlet.yaml\n");
        assertThat(script).doesNotContain("${");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
