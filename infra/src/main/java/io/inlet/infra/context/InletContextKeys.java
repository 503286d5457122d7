package io.inlet.infra.context;

import io.inlet.infra.kafka.AuthMode;
import io.inlet.infra.kafka.ClusterMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.inlet.infra.context.ContextKey.derived;
import static io.inlet.infra.context.ContextKey.optional;
import static io.inlet.infra.context.ContextKey.required;
import static io.inlet.infra.context.ContextKey.withDefault;

/**
 * Every {@code hosted:*} context key of the app, declared once: name, type and validation, default, documentation.
 * Seed 004's keys ({@code hosted:id}, {@code hosted:account}, {@code hosted:region}, {@code hosted:domain}, ...) keep
 * their names; the app's own live under {@code hosted:inlet:}.
 */
public final class InletContextKeys {
    public static final String APP_PREFIX = "hosted:inlet:";

    private static final String NAME_PART = "(?:[a-z0-9]+(?:-[a-z0-9]+)*)";
    private static final String TOPIC = "[a-zA-Z0-9._-]{1,249}";
    private static final ValueType<String> TOPIC_NAME =
            ValueType.string("a Kafka name of 1-249 characters from a-z A-Z 0-9 . _ -", TOPIC);

    // Deployment (seed 004)
    public static final ContextKey<String> ID = required("hosted:id",
            ValueType.string("1-16 lowercase letters, digits or single hyphens, starting with a letter",
                    "(?=.{1,16}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*"),
            "Deployment id, the first part of every name: `{id}-{release}-inlet-msk`.");
    public static final ContextKey<String> ACCOUNT = derived("hosted:account",
            ValueType.string("a 12-digit AWS account id", "\\d{12}"),
            "`CDK_DEFAULT_ACCOUNT` (the CLI's credentials), else none: an environment-agnostic stack",
            "AWS account of the stack; the shipped cdk.context.json pins none.");
    public static final ContextKey<String> REGION = required("hosted:region",
            ValueType.string("an AWS region name such as us-west-2", "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d"),
            "AWS region of the stack.");
    private static final ValueType<String> RELEASE_NAME = ValueType.string(
            "1-24 lowercase letters, digits or single hyphens, starting with a letter",
            "(?=.{1,24}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*");
    public static final ContextKey<String> DRUID_RELEASE = optional("hosted:eks:druid:release", RELEASE_NAME,
            "Seed 004: the Druid release that consumes the cluster. When set, the cluster is the Druid cluster "
                    + "`{id}-{release}-druid-msk`, with its access policy, its exported brokers and a supervisor spec.");
    public static final ContextKey<String> RELEASE = derived("hosted:inlet:release", RELEASE_NAME,
            "`hosted:eks:druid:release`", "Release name, the second part of every Inlet name: `{id}-{release}-inlet`.");
    public static final ContextKey<String> DOMAIN = withDefault("hosted:domain",
            ValueType.string("a lowercase DNS name of at most 100 characters, such as data.example.io",
                    "(?=.{1,100}$)" + NAME_PART + "(?:\\." + NAME_PART + ")*"),
            "inlet", "Tag domain: tags are `{domain}:resource-type`, `{domain}:component`, ...");
    public static final ContextKey<String> ORGANIZATION = derived("hosted:organization",
            ValueType.string("1-32 lowercase letters, digits or single hyphens", "(?=.{1,32}$)" + NAME_PART),
            "`hosted:id`", "First part of the `{domain}:part-of` tag (`{organization}.{name}.{alias}`).");
    public static final ContextKey<String> NAME = derived("hosted:name",
            ValueType.string("1-32 lowercase letters, digits or single hyphens", "(?=.{1,32}$)" + NAME_PART),
            "the release", "Second part of the `{domain}:part-of` tag.");
    public static final ContextKey<String> ALIAS = withDefault("hosted:alias",
            ValueType.string("1-32 lowercase letters, digits or single hyphens", "(?=.{1,32}$)" + NAME_PART),
            "inlet", "Third part of the `{domain}:part-of` tag.");

    // Network
    public static final ContextKey<String> VPC_CIDR = withDefault("hosted:inlet:vpc:cidr", ValueType.cidr(16, 24),
            "10.40.0.0/16", "CIDR of the VPC to create (ignored with `hosted:inlet:vpc:id`).");
    public static final ContextKey<Integer> VPC_MAX_AZS = withDefault("hosted:inlet:vpc:max-azs",
            ValueType.integer(2, 3), 2, "Availability zones of the VPC to create; MSK brokers spread over them.");
    public static final ContextKey<Integer> VPC_NAT_GATEWAYS = withDefault("hosted:inlet:vpc:nat-gateways",
            ValueType.integer(1, 3), 1, "NAT gateways of the VPC to create, at most `max-azs`.");
    public static final ContextKey<String> VPC_ID = optional("hosted:inlet:vpc:id",
            ValueType.string("a VPC id such as vpc-0123456789abcdef0", "vpc-[0-9a-f]{8,17}"),
            "Existing VPC to deploy into instead of creating one (no lookup: give its subnets and AZs too).");
    private static final ValueType<String> SUBNET_ID =
            ValueType.string("a subnet id such as subnet-0123456789abcdef0", "subnet-[0-9a-f]{8,17}");
    public static final ContextKey<List<String>> VPC_AVAILABILITY_ZONES = optional(
            "hosted:inlet:vpc:availability-zones",
            ValueType.listOf(ValueType.string("an availability zone name such as us-west-2a",
                    "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d[a-z]"), 2, true),
            "With `vpc:id`: the AZs of the subnets below, in the same order.");
    public static final ContextKey<List<String>> VPC_PRIVATE_SUBNET_IDS = optional(
            "hosted:inlet:vpc:private-subnet-ids", ValueType.listOf(SUBNET_ID, 2, true),
            "With `vpc:id`: private subnets (with a route to a NAT) for the brokers and the service, one per AZ.");
    public static final ContextKey<List<String>> VPC_PUBLIC_SUBNET_IDS = optional(
            "hosted:inlet:vpc:public-subnet-ids", ValueType.listOf(SUBNET_ID, 2, true),
            "With `vpc:id` and `msk:public-subnets`: public subnets for the brokers, one per AZ.");

    // Kafka
    public static final ContextKey<ClusterMode> MSK_MODE = withDefault("hosted:inlet:msk:mode",
            ValueType.oneOf(ClusterMode.class), ClusterMode.SERVERLESS,
            "`serverless` (MSK Serverless, IAM) or `provisioned` (brokers, SASL/SCRAM by default).");
    public static final ContextKey<AuthMode> MSK_AUTH = derived("hosted:inlet:msk:auth",
            ValueType.oneOf(AuthMode.IAM, AuthMode.SCRAM, AuthMode.TLS),
            "`iam` when serverless; when provisioned `tls` with `msk:tls-ca-arn`, else `scram`",
            "Client authentication of the service: `iam` (port 9098), `scram` (SASL/SCRAM-SHA-512, port 9096) or "
                    + "`tls` (mutual TLS with a certificate of `msk:tls-ca-arn`, port 9094; provisioned only).");
    public static final ContextKey<String> MSK_KAFKA_VERSION = withDefault("hosted:inlet:msk:kafka-version",
            ValueType.string("an MSK Kafka version such as 3.9.x or 3.6.0", "\\d+\\.\\d+\\.(?:\\d+|x)(?:\\.kraft)?"),
            "3.9.x", "Provisioned only: Kafka version of the brokers.");
    public static final ContextKey<String> MSK_BROKER_TYPE = withDefault("hosted:inlet:msk:broker-instance-type",
            ValueType.string("an MSK broker instance type such as kafka.m7g.large", "kafka\\.[a-z0-9]+\\.[a-z0-9]+"),
            "kafka.m7g.large", "Provisioned only: broker instance type.");
    public static final ContextKey<Integer> MSK_BROKER_COUNT = withDefault("hosted:inlet:msk:broker-count",
            ValueType.integer(1, 30), 2, "Provisioned only: number of brokers, a multiple of the AZ count.");
    public static final ContextKey<Integer> MSK_BROKER_VOLUME = withDefault("hosted:inlet:msk:broker-volume-gib",
            ValueType.integer(1, 16384), 100, "Provisioned only: EBS volume per broker, GiB.");
    public static final ContextKey<Boolean> MSK_PUBLIC_SUBNETS = withDefault("hosted:inlet:msk:public-subnets",
            ValueType.bool(), false, "Provisioned only: brokers in the public subnets with ACL-only authorization "
                    + "(`allow.everyone.if.no.acl.found=false`), what MSK requires before public access; fixed at "
                    + "cluster creation.");
    public static final ContextKey<Boolean> MSK_PUBLIC_ACCESS = withDefault("hosted:inlet:msk:public-access",
            ValueType.bool(), false, "Provisioned only, with `public-subnets`, on an existing cluster (a second "
                    + "deploy): public broker endpoints for clients outside the VPC (9198 IAM, 9196 SCRAM, 9194 TLS); "
                    + "the service keeps the private listener.");
    public static final ContextKey<List<String>> MSK_PUBLIC_CLIENT_CIDRS = optional(
            "hosted:inlet:msk:public-client-cidrs", ValueType.listOf(ValueType.cidr(8, 32), 1, true),
            "With `public-access`: the only addresses outside the VPC the brokers accept on the public listener "
                    + "(the service itself stays on the private listener).");
    public static final ContextKey<String> MSK_TLS_CA_ARN = optional("hosted:inlet:msk:tls-ca-arn",
            ValueType.string("an ACM Private CA ARN such as arn:aws:acm-pca:us-west-2:111122223333:"
                            + "certificate-authority/01234567-89ab-cdef-0123-456789abcdef",
                    "arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\\d{12}:certificate-authority/[0-9a-f-]{36}"),
            "Provisioned only: turns on TLS client authentication (port 9094) for certificates of this ACM Private CA.");
    public static final ContextKey<String> MSK_TLS_CLIENT_SECRET_ARN = optional(
            "hosted:inlet:msk:tls-client-secret-arn",
            ValueType.string("the complete ARN of a Secrets Manager secret (with its 6-character suffix) holding "
                            + "JSON fields \"certificate\" and \"private-key\" (PEM)",
                    "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}"),
            "With `msk:auth` `tls`: the service's client certificate chain and unencrypted PKCS#8 key, issued by "
                    + "`msk:tls-ca-arn`, passed to the container as ECS secrets.");
    public static final ContextKey<String> MSK_SCRAM_USERNAME = withDefault("hosted:inlet:msk:scram-username",
            ValueType.string("1-64 letters, digits, _ or -", "[A-Za-z0-9_-]{1,64}"), "inlet",
            "SCRAM only: user name stored in the `AmazonMSK_` secret (the password is generated).");
    public static final ContextKey<List<String>> MSK_TOPICS = optional("hosted:inlet:msk:topics",
            ValueType.listOf(TOPIC_NAME, 1, true),
            "With `warehouse:endpoint`: topics the service may read (exact names, no wildcards).");
    public static final ContextKey<List<KafkaSettings.ConsumerGroup>> MSK_CONSUMER_GROUPS = optional(
            "hosted:inlet:msk:consumer-groups",
            ValueType.listOf(ValueType.object("a consumer group",
                    fields("name", TOPIC_NAME.withAllowed("a Kafka group name of 1-249 characters from a-z A-Z 0-9 . _ -"),
                            "topics", ValueType.listOf(TOPIC_NAME, 1, true)),
                    Map.of(), v -> new KafkaSettings.ConsumerGroup((String) v.get("name"), cast(v.get("topics")))), 1, true),
            "With `warehouse:endpoint`: consumer groups of the service, each with the topics it reads: IAM access, "
                    + "lag alarms and scaling.");

    // Service
    public static final ContextKey<Integer> SERVICE_CPU = withDefault("hosted:inlet:service:cpu",
            ValueType.integerIn(List.of(256, 512, 1024, 2048, 4096, 8192, 16384)), 1024,
            "Fargate task CPU units.");
    public static final ContextKey<Integer> SERVICE_MEMORY = withDefault("hosted:inlet:service:memory",
            ValueType.integer(512, 122880), 2048, "Fargate task memory, MiB (a valid Fargate pair with the CPU).");
    public static final ContextKey<Integer> SERVICE_DESIRED = withDefault("hosted:inlet:service:desired-count",
            ValueType.integer(1, 100), 1, "Tasks at deploy time, between min and max.");
    public static final ContextKey<Integer> SERVICE_MIN = withDefault("hosted:inlet:service:min-count",
            ValueType.integer(1, 100), 1, "Fewest tasks lag scaling keeps.");
    public static final ContextKey<Integer> SERVICE_MAX = withDefault("hosted:inlet:service:max-count",
            ValueType.integer(1, 100), 4, "Most tasks lag scaling starts.");
    public static final ContextKey<String> API_LISTEN = withDefault("hosted:inlet:api:listen",
            ValueType.string("host:port with a port from 1 to 65535",
                    "[A-Za-z0-9.-]+:(?:[1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])"),
            "0.0.0.0:8030", "`api.listen` of the runtime, as ingest-runtime/Dockerfile exposes it (the token is "
                    + "generated into a secret).");
    private static final ValueType<String> SECURITY_GROUP_ID =
            ValueType.string("a security group id such as sg-0123456789abcdef0", "sg-[0-9a-f]{8,17}");
    public static final ContextKey<List<String>> API_ALLOWED_CIDRS = withDefault("hosted:inlet:api:allowed-cidrs",
            ValueType.listOf(ValueType.cidr(8, 32), 0, true), List.of(),
            "Who may reach the API through its internal load balancer, by address (with `api:allowed-security-groups`"
                    + " at least one entry when the service is deployed).");
    public static final ContextKey<List<String>> API_ALLOWED_SECURITY_GROUPS = withDefault(
            "hosted:inlet:api:allowed-security-groups", ValueType.listOf(SECURITY_GROUP_ID, 0, true), List.of(),
            "Who may reach the API through its internal load balancer, by security group of the VPC.");
    public static final ContextKey<String> API_CERTIFICATE_ARN = optional("hosted:inlet:api:certificate-arn",
            ValueType.string("an ACM certificate ARN such as arn:aws:acm:us-west-2:111122223333:certificate/"
                            + "01234567-89ab-cdef-0123-456789abcdef",
                    "arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]{36}"),
            "HTTPS on port 443 of the load balancer with this certificate of the stack's account and region; "
                    + "without it, HTTP on port 80.");
    public static final ContextKey<Integer> LOG_RETENTION = withDefault("hosted:inlet:log:retention-days",
            ValueType.integerIn(List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                    2192, 2557, 2922, 3288, 3653)), 30,
            "Retention of the service, broker and flow-log log groups, days.");

    // Warehouse
    public static final ContextKey<WarehouseType> WAREHOUSE_TYPE = withDefault("hosted:inlet:warehouse:type",
            ValueType.oneOf(WarehouseType.class), WarehouseType.STARROCKS,
            "`starrocks` (or CelerData), `doris` (Stream Load), `postgresql` (JDBC).");
    public static final ContextKey<String> WAREHOUSE_ENDPOINT = optional("hosted:inlet:warehouse:endpoint",
            ValueType.string("a non-empty value without spaces", "\\S+"),
            "The Inlet ingest service is deployed only with a warehouse. starrocks/doris: FE HTTP endpoints "
                    + "`host:port[,host:port]` (`warehouse.load-url`); postgresql: `jdbc:postgresql://host:port/db` "
                    + "(`warehouse.url`).");
    public static final ContextKey<String> WAREHOUSE_JDBC_URL = optional("hosted:inlet:warehouse:jdbc-url",
            ValueType.string("jdbc:mysql://host:port[/database]",
                    "jdbc:mysql://[A-Za-z0-9.-]+:\\d{1,5}(?:/[A-Za-z0-9_]*)?"),
            "starrocks/doris: MySQL-protocol URL for table metadata (`warehouse.jdbc-url`).");
    public static final ContextKey<String> WAREHOUSE_SECRET_ARN = optional(
            "hosted:inlet:warehouse:credentials-secret-arn",
            ValueType.string("the complete ARN of a Secrets Manager secret (with its 6-character suffix) holding "
                            + "JSON fields \"username\" and \"password\"",
                    "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}"),
            "With `warehouse:endpoint`: warehouse credentials, passed to the container as ECS secrets.");
    public static final ContextKey<String> WAREHOUSE_CIDR = withDefault("hosted:inlet:warehouse:cidr",
            ValueType.cidr(0, 32), "0.0.0.0/0", "Where the warehouse lives, for the service's egress rules.");
    public static final ContextKey<Integer> WAREHOUSE_BE_PORT = withDefault("hosted:inlet:warehouse:be-http-port",
            ValueType.integer(1, 65535), 8040, "starrocks/doris: BE HTTP port that Stream Load redirects to.");
    public static final ContextKey<String> WAREHOUSE_CATALOG_TOPIC = withDefault("hosted:inlet:warehouse:catalog-topic",
            TOPIC_NAME, "_inlet_jobs", "starrocks/doris: compacted topic of the service's job catalog "
                    + "(`catalog.kafka.topic`), which the service creates; with IAM the task role may create, read and "
                    + "write it, with transactional id `{topic}.catalog`.");

    // Alarms and lag
    public static final ContextKey<String> ALARM_EMAIL = optional("hosted:inlet:alarm:email",
            ValueType.string("an e-mail address", "[^@\\s]+@[^@\\s]+\\.[^@\\s]+"),
            "Lag alarms go to a new SNS topic with this address subscribed (or set `alarm:topic-arn`).");
    public static final ContextKey<String> ALARM_TOPIC_ARN = optional("hosted:inlet:alarm:topic-arn",
            ValueType.string("an SNS topic ARN", "arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}"),
            "Lag alarms go to this existing SNS topic (or set `alarm:email`).");
    public static final ContextKey<Long> LAG_MAX_OFFSET = withDefault("hosted:inlet:lag:max-offset-lag",
            ValueType.longInteger(1, 1_000_000_000_000L), 100_000L,
            "Alarm when `MaxOffsetLag` of a group on a topic exceeds this many messages.");
    public static final ContextKey<Integer> LAG_MAX_TIME = withDefault("hosted:inlet:lag:max-time-lag-seconds",
            ValueType.integer(1, 604_800), 300, "Alarm when `EstimatedMaxTimeLag` exceeds this many seconds.");
    public static final ContextKey<Long> LAG_SCALE_OUT = withDefault("hosted:inlet:lag:scale-out-offset-lag",
            ValueType.longInteger(1, 1_000_000_000_000L), 50_000L,
            "Add tasks while the groups' total `SumOffsetLag` is above this.");
    public static final ContextKey<Long> LAG_SCALE_IN = withDefault("hosted:inlet:lag:scale-in-offset-lag",
            ValueType.longInteger(0, 1_000_000_000_000L), 1_000L,
            "Remove tasks while total `SumOffsetLag` is below this (less than scale-out).");

    // Kinesis
    public static final ContextKey<Boolean> KINESIS_ENABLED = withDefault("hosted:inlet:kinesis:enabled",
            ValueType.bool(), false, "Create a Kinesis data stream the service may read (seed 002).");
    public static final ContextKey<Integer> KINESIS_SHARDS = withDefault("hosted:inlet:kinesis:shard-count",
            ValueType.integer(1, 500), 1, "Kinesis only: shards of the stream.");
    public static final ContextKey<Integer> KINESIS_RETENTION = withDefault("hosted:inlet:kinesis:retention-hours",
            ValueType.integer(24, 8760), 24, "Kinesis only: retention of the stream, hours.");
    public static final ContextKey<List<KinesisJobSpec>> KINESIS_JOBS = withDefault("hosted:inlet:kinesis:jobs",
            ValueType.listOf(ValueType.object("a job",
                    fields("name", ValueType.string("db.job", "[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*"),
                            "table", ValueType.string("an identifier (letters, digits, _; not starting with a digit)",
                                    "[A-Za-z_][A-Za-z0-9_]*"),
                            "format", ValueType.oneOf(JobFormat.class)),
                    fields("columns", ValueType.string("a COLUMNS list without quotes or semicolons", "[^\"';]+")),
                    v -> new KinesisJobSpec((String) v.get("name"), (String) v.get("table"),
                            (JobFormat) v.get("format"), Optional.ofNullable((String) v.get("columns")))), 0, false),
            List.of(), "Kinesis only: routine-load jobs of the stream, rendered into `CREATE ROUTINE LOAD ... FROM "
                    + "KINESIS` statements (Doris' property names, from TRIM_HORIZON, the task role's credentials) "
                    + "that the service applies at start.");

    // Druid on EKS (seed 004)
    public static final ContextKey<String> DRUID_OIDC_PROVIDER_ARN = optional("hosted:eks:druid:oidc-provider-arn",
            ValueType.string("an IAM OIDC provider ARN such as arn:aws:iam::111122223333:oidc-provider/"
                            + "oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
                    "arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/[A-Za-z0-9./_-]+"),
            "With `hosted:eks:druid:release`: the EKS cluster's OIDC provider; adds the IAM role "
                    + "`{id}-{release}-druid-msk-sa` for the service account of that name in namespace `api`.");
    public static final ContextKey<List<String>> DRUID_CLIENT_CIDRS = derived("hosted:eks:druid:client-cidrs",
            ValueType.listOf(ValueType.cidr(8, 32), 1, true), "the created VPC's `hosted:inlet:vpc:cidr`",
            "With `hosted:eks:druid:release`: where Druid's pods connect from, allowed on the IAM listener (9098); "
                    + "required with `hosted:inlet:vpc:id`.");
    public static final ContextKey<String> DRUID_TOPIC = withDefault("hosted:eks:druid:topic", TOPIC_NAME, "events",
            "With `hosted:eks:druid:release`: topic and data source of the rendered Druid supervisor spec.");

    // Jobs
    private static final ValueType<String> IDENTIFIER =
            ValueType.string("an identifier (letters, digits, _; not starting with a digit)", "[A-Za-z_][A-Za-z0-9_]*");
    public static final ContextKey<List<JobSpec>> JOBS = withDefault("hosted:inlet:jobs",
            ValueType.listOf(ValueType.object("a job",
                    fields("name", ValueType.string("db.job", "[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*"),
                            "table", IDENTIFIER, "topic", TOPIC_NAME, "group", TOPIC_NAME,
                            "format", ValueType.oneOf(JobFormat.class)),
                    fields("columns", ValueType.string("a COLUMNS list without quotes or semicolons", "[^\"';]+")),
                    v -> new JobSpec((String) v.get("name"), (String) v.get("table"), (String) v.get("topic"),
                            (String) v.get("group"), (JobFormat) v.get("format"),
                            Optional.ofNullable((String) v.get("columns")))), 0, false),
            List.of(), "Routine-load jobs rendered into `CREATE ROUTINE LOAD` statements the service applies at start.");

    public static final List<ContextKey<?>> ALL = List.of(
            ID, ACCOUNT, REGION, DRUID_RELEASE, RELEASE, DOMAIN, ORGANIZATION, NAME, ALIAS,
            VPC_CIDR, VPC_MAX_AZS, VPC_NAT_GATEWAYS, VPC_ID, VPC_AVAILABILITY_ZONES, VPC_PRIVATE_SUBNET_IDS,
            VPC_PUBLIC_SUBNET_IDS,
            MSK_MODE, MSK_AUTH, MSK_KAFKA_VERSION, MSK_BROKER_TYPE, MSK_BROKER_COUNT, MSK_BROKER_VOLUME,
            MSK_PUBLIC_SUBNETS, MSK_PUBLIC_ACCESS, MSK_PUBLIC_CLIENT_CIDRS, MSK_TLS_CA_ARN, MSK_TLS_CLIENT_SECRET_ARN,
            MSK_SCRAM_USERNAME, MSK_TOPICS, MSK_CONSUMER_GROUPS,
            SERVICE_CPU, SERVICE_MEMORY, SERVICE_DESIRED, SERVICE_MIN, SERVICE_MAX, API_LISTEN,
            API_ALLOWED_CIDRS, API_ALLOWED_SECURITY_GROUPS, API_CERTIFICATE_ARN, LOG_RETENTION,
            WAREHOUSE_TYPE, WAREHOUSE_ENDPOINT, WAREHOUSE_JDBC_URL, WAREHOUSE_SECRET_ARN, WAREHOUSE_CIDR,
            WAREHOUSE_BE_PORT, WAREHOUSE_CATALOG_TOPIC,
            ALARM_EMAIL, ALARM_TOPIC_ARN, LAG_MAX_OFFSET, LAG_MAX_TIME, LAG_SCALE_OUT, LAG_SCALE_IN,
            KINESIS_ENABLED, KINESIS_SHARDS, KINESIS_RETENTION, KINESIS_JOBS,
            DRUID_OIDC_PROVIDER_ARN, DRUID_CLIENT_CIDRS, DRUID_TOPIC,
            JOBS);

    private InletContextKeys() {
    }

    private static Map<String, ValueType<?>> fields(Object... nameTypePairs) {
        Map<String, ValueType<?>> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            fields.put((String) nameTypePairs[i], (ValueType<?>) nameTypePairs[i + 1]);
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
