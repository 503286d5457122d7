package io.inlet.infra;

import io.inlet.infra.context.ContextException;
import io.inlet.infra.context.ContextKey;
import io.inlet.infra.context.InletContext;
import io.inlet.infra.context.InletContextKeys;
import io.inlet.infra.context.InletContextReader;
import io.inlet.infra.context.JobFormat;
import io.inlet.infra.context.JobSpec;
import io.inlet.infra.context.KafkaSettings;
import io.inlet.infra.context.WarehouseType;
import io.inlet.infra.kafka.AuthMode;
import io.inlet.infra.kafka.ClusterMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.inlet.infra.Deployments.serverless;
import static io.inlet.infra.Deployments.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The typed context model: values, defaults, and the precise message for each missing or malformed key. */
class ContextModelTest {
    private static final String TOPIC_NAMES =
            "a non-empty list of distinct elements, each a Kafka name of 1-249 characters from a-z A-Z 0-9 . _ -";

    static InletContext read(Map<String, Object> context) {
        return InletContextReader.read(context::get, context.keySet());
    }

    static List<String> problems(Map<String, Object> context) {
        try {
            read(context);
        } catch (ContextException e) {
            return e.problems();
        }
        throw new AssertionError("context was accepted");
    }

    @Test
    void aCompleteContextBuildsTheTypedModel() {
        InletContext context = read(serverless());

        assertThat(context.deployment().id()).isEqualTo("fff");
        assertThat(context.deployment().release()).isEqualTo("streaming");
        assertThat(context.deployment().partOf()).isEqualTo("data.analytics.inlet");
        assertThat(context.network().cidr()).isEqualTo("10.40.0.0/16");
        assertThat(context.network().imported()).isEmpty();
        assertThat(context.kafka().mode()).isEqualTo(ClusterMode.SERVERLESS);
        assertThat(context.kafka().auth()).isEqualTo(AuthMode.IAM);
        assertThat(context.kafka().clientPort()).isEqualTo(9098);
        assertThat(context.kafka().consumerGroups()).containsExactly(
                new KafkaSettings.ConsumerGroup("inlet-users", List.of("users")),
                new KafkaSettings.ConsumerGroup("inlet-orders", List.of("orders")));
        assertThat(context.service().cpu()).isEqualTo(1024);
        assertThat(context.service().desiredCount()).isEqualTo(2);
        assertThat(context.service().apiPort()).isEqualTo(8030);
        assertThat(context.warehouse().orElseThrow().type()).isEqualTo(WarehouseType.STARROCKS);
        assertThat(context.warehouse().orElseThrow().ports()).containsExactly(8030, 8040, 9030);
        assertThat(context.warehouse().orElseThrow().catalogTopic()).contains("_inlet_jobs");
        assertThat(context.alarms().orElseThrow().email()).contains("data-platform@example.com");
        assertThat(context.lag().scaleOutOffsetLag()).isEqualTo(50_000L);
        assertThat(context.kinesis()).isEmpty();
        assertThat(context.jobs()).containsExactly(new JobSpec("mydatabase.tutorials_users", "myusers2", "users",
                "inlet-users", JobFormat.JSON,
                Optional.of("userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000)")));
    }

    @Test
    void defaultsApplyToEveryOptionalKey() {
        Map<String, Object> required = new LinkedHashMap<>();
        for (ContextKey<?> key : InletContextKeys.ALL) {
            if (key.required()) {
                required.put(key.name(), serverless().get(key.name()));
            }
        }
        for (String key : List.of("hosted:inlet:release", "hosted:inlet:warehouse:endpoint",
                "hosted:inlet:warehouse:credentials-secret-arn", "hosted:inlet:msk:topics",
                "hosted:inlet:msk:consumer-groups", "hosted:inlet:api:allowed-cidrs")) {
            required.put(key, serverless().get(key));
        }
        required.put("hosted:inlet:warehouse:jdbc-url", "jdbc:mysql://fe-0.starrocks.internal:9030");
        required.put("hosted:inlet:alarm:email", "data-platform@example.com");

        InletContext context = read(required);

        assertThat(context.deployment().account()).isEmpty();
        assertThat(context.deployment().domain()).isEqualTo("inlet");
        assertThat(context.deployment().partOf()).isEqualTo("fff.streaming.inlet");
        assertThat(context.service().apiAllowedSecurityGroups()).isEmpty();
        assertThat(context.service().apiCertificateArn()).isEmpty();
        assertThat(context.druid()).isEmpty();
        assertThat(context.network().cidr()).isEqualTo("10.40.0.0/16");
        assertThat(context.network().maxAzs()).isEqualTo(2);
        assertThat(context.kafka().mode()).isEqualTo(ClusterMode.SERVERLESS);
        assertThat(context.kafka().auth()).isEqualTo(AuthMode.IAM);
        assertThat(context.service().cpu()).isEqualTo(1024);
        assertThat(context.service().memoryMib()).isEqualTo(2048);
        assertThat(context.service().maxCount()).isEqualTo(4);
        assertThat(context.service().logRetentionDays()).isEqualTo(30);
        assertThat(context.warehouse().orElseThrow().cidr()).isEqualTo("0.0.0.0/0");
        assertThat(context.warehouse().orElseThrow().catalogTopic()).contains("_inlet_jobs");
        assertThat(read(Deployments.provisioned()).warehouse().orElseThrow().catalogTopic()).isEmpty();
        assertThat(context.lag().maxOffsetLag()).isEqualTo(100_000L);
        assertThat(context.lag().maxTimeLagSeconds()).isEqualTo(300);
        assertThat(context.jobs()).isEmpty();
    }

    @Test
    void provisionedClustersDefaultToScramOnTheirPort() {
        Map<String, Object> context = with(Deployments.provisioned(), "hosted:inlet:msk:auth", null);

        assertThat(read(context).kafka().auth()).isEqualTo(AuthMode.SCRAM);
        assertThat(read(context).kafka().clientPort()).isEqualTo(9096);
        assertThat(read(Deployments.publicAccess()).kafka().clientPort()).isEqualTo(9096);
        assertThat(read(Deployments.publicAccess()).kafka().publicPort()).isEqualTo(9196);
        assertThat(read(Deployments.importedPublicIam()).kafka().clientPort()).isEqualTo(9098);
        assertThat(read(Deployments.importedPublicIam()).kafka().publicPort()).isEqualTo(9198);
        assertThat(read(Deployments.provisionedTls()).kafka().clientPort()).isEqualTo(9094);
        assertThat(read(with(Deployments.provisionedTls(), "hosted:inlet:msk:auth", null)).kafka().auth())
                .isEqualTo(AuthMode.TLS);
        assertThat(AuthMode.TLS.port(false)).isEqualTo(9094);
    }

    @Test
    void theTestDeploymentsSeedEveryDeclaredKey() {
        Set<String> seeded = new HashSet<>();
        for (Map<String, Object> context : List.of(serverless(), Deployments.provisioned(),
                Deployments.importedVpc(), Deployments.importedPublicIam(), Deployments.provisionedTls(),
                Deployments.druidBesideTheService())) {
            read(context);
            seeded.addAll(context.keySet());
        }
        assertThat(seeded).containsAll(InletContextKeys.ALL.stream().map(ContextKey::name).toList());
    }

    /** Each key a deployment with a warehouse cannot do without, and how its absence reads. */
    static Stream<Arguments> keysThatNeedAnother() {
        return Stream.of(
                arguments("public access without its clients", with(Deployments.publicAccess(),
                        "hosted:inlet:msk:public-client-cidrs", null), "Context key "
                        + "hosted:inlet:msk:public-client-cidrs is missing: found nothing with "
                        + "hosted:inlet:msk:public-access true; allowed: a non-empty list of distinct elements, each "
                        + "an IPv4 CIDR block with a prefix length from /8 to /32"),
                arguments("TLS without the client certificate", with(Deployments.provisionedTls(),
                        "hosted:inlet:msk:tls-client-secret-arn", null), "Context key "
                        + "hosted:inlet:msk:tls-client-secret-arn is missing: found nothing with hosted:inlet:msk:auth "
                        + "\"tls\"; allowed: the complete ARN of a Secrets Manager secret (with its 6-character suffix) "
                        + "holding JSON fields \"certificate\" and \"private-key\" (PEM)"),
                arguments("a client certificate without TLS", with(Deployments.provisioned(),
                        "hosted:inlet:msk:tls-client-secret-arn", Deployments.TLS_CLIENT_SECRET), "Context key "
                        + "hosted:inlet:msk:tls-client-secret-arn is inconsistent: found \"" + Deployments.TLS_CLIENT_SECRET
                        + "\" with hosted:inlet:msk:auth \"scram\"; allowed: nothing unless hosted:inlet:msk:auth is "
                        + "\"tls\""),
                arguments("Druid on a SCRAM cluster", with(Deployments.provisioned(), "hosted:eks:druid:release",
                        "streaming"), "Context key hosted:inlet:msk:auth is inconsistent: found \"scram\" with "
                        + "hosted:eks:druid:release set; allowed: \"iam\" (seed 004's Druid clients authenticate with "
                        + "IAM)"),
                arguments("Druid in an imported VPC without its pods' CIDRs", with(Deployments.importedVpc(),
                        "hosted:eks:druid:release", "streaming"), "Context key hosted:eks:druid:client-cidrs is "
                        + "missing: found nothing with hosted:inlet:vpc:id \"vpc-0123456789abcdef0\"; allowed: a "
                        + "non-empty list of distinct elements, each an IPv4 CIDR block with a prefix length from /8 to "
                        + "/32"),
                arguments("the service without API clients", with(with(serverless(), "hosted:inlet:api:allowed-cidrs",
                        null), "hosted:inlet:api:allowed-security-groups", null), "Context key "
                        + "hosted:inlet:api:allowed-cidrs is missing: found nothing (and no "
                        + "hosted:inlet:api:allowed-security-groups) with hosted:inlet:warehouse:endpoint set; allowed: "
                        + "at least one CIDR or security group that may reach the API's load balancer"),
                arguments("a warehouse key without a warehouse", with(Deployments.seed004(),
                        "hosted:inlet:msk:topics", List.of("events")), "Context key hosted:inlet:msk:topics is "
                        + "inconsistent: found [\"events\"] without hosted:inlet:warehouse:endpoint; allowed: nothing "
                        + "unless hosted:inlet:warehouse:endpoint is set (the ingest service exists only with a "
                        + "warehouse)"),
                arguments("a Druid key without seed 004's release", with(serverless(), "hosted:eks:druid:topic",
                        "events"), "Context key hosted:eks:druid:topic is inconsistent: found \"events\" without "
                        + "hosted:eks:druid:release; allowed: nothing unless hosted:eks:druid:release is set"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keysThatNeedAnother")
    void aKeyThatNeedsAnotherNamesBoth(String why, Map<String, Object> context, String expected) {
        assertThat(problems(context)).containsExactly(expected);
    }

    @Test
    void aKeyThatNeedsTheAccountSaysSoWhenNoneIsGiven() {
        Map<String, Object> context = with(with(serverless(), "hosted:account", null),
                "hosted:inlet:api:certificate-arn", Deployments.CERTIFICATE);

        assertThat(problems(context)).containsExactly("Context key hosted:account is missing: found nothing (and no "
                + "CDK_DEFAULT_ACCOUNT) with hosted:inlet:api:certificate-arn set; allowed: a 12-digit AWS account id, "
                + "the account of hosted:inlet:api:certificate-arn (000000000000)");
        assertThat(problems(with(with(Deployments.seed004(), "hosted:account", null),
                "hosted:eks:druid:oidc-provider-arn", Deployments.OIDC_PROVIDER))).containsExactly("Context key "
                + "hosted:account is missing: found nothing (and no CDK_DEFAULT_ACCOUNT) with "
                + "hosted:eks:druid:oidc-provider-arn set; allowed: a 12-digit AWS account id, the account of "
                + "hosted:eks:druid:oidc-provider-arn (000000000000)");
    }

    @Test
    void aCertificateOfAnotherAccountOrRegionIsRefused() {
        String elsewhere = "arn:aws:acm:us-east-1:111122223333:certificate/01234567-89ab-cdef-0123-456789abcdef";

        assertThat(problems(with(serverless(), "hosted:inlet:api:certificate-arn", elsewhere))).containsExactly(
                "Context key hosted:inlet:api:certificate-arn is inconsistent: found \"" + elsewhere + "\" with "
                        + "hosted:region \"us-west-2\"; allowed: a certificate of the stack's region (a load balancer "
                        + "uses certificates of its own account and region)",
                "Context key hosted:inlet:api:certificate-arn is inconsistent: found \"" + elsewhere + "\" with "
                        + "hosted:account \"000000000000\"; allowed: a certificate of the stack's account (a load "
                        + "balancer uses certificates of its own account)");
    }

    static Stream<Arguments> missingRequiredKeys() {
        String withWarehouse = " with hosted:inlet:warehouse:endpoint \"fe-0.starrocks.internal:8030\"";
        return Stream.of(
                arguments("hosted:id", "", "1-16 lowercase letters, digits or single hyphens, starting with a letter"),
                arguments("hosted:region", "", "an AWS region name such as us-west-2"),
                arguments("hosted:inlet:release", " (and no hosted:eks:druid:release to default to)",
                        "1-24 lowercase letters, digits or single hyphens, starting with a letter"),
                arguments("hosted:inlet:msk:topics", withWarehouse, TOPIC_NAMES),
                arguments("hosted:inlet:msk:consumer-groups", withWarehouse, "a non-empty list of distinct elements, "
                        + "each a consumer group {\"name\": a Kafka group name of 1-249 characters from a-z A-Z 0-9 . _ "
                        + "-; \"topics\": " + TOPIC_NAMES + "}"),
                arguments("hosted:inlet:warehouse:credentials-secret-arn", withWarehouse, "the complete ARN of a "
                        + "Secrets Manager secret (with its 6-character suffix) holding JSON fields \"username\" and "
                        + "\"password\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingRequiredKeys")
    void aMissingRequiredKeyNamesItselfAndWhatIsAllowed(String key, String context, String allowed) {
        assertThat(problems(with(serverless(), key, null)))
                .containsExactly("Context key " + key + " is missing: found nothing" + context + "; allowed: " + allowed);
    }

    @Test
    void everyRequiredKeyIsCoveredByTheMissingKeyCases() {
        Set<String> covered = missingRequiredKeys().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        assertThat(covered).containsAll(
                InletContextKeys.ALL.stream().filter(ContextKey::required).map(ContextKey::name).toList());
    }

    static Stream<Arguments> malformedValues() {
        return Stream.of(
                arguments("hosted:id", "FFF", "found \"FFF\"; allowed: 1-16 lowercase letters, digits or single "
                        + "hyphens, starting with a letter"),
                arguments("hosted:account", 123456789012L, "found 123456789012; allowed: a 12-digit AWS account id"),
                arguments("hosted:region", "uswest2", "found \"uswest2\"; allowed: an AWS region name such as us-west-2"),
                arguments("hosted:domain", "Data.Example.io", "found \"Data.Example.io\"; allowed: a lowercase DNS "
                        + "name of at most 100 characters, such as data.example.io"),
                arguments("hosted:inlet:vpc:cidr", "10.40.0.1/16", "found \"10.40.0.1/16\" (host bits set; the "
                        + "network address is required); allowed: an IPv4 CIDR block with a prefix length from /16 to /24"),
                arguments("hosted:inlet:vpc:cidr", "10.0.0.0/8", "found \"10.0.0.0/8\"; allowed: an IPv4 CIDR block "
                        + "with a prefix length from /16 to /24"),
                arguments("hosted:inlet:vpc:max-azs", 4, "found 4; allowed: an integer from 2 to 3"),
                arguments("hosted:inlet:msk:mode", "dedicated",
                        "found \"dedicated\"; allowed: one of \"serverless\", \"provisioned\""),
                arguments("hosted:inlet:msk:auth", "plain", "found \"plain\"; allowed: one of \"iam\", \"scram\", \"tls\""),
                arguments("hosted:inlet:msk:topics", List.of("users", "bad topic"), "found [\"users\",\"bad topic\"] "
                        + "(element 2 \"bad topic\" is not allowed); allowed: " + TOPIC_NAMES),
                arguments("hosted:inlet:msk:topics", List.of("users", "users"), "found [\"users\",\"users\"] "
                        + "(element 2 \"users\" repeats an earlier one); allowed: " + TOPIC_NAMES),
                arguments("hosted:inlet:msk:topics", "users", "found \"users\"; allowed: " + TOPIC_NAMES),
                arguments("hosted:inlet:service:cpu", 300,
                        "found 300; allowed: one of 256, 512, 1024, 2048, 4096, 8192, 16384"),
                arguments("hosted:inlet:service:cpu", 1024.5,
                        "found 1024.5; allowed: one of 256, 512, 1024, 2048, 4096, 8192, 16384"),
                arguments("hosted:inlet:service:max-count", "many", "found \"many\"; allowed: an integer from 1 to 100"),
                arguments("hosted:inlet:api:listen", "0.0.0.0:70000",
                        "found \"0.0.0.0:70000\"; allowed: host:port with a port from 1 to 65535"),
                arguments("hosted:inlet:log:retention-days", 10, "found 10; allowed: one of 1, 3, 5, 7, 14, 30, 60, "
                        + "90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"),
                arguments("hosted:inlet:warehouse:type", "snowflake",
                        "found \"snowflake\"; allowed: one of \"starrocks\", \"doris\", \"postgresql\""),
                arguments("hosted:inlet:warehouse:credentials-secret-arn",
                        "arn:aws:secretsmanager:us-west-2:000000000000:secret:warehouse",
                        "found \"arn:aws:secretsmanager:us-west-2:000000000000:secret:warehouse\"; allowed: the "
                                + "complete ARN of a Secrets Manager secret (with its 6-character suffix) holding "
                                + "JSON fields \"username\" and \"password\""),
                arguments("hosted:inlet:warehouse:catalog-topic", "jobs catalog", "found \"jobs catalog\"; allowed: a "
                        + "Kafka name of 1-249 characters from a-z A-Z 0-9 . _ -"),
                arguments("hosted:inlet:alarm:email", "ops", "found \"ops\"; allowed: an e-mail address"),
                arguments("hosted:inlet:lag:max-offset-lag", 0,
                        "found 0; allowed: an integer from 1 to 1000000000000"),
                arguments("hosted:inlet:kinesis:enabled", "yes", "found \"yes\"; allowed: true or false"),
                arguments("hosted:inlet:jobs", List.of(ordered("name", "db.j", "table", "t", "topic", "users",
                                "group", "inlet-users", "format", "xml")),
                        "found [{\"name\":\"db.j\",\"table\":\"t\",\"topic\":\"users\",\"group\":\"inlet-users\","
                                + "\"format\":\"xml\"}] (element 1: field \"format\" \"xml\" is not one of \"json\", "
                                + "\"csv\"); allowed: a list of elements, each a job {\"name\": db.job; \"table\": an "
                                + "identifier (letters, digits, _; not starting with a digit); \"topic\": a Kafka name "
                                + "of 1-249 characters from a-z A-Z 0-9 . _ -; \"group\": a Kafka name of 1-249 "
                                + "characters from a-z A-Z 0-9 . _ -; \"format\": one of \"json\", \"csv\"; optional "
                                + "\"columns\": a COLUMNS list without quotes or semicolons}"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("malformedValues")
    void aMalformedValueNamesTheKeyWhatWasFoundAndWhatIsAllowed(String key, Object value, String expected) {
        assertThat(problems(with(serverless(), key, value)))
                .containsExactly("Context key " + key + " is malformed: " + expected);
    }

    static Stream<Arguments> inconsistentValues() {
        Map<String, Object> provisioned = Deployments.provisioned();
        return Stream.of(
                arguments("SCRAM on MSK Serverless", with(serverless(), "hosted:inlet:msk:auth", "scram"),
                        "Context key hosted:inlet:msk:auth is inconsistent: found \"scram\" with hosted:inlet:msk:mode "
                                + "\"serverless\"; allowed: \"iam\" (MSK Serverless supports only IAM client "
                                + "authentication)"),
                arguments("broker settings on MSK Serverless", with(serverless(), "hosted:inlet:msk:broker-count", 3),
                        "Context key hosted:inlet:msk:broker-count is inconsistent: found 3 with hosted:inlet:msk:mode "
                                + "\"serverless\"; allowed: nothing unless hosted:inlet:msk:mode is \"provisioned\""),
                arguments("brokers not spread evenly", with(provisioned, "hosted:inlet:msk:broker-count", 4),
                        "Context key hosted:inlet:msk:broker-count is inconsistent: found 4 with 3 availability zones; "
                                + "allowed: a multiple of the availability-zone count (3)"),
                arguments("memory outside Fargate's range", with(serverless(), "hosted:inlet:service:memory", 3000),
                        "Context key hosted:inlet:service:memory is inconsistent: found 3000 with "
                                + "hosted:inlet:service:cpu 1024; allowed: from 2048 to 8192 in steps of 1024 (Fargate "
                                + "memory for 1024 CPU units)"),
                arguments("desired count above max", with(serverless(), "hosted:inlet:service:desired-count", 9),
                        "Context key hosted:inlet:service:desired-count is inconsistent: found 9 with "
                                + "hosted:inlet:service:min-count 1 and hosted:inlet:service:max-count 4; allowed: an "
                                + "integer from 1 to 4"),
                arguments("more NAT gateways than AZs", with(serverless(), "hosted:inlet:vpc:nat-gateways", 3),
                        "Context key hosted:inlet:vpc:nat-gateways is inconsistent: found 3 with hosted:inlet:vpc:max-azs "
                                + "2; allowed: an integer from 1 to 2 (one NAT gateway per AZ at most)"),
                arguments("scale-in threshold not below scale-out",
                        with(serverless(), "hosted:inlet:lag:scale-in-offset-lag", 50_000),
                        "Context key hosted:inlet:lag:scale-in-offset-lag is inconsistent: found 50000 with "
                                + "hosted:inlet:lag:scale-out-offset-lag 50000; allowed: less than "
                                + "hosted:inlet:lag:scale-out-offset-lag (50000)"),
                arguments("neither alarm target", with(serverless(), "hosted:inlet:alarm:email", null),
                        "Context key hosted:inlet:alarm:email is missing: found nothing (and no "
                                + "hosted:inlet:alarm:topic-arn); allowed: exactly one of hosted:inlet:alarm:email (an "
                                + "e-mail address) or hosted:inlet:alarm:topic-arn (an SNS topic ARN)"),
                arguments("both alarm targets", with(serverless(), "hosted:inlet:alarm:topic-arn",
                                "arn:aws:sns:us-west-2:000000000000:ops"),
                        "Context key hosted:inlet:alarm:topic-arn is inconsistent: found "
                                + "\"arn:aws:sns:us-west-2:000000000000:ops\" with hosted:inlet:alarm:email also set; "
                                + "allowed: exactly one of hosted:inlet:alarm:email or hosted:inlet:alarm:topic-arn"),
                arguments("a group reading an undeclared topic", with(serverless(), "hosted:inlet:msk:consumer-groups",
                                List.of(ordered("name", "inlet-users", "topics", List.of("users", "clicks")))),
                        "Context key hosted:inlet:msk:consumer-groups is inconsistent: found [{\"name\":\"inlet-users\","
                                + "\"topics\":[\"users\",\"clicks\"]}] (group \"inlet-users\" reads topic \"clicks\", "
                                + "not in hosted:inlet:msk:topics); allowed: topics listed in hosted:inlet:msk:topics: "
                                + "users, orders"),
                arguments("a job on a topic its group does not read", with(serverless(), "hosted:inlet:jobs",
                                List.of(ordered("name", "db.j", "table", "t", "topic", "orders", "group", "inlet-users",
                                        "format", "json"))),
                        "Context key hosted:inlet:jobs is inconsistent: found [{\"name\":\"db.j\",\"table\":\"t\","
                                + "\"topic\":\"orders\",\"group\":\"inlet-users\",\"format\":\"json\"}] (job db.j reads "
                                + "topic \"orders\", not a topic of group \"inlet-users\"); allowed: topics of group "
                                + "\"inlet-users\": users"),
                arguments("a job of an undeclared group", with(serverless(), "hosted:inlet:jobs",
                                List.of(ordered("name", "db.j", "table", "t", "topic", "users", "group", "other",
                                        "format", "csv"))),
                        "Context key hosted:inlet:jobs is inconsistent: found [{\"name\":\"db.j\",\"table\":\"t\","
                                + "\"topic\":\"users\",\"group\":\"other\",\"format\":\"csv\"}] (job db.j uses group "
                                + "\"other\", not in hosted:inlet:msk:consumer-groups); allowed: groups declared in "
                                + "hosted:inlet:msk:consumer-groups: inlet-users, inlet-orders"),
                arguments("a JDBC URL as Stream Load endpoint",
                        with(serverless(), "hosted:inlet:warehouse:endpoint", "jdbc:mysql://fe:9030"),
                        "Context key hosted:inlet:warehouse:endpoint is inconsistent: found \"jdbc:mysql://fe:9030\" "
                                + "with hosted:inlet:warehouse:type \"starrocks\"; allowed: FE HTTP endpoints "
                                + "host:port, comma-separated, such as fe1.example.com:8030"),
                arguments("StarRocks without a JDBC URL", with(serverless(), "hosted:inlet:warehouse:jdbc-url", null),
                        "Context key hosted:inlet:warehouse:jdbc-url is missing: found nothing with "
                                + "hosted:inlet:warehouse:type \"starrocks\"; allowed: jdbc:mysql://host:port[/database]"),
                arguments("a job catalog topic with PostgreSQL",
                        with(provisioned, "hosted:inlet:warehouse:catalog-topic", "_inlet_jobs"),
                        "Context key hosted:inlet:warehouse:catalog-topic is inconsistent: found \"_inlet_jobs\" with "
                                + "hosted:inlet:warehouse:type \"postgresql\"; allowed: nothing with postgresql (its job "
                                + "catalog is a table of the warehouse)"),
                arguments("PostgreSQL with an HTTP endpoint",
                        with(provisioned, "hosted:inlet:warehouse:endpoint", "warehouse:5432"),
                        "Context key hosted:inlet:warehouse:endpoint is inconsistent: found \"warehouse:5432\" with "
                                + "hosted:inlet:warehouse:type \"postgresql\"; allowed: "
                                + "jdbc:postgresql://host[:port]/database"),
                arguments("an imported VPC without its subnets",
                        with(Deployments.importedVpc(), "hosted:inlet:vpc:private-subnet-ids", null),
                        "Context key hosted:inlet:vpc:private-subnet-ids is missing: found nothing with "
                                + "hosted:inlet:vpc:id \"vpc-0123456789abcdef0\"; allowed: a list of at least 2 "
                                + "distinct elements, each a subnet id such as subnet-0123456789abcdef0"),
                arguments("subnets without a VPC id", with(serverless(), "hosted:inlet:vpc:private-subnet-ids",
                                List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2")),
                        "Context key hosted:inlet:vpc:private-subnet-ids is inconsistent: found "
                                + "[\"subnet-0aaaaaaaaaaaaaaa1\",\"subnet-0bbbbbbbbbbbbbbb2\"] without hosted:inlet:vpc:id; "
                                + "allowed: nothing unless hosted:inlet:vpc:id is set"),
                arguments("public access in an imported VPC without public subnets",
                        with(Deployments.importedPublicIam(), "hosted:inlet:vpc:public-subnet-ids", null),
                        "Context key hosted:inlet:vpc:public-subnet-ids is missing: found nothing with "
                                + "hosted:inlet:msk:public-subnets true and hosted:inlet:vpc:id set; allowed: a list of "
                                + "at least 2 distinct elements, each a subnet id such as subnet-0123456789abcdef0"),
                arguments("public access on brokers in private subnets",
                        with(with(provisioned, "hosted:inlet:msk:public-access", true),
                                "hosted:inlet:msk:public-client-cidrs", List.of("203.0.113.0/24")),
                        "Context key hosted:inlet:msk:public-access is inconsistent: found true with "
                                + "hosted:inlet:msk:public-subnets false; allowed: true only with "
                                + "hosted:inlet:msk:public-subnets true, on a cluster created that way"),
                arguments("Kinesis settings without the stream", with(serverless(), "hosted:inlet:kinesis:shard-count", 2),
                        "Context key hosted:inlet:kinesis:shard-count is inconsistent: found 2 with "
                                + "hosted:inlet:kinesis:enabled false; allowed: nothing unless "
                                + "hosted:inlet:kinesis:enabled is true"),
                arguments("Kinesis jobs without the stream", with(serverless(), "hosted:inlet:kinesis:jobs",
                                List.of(ordered("name", "market.ticks", "table", "stock", "format", "csv"))),
                        "Context key hosted:inlet:kinesis:jobs is inconsistent: found [{\"name\":\"market.ticks\","
                                + "\"table\":\"stock\",\"format\":\"csv\"}] with hosted:inlet:kinesis:enabled false; "
                                + "allowed: nothing unless hosted:inlet:kinesis:enabled is true"),
                arguments("a Kinesis job named as a Kafka job", with(Deployments.provisioned(),
                                "hosted:inlet:kinesis:jobs", List.of(ordered("name", "mydatabase.tutorials_users",
                                        "table", "stock", "format", "json"))),
                        "Context key hosted:inlet:kinesis:jobs is inconsistent: found [{\"name\":"
                                + "\"mydatabase.tutorials_users\",\"table\":\"stock\",\"format\":\"json\"}] "
                                + "(job mydatabase.tutorials_users appears twice, here or in hosted:inlet:jobs); "
                                + "allowed: job names distinct from each other and from hosted:inlet:jobs's"),
                arguments("a misspelt key", with(serverless(), "hosted:inlet:servce:cpu", 1024),
                        "Context key hosted:inlet:servce:cpu is unknown: found 1024; allowed: a declared key (did you "
                                + "mean hosted:inlet:service:cpu?), see infra/README.md"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inconsistentValues")
    void keysThatContradictEachOtherNameBoth(String why, Map<String, Object> context, String expected) {
        assertThat(problems(context)).containsExactly(expected);
    }

    @Test
    void everyProblemIsReportedAtOnceInTheSynthError() {
        Map<String, Object> context = with(with(serverless(), "hosted:id", null), "hosted:inlet:service:cpu", 3);

        assertThatThrownBy(() -> read(context))
                .isInstanceOf(ContextException.class)
                .hasMessage("Invalid deployment context (cdk.context.json or -c):\n"
                        + "  Context key hosted:id is missing: found nothing; allowed: 1-16 lowercase letters, digits "
                        + "or single hyphens, starting with a letter\n"
                        + "  Context key hosted:inlet:service:cpu is malformed: found 3; allowed: one of 256, 512, "
                        + "1024, 2048, 4096, 8192, 16384");
    }

    @Test
    void cliStringsAreAcceptedForNumbersAndBooleans() {
        Map<String, Object> context = with(with(serverless(), "hosted:inlet:service:cpu", "2048"),
                "hosted:inlet:service:memory", "4096");

        assertThat(read(context).service().cpu()).isEqualTo(2048);
        assertThat(read(with(serverless(), "hosted:inlet:kinesis:enabled", "true")).kinesis()).isPresent();
    }

    static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
