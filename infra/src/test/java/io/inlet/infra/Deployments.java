package io.inlet.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test deployments: the context of the repository's cdk.json (feature flags, including
 * {@code @aws-cdk/core:validateAgainstDefaultRules}) plus a context that seeds every {@code hosted:*} key, with
 * per-test changes; and synthesized stacks, cached per context because a synth costs about a second.
 */
final class Deployments {
    static final Path REPOSITORY = Path.of(System.getProperty("inlet.repository", "..")).toAbsolutePath().normalize();
    static final Path IMAGE = Path.of("src/test/resources/ingest-image").toAbsolutePath();
    static final String WAREHOUSE_SECRET =
            "arn:aws:secretsmanager:us-west-2:000000000000:secret:fff-streaming-warehouse-AbCdEf";
    static final String STACK = "fff-streaming-inlet";
    static final String CERTIFICATE =
            "arn:aws:acm:us-west-2:000000000000:certificate/01234567-89ab-cdef-0123-456789abcdef";
    static final String PRIVATE_CA = "arn:aws:acm-pca:us-west-2:000000000000:certificate-authority/"
            + "76543210-ba98-fedc-3210-fedcba987654";
    static final String TLS_CLIENT_SECRET =
            "arn:aws:secretsmanager:us-west-2:000000000000:secret:fff-streaming-inlet-client-cert-GhIjKl";
    static final String OIDC_PROVIDER = "arn:aws:iam::000000000000:oidc-provider/"
            + "oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Map<String, Object>, Synthesized> CACHE = new HashMap<>();

    private Deployments() {
    }

    /** Every declared key set explicitly: a serverless cluster with IAM, two groups, a StarRocks warehouse. */
    static Map<String, Object> serverless() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("hosted:id", "fff");
        context.put("hosted:account", "000000000000");
        context.put("hosted:region", "us-west-2");
        context.put("hosted:domain", "data.stxkxs.io");
        context.put("hosted:organization", "data");
        context.put("hosted:name", "analytics");
        context.put("hosted:alias", "inlet");
        context.put("hosted:inlet:release", "streaming");
        context.put("hosted:inlet:vpc:cidr", "10.40.0.0/16");
        context.put("hosted:inlet:vpc:max-azs", 2);
        context.put("hosted:inlet:vpc:nat-gateways", 1);
        context.put("hosted:inlet:msk:mode", "serverless");
        context.put("hosted:inlet:msk:auth", "iam");
        context.put("hosted:inlet:msk:topics", List.of("users", "orders"));
        context.put("hosted:inlet:msk:consumer-groups", List.of(
                Map.of("name", "inlet-users", "topics", List.of("users")),
                Map.of("name", "inlet-orders", "topics", List.of("orders"))));
        context.put("hosted:inlet:service:cpu", 1024);
        context.put("hosted:inlet:service:memory", 2048);
        context.put("hosted:inlet:service:desired-count", 2);
        context.put("hosted:inlet:service:min-count", 1);
        context.put("hosted:inlet:service:max-count", 4);
        context.put("hosted:inlet:api:listen", "0.0.0.0:8030");
        context.put("hosted:inlet:api:allowed-cidrs", List.of("10.20.0.0/16"));
        context.put("hosted:inlet:api:allowed-security-groups", List.of("sg-0123456789abcdef0"));
        context.put("hosted:inlet:log:retention-days", 30);
        context.put("hosted:inlet:warehouse:type", "starrocks");
        context.put("hosted:inlet:warehouse:endpoint", "fe-0.starrocks.internal:8030");
        context.put("hosted:inlet:warehouse:jdbc-url", "jdbc:mysql://fe-0.starrocks.internal:9030");
        context.put("hosted:inlet:warehouse:credentials-secret-arn", WAREHOUSE_SECRET);
        context.put("hosted:inlet:warehouse:cidr", "10.0.0.0/8");
        context.put("hosted:inlet:warehouse:be-http-port", 8040);
        context.put("hosted:inlet:warehouse:catalog-topic", "_inlet_jobs");
        context.put("hosted:inlet:alarm:email", "data-platform@example.com");
        context.put("hosted:inlet:lag:max-offset-lag", 100000);
        context.put("hosted:inlet:lag:max-time-lag-seconds", 300);
        context.put("hosted:inlet:lag:scale-out-offset-lag", 50000);
        context.put("hosted:inlet:lag:scale-in-offset-lag", 1000);
        context.put("hosted:inlet:kinesis:enabled", false);
        context.put("hosted:inlet:jobs", List.of(Map.of("name", "mydatabase.tutorials_users", "table", "myusers2",
                "topic", "users", "group", "inlet-users", "format", "json",
                "columns", "userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000)")));
        return context;
    }

    /**
     * Provisioned MSK with SASL/SCRAM, three AZs, a Kinesis stream with seed 002's job, an existing alarm topic,
     * PostgreSQL.
     */
    static Map<String, Object> provisioned() {
        Map<String, Object> context = serverless();
        context.put("hosted:inlet:vpc:max-azs", 3);
        context.put("hosted:inlet:msk:mode", "provisioned");
        context.put("hosted:inlet:msk:auth", "scram");
        context.put("hosted:inlet:msk:kafka-version", "3.9.x");
        context.put("hosted:inlet:msk:broker-instance-type", "kafka.m7g.large");
        context.put("hosted:inlet:msk:broker-count", 3);
        context.put("hosted:inlet:msk:broker-volume-gib", 500);
        context.put("hosted:inlet:msk:public-subnets", false);
        context.put("hosted:inlet:msk:public-access", false);
        context.put("hosted:inlet:msk:scram-username", "inlet");
        context.put("hosted:inlet:warehouse:type", "postgresql");
        context.put("hosted:inlet:warehouse:endpoint", "jdbc:postgresql://warehouse.internal:5432/analytics");
        context.remove("hosted:inlet:warehouse:jdbc-url");
        context.remove("hosted:inlet:warehouse:be-http-port");
        context.remove("hosted:inlet:warehouse:catalog-topic");
        context.remove("hosted:inlet:alarm:email");
        context.put("hosted:inlet:alarm:topic-arn", "arn:aws:sns:us-west-2:000000000000:platform-alarms");
        context.put("hosted:inlet:kinesis:enabled", true);
        context.put("hosted:inlet:kinesis:shard-count", 2);
        context.put("hosted:inlet:kinesis:retention-hours", 48);
        context.put("hosted:inlet:kinesis:jobs", List.of(Map.of("name", "market.stock_ticks", "table", "stock",
                "format", "json", "columns", "EVENT_TIME, TICKER, PRICE")));
        context.put("hosted:inlet:api:certificate-arn", CERTIFICATE);
        return context;
    }

    /** An imported VPC given by ids (no lookup). */
    static Map<String, Object> importedVpc() {
        Map<String, Object> context = serverless();
        context.remove("hosted:inlet:vpc:cidr");
        context.remove("hosted:inlet:vpc:max-azs");
        context.remove("hosted:inlet:vpc:nat-gateways");
        context.put("hosted:inlet:vpc:id", "vpc-0123456789abcdef0");
        context.put("hosted:inlet:vpc:availability-zones", List.of("us-west-2a", "us-west-2b"));
        context.put("hosted:inlet:vpc:private-subnet-ids", List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"));
        return context;
    }

    /** Provisioned SASL/SCRAM with its brokers in the public subnets: the first deploy before public access. */
    static Map<String, Object> publicSubnets() {
        return with(provisioned(), "hosted:inlet:msk:public-subnets", true);
    }

    /** {@link #publicSubnets()} with public broker endpoints for clients of one CIDR: the second deploy. */
    static Map<String, Object> publicAccess() {
        return with(with(publicSubnets(), "hosted:inlet:msk:public-access", true),
                "hosted:inlet:msk:public-client-cidrs", List.of("203.0.113.0/24"));
    }

    /** Provisioned with TLS client authentication (ACM Private CA) loading StarRocks, whose job catalog uses it too. */
    static Map<String, Object> provisionedTls() {
        Map<String, Object> context = provisionedStarRocks();
        context.remove("hosted:inlet:msk:scram-username");
        context.put("hosted:inlet:msk:auth", "tls");
        context.put("hosted:inlet:msk:tls-ca-arn", PRIVATE_CA);
        context.put("hosted:inlet:msk:tls-client-secret-arn", TLS_CLIENT_SECRET);
        return context;
    }

    /** Seed 004's cdk.context.json, verbatim, as shipped in infra/examples. */
    static Map<String, Object> seed004() {
        return readJson(REPOSITORY.resolve("infra/examples/seed-004/cdk.context.json"));
    }

    /** Seed 004 with the EKS cluster's OIDC provider: Druid's service account gets its role. */
    static Map<String, Object> seed004WithOidcProvider() {
        return with(seed004(), "hosted:eks:druid:oidc-provider-arn", OIDC_PROVIDER);
    }

    /** Provisioned SASL/SCRAM loading StarRocks, whose job catalog topic is reached with the service's SCRAM user. */
    static Map<String, Object> provisionedStarRocks() {
        Map<String, Object> serverless = serverless();
        Map<String, Object> context = provisioned();
        for (String key : List.of("hosted:inlet:warehouse:type", "hosted:inlet:warehouse:endpoint",
                "hosted:inlet:warehouse:jdbc-url", "hosted:inlet:warehouse:be-http-port")) {
            context.put(key, serverless.get(key));
        }
        context.put("hosted:inlet:warehouse:catalog-topic", "inlet.jobs");
        return context;
    }

    /** Provisioned with IAM client authentication. */
    static Map<String, Object> provisionedIam() {
        Map<String, Object> context = with(provisioned(), "hosted:inlet:msk:auth", "iam");
        context.remove("hosted:inlet:msk:scram-username");
        return context;
    }

    /**
     * {@link #provisionedIam()} (PostgreSQL, a Kinesis stream) whose stream has no jobs: nothing to coordinate, so no
     * {@code catalog.kafka.*} either.
     */
    static Map<String, Object> postgresqlIamWithoutKinesisJobs() {
        return with(provisionedIam(), "hosted:inlet:kinesis:jobs", List.of());
    }

    /** {@link #provisionedIam()} with two Kinesis jobs in two databases, whose replicas coordinate on the cluster. */
    static Map<String, Object> postgresqlIamWithKinesisJobs() {
        return with(provisionedIam(), "hosted:inlet:kinesis:jobs", List.of(
                Map.of("name", "market.stock_ticks", "table", "stock", "format", "json",
                        "columns", "EVENT_TIME, TICKER, PRICE"),
                Map.of("name", "audit.trades", "table", "trades", "format", "csv")));
    }

    /** {@link #serverless()} (StarRocks, IAM) with a Kinesis stream and seed 002's job. */
    static Map<String, Object> serverlessWithKinesis() {
        Map<String, Object> context = serverless();
        context.put("hosted:inlet:kinesis:enabled", true);
        context.put("hosted:inlet:kinesis:shard-count", 2);
        context.put("hosted:inlet:kinesis:retention-hours", 48);
        context.put("hosted:inlet:kinesis:jobs", List.of(Map.of("name", "market.stock_ticks", "table", "stock",
                "format", "json", "columns", "EVENT_TIME, TICKER, PRICE")));
        return context;
    }

    /** Provisioned IAM with public access in an imported VPC (public subnets given by id). */
    static Map<String, Object> importedPublicIam() {
        Map<String, Object> context = provisionedIam();
        context.remove("hosted:inlet:vpc:cidr");
        context.remove("hosted:inlet:vpc:max-azs");
        context.remove("hosted:inlet:vpc:nat-gateways");
        context.put("hosted:inlet:msk:broker-count", 2);
        context.put("hosted:inlet:msk:public-subnets", true);
        context.put("hosted:inlet:msk:public-access", true);
        context.put("hosted:inlet:msk:public-client-cidrs", List.of("198.51.100.0/24"));
        context.put("hosted:inlet:vpc:id", "vpc-0123456789abcdef0");
        context.put("hosted:inlet:vpc:availability-zones", List.of("us-west-2a", "us-west-2b"));
        context.put("hosted:inlet:vpc:private-subnet-ids", List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"));
        context.put("hosted:inlet:vpc:public-subnet-ids", List.of("subnet-0ccccccccccccccc3", "subnet-0ddddddddddddddd4"));
        return context;
    }

    /** The serverless deployment that is also seed 004's Druid cluster, with every Druid key. */
    static Map<String, Object> druidBesideTheService() {
        Map<String, Object> context = serverless();
        context.put("hosted:eks:druid:release", "streaming");
        context.put("hosted:eks:druid:oidc-provider-arn", OIDC_PROVIDER);
        context.put("hosted:eks:druid:client-cidrs", List.of("10.40.0.0/16", "100.64.0.0/16"));
        context.put("hosted:eks:druid:topic", "events");
        return context;
    }

    static Map<String, Object> with(Map<String, Object> context, String key, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(context);
        if (value == null) {
            changed.remove(key);
        } else {
            changed.put(key, value);
        }
        return changed;
    }

    /** The cdk.json feature flags and the AZ context entries of cdk.context.json, then the test's keys. */
    static App app(Map<String, Object> hosted) {
        Map<String, Object> context = new LinkedHashMap<>(cdkJsonContext());
        readJson(REPOSITORY.resolve("cdk.context.json")).forEach((key, value) -> {
            if (key.startsWith("availability-zones:")) {
                context.put(key, value);
            }
        });
        context.putAll(hosted);
        try {
            return App.Builder.create()
                    .context(context)
                    .outdir(Files.createTempDirectory("inlet-cdk-out").toString())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized Synthesized synth(Map<String, Object> hosted) {
        return CACHE.computeIfAbsent(hosted, h -> {
            App app = app(h);
            InletStack stack = InletApp.build(app, IMAGE, Map.of());
            app.synth();
            return new Synthesized(app, stack, Template.fromStack(stack));
        });
    }

    record Synthesized(App app, InletStack stack, Template template) {
    }

    static Map<String, Object> cdkJsonContext() {
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) readJson(REPOSITORY.resolve("cdk.json")).get("context");
        return context;
    }

    static Map<String, Object> readJson(Path file) {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
