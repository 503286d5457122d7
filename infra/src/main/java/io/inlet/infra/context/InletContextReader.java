package io.inlet.infra.context;

import io.inlet.infra.kafka.AuthMode;
import io.inlet.infra.kafka.ClusterMode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.inlet.infra.context.InletContextKeys.*;

/**
 * Reads the declared keys from a context lookup, checks each value and then the rules that tie keys together, and
 * builds {@link InletContext}; every problem is collected, and all of them are thrown at once.
 */
public final class InletContextReader {
    /** Fargate's valid memory sizes (MiB) per CPU value: min, max, step. */
    private static final Map<Integer, int[]> FARGATE_MEMORY = Map.of(
            256, new int[]{512, 2048, 512},
            512, new int[]{1024, 4096, 1024},
            1024, new int[]{2048, 8192, 1024},
            2048, new int[]{4096, 16384, 1024},
            4096, new int[]{8192, 30720, 1024},
            8192, new int[]{16384, 61440, 4096},
            16384, new int[]{32768, 122880, 8192});

    private final Function<String, Object> lookup;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Object> parsed = new HashMap<>();

    private InletContextReader(Function<String, Object> lookup) {
        this.lookup = lookup;
    }

    /**
     * @param lookup    the context value of a key, or null
     * @param knownKeys every context key that is set, to report unknown {@code hosted:inlet:*} keys (typos)
     */
    public static InletContext read(Function<String, Object> lookup, Set<String> knownKeys) {
        return new InletContextReader(lookup).read(knownKeys);
    }

    private InletContext read(Set<String> setKeys) {
        Set<String> declared = ALL.stream().map(ContextKey::name).collect(Collectors.toSet());
        setKeys.stream().filter(k -> k.startsWith(APP_PREFIX) && !declared.contains(k)).sorted()
                .forEach(k -> problems.add(ContextException.unknown(k, lookup.apply(k), nearest(k, declared))));
        ALL.forEach(this::value);

        DeploymentSettings deployment = deployment();
        NetworkSettings network = network();
        KafkaSettings kafka = kafka(network);
        Optional<WarehouseSettings> warehouse = warehouse();
        ServiceSettings service = service(warehouse.isPresent(), deployment);
        Optional<AlarmSettings> alarms = warehouse.isPresent() ? Optional.of(alarms()) : Optional.empty();
        LagThresholds lag = lag();
        Optional<KinesisSettings> kinesis = kinesis();
        List<JobSpec> jobs = jobs(kafka);
        Optional<DruidSettings> druid = druid(deployment, network, kafka);
        if (!problems.isEmpty()) {
            throw new ContextException(problems);
        }
        return new InletContext(deployment, network, kafka, service, warehouse, alarms, lag, kinesis, jobs, druid);
    }

    private DeploymentSettings deployment() {
        String druidRelease = value(DRUID_RELEASE);
        String release = value(RELEASE);
        if (raw(RELEASE) == null && raw(DRUID_RELEASE) == null) {
            problems.add("Context key " + RELEASE.name() + " is missing: found nothing (and no " + DRUID_RELEASE.name()
                    + " to default to); allowed: " + RELEASE.type().allowed());
        } else if (raw(RELEASE) == null) {
            release = druidRelease;
        }
        String id = value(ID);
        String organization = raw(ORGANIZATION) == null ? id : value(ORGANIZATION);
        String name = raw(NAME) == null ? release : value(NAME);
        return new DeploymentSettings(id, Optional.ofNullable(value(ACCOUNT)), value(REGION), release, value(DOMAIN),
                organization, name, value(ALIAS), Optional.ofNullable(druidRelease));
    }

    private NetworkSettings network() {
        Optional<NetworkSettings.ImportedVpc> imported = Optional.empty();
        if (value(VPC_ID) != null) {
            List<String> azs = requiredWith(VPC_AVAILABILITY_ZONES, VPC_ID);
            List<String> privateSubnets = requiredWith(VPC_PRIVATE_SUBNET_IDS, VPC_ID);
            List<String> publicSubnets = value(VPC_PUBLIC_SUBNET_IDS);
            if (azs != null && privateSubnets != null && privateSubnets.size() != azs.size()) {
                inconsistent(VPC_PRIVATE_SUBNET_IDS, raw(VPC_PRIVATE_SUBNET_IDS),
                        "with " + azs.size() + " entries in " + VPC_AVAILABILITY_ZONES.name(),
                        "one subnet per availability zone, in the same order (" + azs.size() + " subnets)");
            }
            if (azs != null && publicSubnets != null && publicSubnets.size() != azs.size()) {
                inconsistent(VPC_PUBLIC_SUBNET_IDS, raw(VPC_PUBLIC_SUBNET_IDS),
                        "with " + azs.size() + " entries in " + VPC_AVAILABILITY_ZONES.name(),
                        "one subnet per availability zone, in the same order (" + azs.size() + " subnets)");
            }
            imported = Optional.of(new NetworkSettings.ImportedVpc(value(VPC_ID), orEmpty(azs),
                    orEmpty(privateSubnets), orEmpty(publicSubnets)));
        } else {
            for (ContextKey<?> key : List.of(VPC_AVAILABILITY_ZONES, VPC_PRIVATE_SUBNET_IDS, VPC_PUBLIC_SUBNET_IDS)) {
                onlyWith(key, "without " + VPC_ID.name(), raw(VPC_ID) != null,
                        "nothing unless " + VPC_ID.name() + " is set");
            }
            Integer maxAzs = value(VPC_MAX_AZS);
            Integer nat = value(VPC_NAT_GATEWAYS);
            if (maxAzs != null && nat != null && nat > maxAzs) {
                inconsistent(VPC_NAT_GATEWAYS, nat, "with " + VPC_MAX_AZS.name() + " " + maxAzs,
                        "an integer from 1 to " + maxAzs + " (one NAT gateway per AZ at most)");
            }
        }
        return new NetworkSettings(value(VPC_CIDR), orZero(value(VPC_MAX_AZS)), orZero(value(VPC_NAT_GATEWAYS)),
                imported);
    }

    private KafkaSettings kafka(NetworkSettings network) {
        ClusterMode mode = value(MSK_MODE);
        AuthMode auth = value(MSK_AUTH);
        if (auth == null && raw(MSK_AUTH) == null) {
            auth = mode != ClusterMode.PROVISIONED ? AuthMode.IAM
                    : raw(MSK_TLS_CA_ARN) != null ? AuthMode.TLS : AuthMode.SCRAM;
        }
        boolean publicSubnets = Boolean.TRUE.equals(value(MSK_PUBLIC_SUBNETS));
        boolean publicAccess = Boolean.TRUE.equals(value(MSK_PUBLIC_ACCESS));
        if (mode == ClusterMode.SERVERLESS) {
            if (auth == AuthMode.SCRAM || auth == AuthMode.TLS) {
                inconsistent(MSK_AUTH, raw(MSK_AUTH), "with " + MSK_MODE.name() + " \"serverless\"",
                        "\"iam\" (MSK Serverless supports only IAM client authentication)");
            }
            for (ContextKey<?> key : List.of(MSK_KAFKA_VERSION, MSK_BROKER_TYPE, MSK_BROKER_COUNT, MSK_BROKER_VOLUME,
                    MSK_PUBLIC_SUBNETS, MSK_PUBLIC_ACCESS, MSK_TLS_CA_ARN)) {
                onlyWith(key, "with " + MSK_MODE.name() + " \"serverless\"", false,
                        "nothing unless " + MSK_MODE.name() + " is \"provisioned\"");
            }
        }
        if (mode == ClusterMode.PROVISIONED) {
            Integer brokers = value(MSK_BROKER_COUNT);
            int azs = network.availabilityZoneCount();
            if (brokers != null && azs > 0 && brokers % azs != 0) {
                inconsistent(MSK_BROKER_COUNT, brokers, "with " + azs + " availability zones",
                        "a multiple of the availability-zone count (" + azs + ")");
            }
            if (publicAccess && !publicSubnets) {
                inconsistent(MSK_PUBLIC_ACCESS, raw(MSK_PUBLIC_ACCESS), "with " + MSK_PUBLIC_SUBNETS.name() + " false",
                        "true only with " + MSK_PUBLIC_SUBNETS.name() + " true, on a cluster created that way");
            }
            if (publicAccess) {
                requiredWith(MSK_PUBLIC_CLIENT_CIDRS, MSK_PUBLIC_ACCESS);
            }
            if (auth == AuthMode.TLS) {
                requiredWith(MSK_TLS_CA_ARN, MSK_AUTH);
            }
            if (publicSubnets && network.imported().isPresent() && raw(VPC_PUBLIC_SUBNET_IDS) == null) {
                problems.add(ContextException.missing(VPC_PUBLIC_SUBNET_IDS).replace("found nothing",
                        "found nothing with " + MSK_PUBLIC_SUBNETS.name() + " true and " + VPC_ID.name() + " set"));
            }
        }
        if (!publicAccess) {
            onlyWith(MSK_PUBLIC_CLIENT_CIDRS, "with " + MSK_PUBLIC_ACCESS.name() + " false", false,
                    "nothing unless " + MSK_PUBLIC_ACCESS.name() + " is true");
        }
        if (auth == AuthMode.TLS) {
            requiredWith(MSK_TLS_CLIENT_SECRET_ARN, MSK_AUTH);
        } else {
            onlyWith(MSK_TLS_CLIENT_SECRET_ARN, "with " + MSK_AUTH.name() + " \""
                            + ValueType.spelling(auth == null ? AuthMode.IAM : auth) + "\"", false,
                    "nothing unless " + MSK_AUTH.name() + " is \"tls\"");
        }
        if (auth != AuthMode.SCRAM) {
            onlyWith(MSK_SCRAM_USERNAME, "with " + MSK_AUTH.name() + " \"" + ValueType.spelling(auth == null ? AuthMode.IAM : auth) + "\"",
                    false, "nothing unless " + MSK_AUTH.name() + " is \"scram\"");
        }
        List<String> topics = value(MSK_TOPICS);
        List<KafkaSettings.ConsumerGroup> groups = value(MSK_CONSUMER_GROUPS);
        if (groups != null) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                KafkaSettings.ConsumerGroup group = groups.get(i);
                if (names.contains(group.name())) {
                    inconsistent(MSK_CONSUMER_GROUPS, raw(MSK_CONSUMER_GROUPS),
                            "(group \"" + group.name() + "\" appears twice)", "distinct group names");
                }
                names.add(group.name());
                if (topics != null) {
                    for (String topic : group.topics()) {
                        if (!topics.contains(topic)) {
                            inconsistent(MSK_CONSUMER_GROUPS, raw(MSK_CONSUMER_GROUPS),
                                    "(group \"" + group.name() + "\" reads topic \"" + topic + "\", not in "
                                            + MSK_TOPICS.name() + ")",
                                    "topics listed in " + MSK_TOPICS.name() + ": " + String.join(", ", topics));
                        }
                    }
                }
            }
        }
        return new KafkaSettings(mode, auth, value(MSK_KAFKA_VERSION), value(MSK_BROKER_TYPE),
                orZero(value(MSK_BROKER_COUNT)), orZero(value(MSK_BROKER_VOLUME)), publicSubnets, publicAccess,
                orEmpty(value(MSK_PUBLIC_CLIENT_CIDRS)), Optional.ofNullable(value(MSK_TLS_CA_ARN)),
                Optional.ofNullable(value(MSK_TLS_CLIENT_SECRET_ARN)), value(MSK_SCRAM_USERNAME), orEmpty(topics),
                orEmpty(groups));
    }

    private ServiceSettings service(boolean deployed, DeploymentSettings deployment) {
        List<String> cidrs = value(API_ALLOWED_CIDRS);
        List<String> groups = value(API_ALLOWED_SECURITY_GROUPS);
        if (deployed && cidrs != null && groups != null && cidrs.isEmpty() && groups.isEmpty()) {
            problems.add("Context key " + API_ALLOWED_CIDRS.name() + " is missing: found nothing (and no "
                    + API_ALLOWED_SECURITY_GROUPS.name() + ") with " + WAREHOUSE_ENDPOINT.name() + " set; allowed: "
                    + "at least one CIDR or security group that may reach the API's load balancer");
        }
        String listen = value(API_LISTEN);
        if (deployed && listen != null && !listen.startsWith("0.0.0.0:")) {
            inconsistent(API_LISTEN, listen, "with the API behind a load balancer",
                    "0.0.0.0:{port} (the load balancer and its health check reach the task's address)");
        }
        String certificate = value(API_CERTIFICATE_ARN);
        if (certificate != null) {
            String[] arn = certificate.split(":");
            if (deployment.region() != null && !arn[3].equals(deployment.region())) {
                inconsistent(API_CERTIFICATE_ARN, certificate, "with " + REGION.name() + " \"" + deployment.region()
                        + "\"", "a certificate of the stack's region (a load balancer uses certificates of its own "
                        + "account and region)");
            }
            needsAccount(API_CERTIFICATE_ARN, arn[4], deployment,
                    "a certificate of the stack's account (a load balancer uses certificates of its own account)");
        }
        Integer cpu = value(SERVICE_CPU);
        Integer memory = value(SERVICE_MEMORY);
        if (cpu != null && memory != null) {
            int[] range = FARGATE_MEMORY.get(cpu);
            if (memory < range[0] || memory > range[1] || (memory - range[0]) % range[2] != 0) {
                inconsistent(SERVICE_MEMORY, memory, "with " + SERVICE_CPU.name() + " " + cpu,
                        "from " + range[0] + " to " + range[1] + " in steps of " + range[2]
                                + " (Fargate memory for " + cpu + " CPU units)");
            }
        }
        Integer desired = value(SERVICE_DESIRED);
        Integer min = value(SERVICE_MIN);
        Integer max = value(SERVICE_MAX);
        if (min != null && max != null && min > max) {
            inconsistent(SERVICE_MIN, min, "with " + SERVICE_MAX.name() + " " + max,
                    "at most " + SERVICE_MAX.name() + " (" + max + ")");
        } else if (desired != null && min != null && max != null && (desired < min || desired > max)) {
            inconsistent(SERVICE_DESIRED, desired,
                    "with " + SERVICE_MIN.name() + " " + min + " and " + SERVICE_MAX.name() + " " + max,
                    "an integer from " + min + " to " + max);
        }
        return new ServiceSettings(orZero(cpu), orZero(memory), orZero(desired), orZero(min), orZero(max),
                listen, orEmpty(cidrs), orEmpty(groups), Optional.ofNullable(certificate),
                orZero(value(LOG_RETENTION)));
    }

    /**
     * A key whose ARN must belong to the stack's own account: an environment-agnostic stack cannot be checked, so the
     * account must be given; a different account is refused.
     */
    private void needsAccount(ContextKey<String> key, String arnAccount, DeploymentSettings deployment,
                              String allowed) {
        if (deployment.account().isEmpty()) {
            problems.add("Context key " + ACCOUNT.name() + " is missing: found nothing (and no CDK_DEFAULT_ACCOUNT) "
                    + "with " + key.name() + " set; allowed: " + ACCOUNT.type().allowed() + ", the account of "
                    + key.name() + " (" + arnAccount + ")");
        } else if (!deployment.account().get().equals(arnAccount)) {
            inconsistent(key, raw(key), "with " + ACCOUNT.name() + " \"" + deployment.account().get() + "\"",
                    allowed);
        }
    }

    private Optional<WarehouseSettings> warehouse() {
        WarehouseType type = value(WAREHOUSE_TYPE);
        String endpoint = value(WAREHOUSE_ENDPOINT);
        if (raw(WAREHOUSE_ENDPOINT) == null) {
            for (ContextKey<?> key : List.of(WAREHOUSE_SECRET_ARN, WAREHOUSE_JDBC_URL, MSK_TOPICS, MSK_CONSUMER_GROUPS,
                    JOBS, ALARM_EMAIL, ALARM_TOPIC_ARN, KINESIS_ENABLED)) {
                if (key != KINESIS_ENABLED || Boolean.TRUE.equals(value(KINESIS_ENABLED))) {
                    onlyWith(key, "without " + WAREHOUSE_ENDPOINT.name(), false, "nothing unless "
                            + WAREHOUSE_ENDPOINT.name() + " is set (the ingest service exists only with a warehouse)");
                }
            }
            return Optional.empty();
        }
        requiredWith(WAREHOUSE_SECRET_ARN, WAREHOUSE_ENDPOINT);
        requiredWith(MSK_TOPICS, WAREHOUSE_ENDPOINT);
        requiredWith(MSK_CONSUMER_GROUPS, WAREHOUSE_ENDPOINT);
        if (type != null && endpoint != null) {
            if (type.streamLoad() && !endpoint.matches("[A-Za-z0-9.-]+:\\d{1,5}(?:,[A-Za-z0-9.-]+:\\d{1,5})*")) {
                inconsistent(WAREHOUSE_ENDPOINT, endpoint, "with " + WAREHOUSE_TYPE.name() + " \""
                                + ValueType.spelling(type) + "\"",
                        "FE HTTP endpoints host:port, comma-separated, such as fe1.example.com:8030");
            }
            if (!type.streamLoad() && !endpoint.matches("jdbc:postgresql://[A-Za-z0-9.-]+(?::\\d{1,5})?/[A-Za-z0-9_$-]+(?:\\?\\S*)?")) {
                inconsistent(WAREHOUSE_ENDPOINT, endpoint, "with " + WAREHOUSE_TYPE.name() + " \"postgresql\"",
                        "jdbc:postgresql://host[:port]/database");
            }
        }
        if (type != null && type.streamLoad()) {
            requiredWith(WAREHOUSE_JDBC_URL, WAREHOUSE_TYPE);
        } else if (type != null) {
            onlyWith(WAREHOUSE_JDBC_URL, "with " + WAREHOUSE_TYPE.name() + " \"postgresql\"", false,
                    "nothing with postgresql (" + WAREHOUSE_ENDPOINT.name() + " is the JDBC URL)");
            onlyWith(WAREHOUSE_BE_PORT, "with " + WAREHOUSE_TYPE.name() + " \"postgresql\"", false,
                    "nothing with postgresql (no Stream Load)");
            onlyWith(WAREHOUSE_CATALOG_TOPIC, "with " + WAREHOUSE_TYPE.name() + " \"postgresql\"", false,
                    "nothing with postgresql (its job catalog is a table of the warehouse)");
        }
        Optional<String> catalogTopic = type != null && type.streamLoad()
                ? Optional.ofNullable(value(WAREHOUSE_CATALOG_TOPIC)) : Optional.empty();
        return Optional.of(new WarehouseSettings(type, endpoint, Optional.ofNullable(value(WAREHOUSE_JDBC_URL)),
                value(WAREHOUSE_SECRET_ARN), value(WAREHOUSE_CIDR), orZero(value(WAREHOUSE_BE_PORT)), catalogTopic));
    }

    private AlarmSettings alarms() {
        String email = value(ALARM_EMAIL);
        String topic = value(ALARM_TOPIC_ARN);
        if (raw(ALARM_EMAIL) == null && raw(ALARM_TOPIC_ARN) == null) {
            problems.add("Context key " + ALARM_EMAIL.name() + " is missing: found nothing (and no "
                    + ALARM_TOPIC_ARN.name() + "); allowed: exactly one of " + ALARM_EMAIL.name() + " ("
                    + ALARM_EMAIL.type().allowed() + ") or " + ALARM_TOPIC_ARN.name() + " ("
                    + ALARM_TOPIC_ARN.type().allowed() + ")");
        } else if (raw(ALARM_EMAIL) != null && raw(ALARM_TOPIC_ARN) != null) {
            inconsistent(ALARM_TOPIC_ARN, raw(ALARM_TOPIC_ARN), "with " + ALARM_EMAIL.name() + " also set",
                    "exactly one of " + ALARM_EMAIL.name() + " or " + ALARM_TOPIC_ARN.name());
        }
        return new AlarmSettings(Optional.ofNullable(email), Optional.ofNullable(topic));
    }

    private LagThresholds lag() {
        Long out = value(LAG_SCALE_OUT);
        Long in = value(LAG_SCALE_IN);
        if (out != null && in != null && in >= out) {
            inconsistent(LAG_SCALE_IN, in, "with " + LAG_SCALE_OUT.name() + " " + out,
                    "less than " + LAG_SCALE_OUT.name() + " (" + out + ")");
        }
        Long maxOffset = value(LAG_MAX_OFFSET);
        Integer maxTime = value(LAG_MAX_TIME);
        return new LagThresholds(maxOffset == null ? 0 : maxOffset, orZero(maxTime), out == null ? 0 : out,
                in == null ? 0 : in);
    }

    private Optional<DruidSettings> druid(DeploymentSettings deployment, NetworkSettings network, KafkaSettings kafka) {
        if (deployment.druidRelease().isEmpty()) {
            for (ContextKey<?> key : List.of(DRUID_OIDC_PROVIDER_ARN, DRUID_CLIENT_CIDRS, DRUID_TOPIC)) {
                onlyWith(key, "without " + DRUID_RELEASE.name(), false,
                        "nothing unless " + DRUID_RELEASE.name() + " is set");
            }
            return Optional.empty();
        }
        if (kafka.auth() != null && kafka.auth() != AuthMode.IAM) {
            inconsistent(MSK_AUTH, ValueType.spelling(kafka.auth()), "with " + DRUID_RELEASE.name() + " set",
                    "\"iam\" (seed 004's Druid clients authenticate with IAM)");
        }
        List<String> clientCidrs = value(DRUID_CLIENT_CIDRS);
        if (raw(DRUID_CLIENT_CIDRS) == null) {
            if (network.imported().isPresent()) {
                requiredWith(DRUID_CLIENT_CIDRS, VPC_ID);
            } else if (network.cidr() != null) {
                clientCidrs = List.of(network.cidr());
            }
        }
        String oidc = value(DRUID_OIDC_PROVIDER_ARN);
        if (oidc != null) {
            needsAccount(DRUID_OIDC_PROVIDER_ARN, oidc.split(":")[4], deployment,
                    "an OIDC provider of the stack's account (IAM roles trust providers of their own account)");
        }
        return Optional.of(new DruidSettings(deployment.druidRelease().get(), Optional.ofNullable(oidc),
                orEmpty(clientCidrs), value(DRUID_TOPIC)));
    }

    private Optional<KinesisSettings> kinesis() {
        if (!Boolean.TRUE.equals(value(KINESIS_ENABLED))) {
            for (ContextKey<?> key : List.of(KINESIS_SHARDS, KINESIS_RETENTION, KINESIS_JOBS)) {
                onlyWith(key, "with " + KINESIS_ENABLED.name() + " false", false,
                        "nothing unless " + KINESIS_ENABLED.name() + " is true");
            }
            return Optional.empty();
        }
        List<KinesisJobSpec> jobs = value(KINESIS_JOBS);
        List<JobSpec> kafkaJobs = value(JOBS);
        List<String> names = new ArrayList<>(kafkaJobs == null ? List.of()
                : kafkaJobs.stream().map(JobSpec::name).toList());
        for (KinesisJobSpec job : jobs == null ? List.<KinesisJobSpec>of() : jobs) {
            if (names.contains(job.name())) {
                inconsistent(KINESIS_JOBS, raw(KINESIS_JOBS), "(job " + job.name() + " appears twice, here or in "
                        + JOBS.name() + ")", "job names distinct from each other and from " + JOBS.name() + "'s");
            }
            names.add(job.name());
        }
        return Optional.of(new KinesisSettings(orZero(value(KINESIS_SHARDS)), orZero(value(KINESIS_RETENTION)),
                jobs == null ? List.of() : jobs));
    }

    private List<JobSpec> jobs(KafkaSettings kafka) {
        List<JobSpec> jobs = value(JOBS);
        if (jobs == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (JobSpec job : jobs) {
            if (names.contains(job.name())) {
                inconsistent(JOBS, raw(JOBS), "(job " + job.name() + " appears twice)", "distinct job names");
            }
            names.add(job.name());
            Optional<KafkaSettings.ConsumerGroup> group = kafka.consumerGroups().stream()
                    .filter(g -> g.name().equals(job.group())).findFirst();
            if (group.isEmpty() && value(MSK_CONSUMER_GROUPS) != null) {
                inconsistent(JOBS, raw(JOBS), "(job " + job.name() + " uses group \"" + job.group() + "\", not in "
                                + MSK_CONSUMER_GROUPS.name() + ")",
                        "groups declared in " + MSK_CONSUMER_GROUPS.name() + ": " + kafka.consumerGroups().stream()
                                .map(KafkaSettings.ConsumerGroup::name).collect(Collectors.joining(", ")));
            } else if (group.isPresent() && !group.get().topics().contains(job.topic())) {
                inconsistent(JOBS, raw(JOBS), "(job " + job.name() + " reads topic \"" + job.topic()
                                + "\", not a topic of group \"" + job.group() + "\")",
                        "topics of group \"" + job.group() + "\": " + String.join(", ", group.get().topics()));
            }
        }
        return jobs;
    }

    // --- value access -------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private <T> T value(ContextKey<T> key) {
        if (parsed.containsKey(key.name())) {
            return (T) parsed.get(key.name());
        }
        Object raw = raw(key);
        T result;
        if (raw == null) {
            if (key.required()) {
                problems.add(ContextException.missing(key));
            }
            result = key.defaultValue();
        } else {
            try {
                result = key.type().parse(raw);
            } catch (ValueType.Invalid e) {
                problems.add(ContextException.malformed(key, raw, e.getMessage()));
                result = null;
            }
        }
        parsed.put(key.name(), result);
        return result;
    }

    private Object raw(ContextKey<?> key) {
        return lookup.apply(key.name());
    }

    private <T> T requiredWith(ContextKey<T> key, ContextKey<?> because) {
        if (raw(key) == null) {
            problems.add(ContextException.missing(key).replace("found nothing",
                    "found nothing with " + because.name() + " " + Rendering.found(raw(because))));
        }
        return value(key);
    }

    private void onlyWith(ContextKey<?> key, String context, boolean ignored, String allowed) {
        if (raw(key) != null && !ignored) {
            inconsistent(key, raw(key), context, allowed);
        }
    }

    private void inconsistent(ContextKey<?> key, Object found, String context, String allowed) {
        problems.add(ContextException.inconsistent(key, found, context, allowed));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static <T> List<T> orEmpty(List<T> value) {
        return value == null ? List.of() : value;
    }

    /** The declared key closest to a typo, by edit distance, when it is close enough to be a likely intent. */
    private static String nearest(String key, Set<String> declared) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : declared) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= 3 ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
