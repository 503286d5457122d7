package io.inlet.infra.service;

import io.inlet.infra.context.CatalogKafka;
import io.inlet.infra.context.JobSpec;
import io.inlet.infra.context.KafkaSettings;
import io.inlet.infra.context.KinesisJobSpec;
import io.inlet.infra.context.ServiceSettings;
import io.inlet.infra.context.WarehouseSettings;
import io.inlet.infra.context.ValueType;
import io.inlet.infra.kafka.AuthMode;
import io.inlet.infra.render.TemplateRenderer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime's files for a deployment, rendered from {@code templates/}: the YAML config (no secrets), the job
 * statements, and the container's start script that writes both and runs {@code inlet run --config}.
 */
public final class RuntimeConfig {
    public static final String WORK_DIR = "/tmp/inlet";
    public static final String CONFIG_FILE = WORK_DIR + "/inlet.yaml";
    public static final String JOBS_FILE = WORK_DIR + "/jobs.sql";
    /** Where ingest-runtime/Dockerfile puts the runtime. */
    public static final String RUNTIME_JAR = "/app/ingest-runtime.jar";
    /** The JVM options of ingest-runtime/Dockerfile's entry point, which the start script replaces. */
    public static final String JAVA_OPTS = "-XX:MaxRAMPercentage=75 -XX:+UseParallelGC -Daws.disableEc2Metadata=false";
    /** The runtime's variables of {@code catalog.kafka.bootstrap-servers} and the catalog's SCRAM credentials. */
    public static final String CATALOG_BOOTSTRAP_SERVERS_ENV = "INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS";
    public static final String CATALOG_SASL_USERNAME_ENV = "INLET_CATALOG_KAFKA_PROPERTY_SASL_USERNAME";
    public static final String CATALOG_SASL_PASSWORD_ENV = "INLET_CATALOG_KAFKA_PROPERTY_SASL_PASSWORD";
    /** The catalog's TLS client certificate chain and key (PEM), {@code catalog.kafka.property.ssl.keystore.*}. */
    public static final String CATALOG_TLS_CERTIFICATE_ENV = "INLET_CATALOG_KAFKA_PROPERTY_SSL_KEYSTORE_CERTIFICATE_CHAIN";
    public static final String CATALOG_TLS_KEY_ENV = "INLET_CATALOG_KAFKA_PROPERTY_SSL_KEYSTORE_KEY";

    /** The deployment's Kinesis stream, for jobs created later through the API ({@code "kinesis_stream"}). */
    public static final String KINESIS_STREAM_NAME_ENV = "INLET_KINESIS_STREAM_NAME";
    public static final String KINESIS_STREAM_ARN_ENV = "INLET_KINESIS_STREAM_ARN";

    /** The deployment's Kinesis stream (a name, usually a token resolved at deploy time) and the jobs that load it. */
    public record KinesisJobs(String streamName, List<KinesisJobSpec> jobs) {
    }

    private RuntimeConfig() {
    }

    /**
     * The runtime's {@code catalog.kafka.*} section, when the deployment has one: a Stream Load warehouse's job catalog
     * (which also coordinates Kinesis jobs), or for PostgreSQL with Kinesis jobs only the coordination of their replicas.
     * Its client settings follow the cluster's auth like the jobs' (the brokers and SCRAM credentials reach the
     * container as {@link #CATALOG_BOOTSTRAP_SERVERS_ENV} and {@link #CATALOG_SASL_USERNAME_ENV} /
     * {@link #CATALOG_SASL_PASSWORD_ENV}).
     */
    public static String configYaml(String stackName, WarehouseSettings warehouse, ServiceSettings service,
                                    KafkaSettings kafka, String region, Optional<CatalogKafka> catalogKafka) {
        Map<String, Object> values = new HashMap<>();
        values.put("stackName", stackName);
        values.put("streamLoad", warehouse.type().streamLoad());
        values.put("catalogKafka", catalogKafka.<Object>map(c -> Map.of("topic", c.topic(), "jobCatalog",
                c.jobCatalog())).orElse(false));
        values.put("region", region);
        values.put("iam", kafka.auth() == AuthMode.IAM);
        values.put("scram", kafka.auth() == AuthMode.SCRAM);
        values.put("tls", kafka.auth() == AuthMode.TLS);
        values.put("warehouseType", warehouse.type().runtimeType());
        values.put("loadUrl", warehouse.endpoint());
        values.put("jdbcUrl", warehouse.jdbcUrl().orElse(""));
        values.put("url", warehouse.endpoint());
        values.put("apiListen", service.apiListen());
        values.put("jobsFile", JOBS_FILE);
        return TemplateRenderer.render("templates/inlet.yaml.mustache", values);
    }

    /**
     * Kafka jobs, then the Kinesis stream's jobs: Doris' {@code FROM KINESIS} property names, from TRIM_HORIZON (as the
     * Kafka jobs start at OFFSET_BEGINNING), with the task role's credentials ({@code aws.credentials_provider}
     * DEFAULT finds the container's).
     *
     * @param bootstrapServers the broker list, usually a token resolved at deploy time
     */
    public static String jobsSql(String stackName, List<JobSpec> jobs, KafkaSettings kafka, String region,
                                 String bootstrapServers, Optional<KinesisJobs> kinesis) {
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (JobSpec job : jobs) {
            Map<String, Object> values = new HashMap<>();
            values.put("name", job.name());
            values.put("table", job.table());
            job.columns().ifPresent(columns -> values.put("columns", columns));
            values.put("format", ValueType.spelling(job.format()));
            values.put("topic", job.topic());
            values.put("group", job.group());
            rendered.add(values);
        }
        List<Map<String, Object>> kinesisJobs = new ArrayList<>();
        kinesis.ifPresent(k -> k.jobs().forEach(job -> {
            Map<String, Object> values = new HashMap<>();
            values.put("name", job.name());
            values.put("table", job.table());
            job.columns().ifPresent(columns -> values.put("columns", columns));
            values.put("format", ValueType.spelling(job.format()));
            values.put("stream", k.streamName());
            kinesisJobs.add(values);
        }));
        Map<String, Object> values = new HashMap<>();
        values.put("stackName", stackName);
        values.put("jobs", rendered);
        values.put("kinesisJobs", kinesisJobs);
        values.put("bootstrapServers", bootstrapServers);
        values.put("region", region);
        values.put("iam", kafka.auth() == AuthMode.IAM);
        values.put("scram", kafka.auth() == AuthMode.SCRAM);
        values.put("tls", kafka.auth() == AuthMode.TLS);
        return TemplateRenderer.render("templates/jobs.sql.mustache", values);
    }

    public static String startScript() {
        return TemplateRenderer.render("templates/container-start.sh.mustache", Map.of(
                "workDir", WORK_DIR, "configFile", CONFIG_FILE, "jobsFile", JOBS_FILE, "runtimeJar", RUNTIME_JAR));
    }
}
