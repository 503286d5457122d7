package io.inlet.source.kafka;

import ch.qos.logback.classic.Level;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.job.JobManager;
import io.inlet.job.RoutineLoadJob;
import io.inlet.job.SqlResult;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.sql.StatementException;
import io.inlet.testkit.Await;
import io.inlet.testkit.LocalAws;
import io.inlet.testkit.LogCapture;
import io.inlet.testkit.MskIamAuthority;
import io.inlet.testkit.TestPki;
import io.inlet.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.utils.internal.SystemSettingUtilsTestBackdoor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka security end to end: one in-process KRaft broker with a listener per way MSK and Confluent Cloud are
 * reached (SASL_PLAINTEXT/PLAIN, SASL_SSL/PLAIN, SASL_SSL/SCRAM-SHA-512, SASL_SSL/SCRAM-SHA-256, SSL, mutual TLS,
 * SASL_SSL/OAUTHBEARER and SASL_SSL/AWS_MSK_IAM checking the SigV4 signature of aws-msk-iam-auth), a local STS,
 * MSK API and instance metadata service, and the seed statements loading into DuckDB. Failures pause the job
 * with the reason users act on, and nothing is lost. No secret appears in any output or log.
 */
class KafkaSecurityEndToEndTest {

    // secrets: each is looked for in everything the class logged and printed
    static final String SCRAM_PASSWORD = "scr4m-Pa55word-" + random();
    static final String SCRAM256_PASSWORD = "scr4m256-Pa55word-" + random();
    static final String CONFLUENT_SECRET = "PF1L6aZ5kEXG5/q8he+" + random() + "/";
    static final String PLAIN_PASSWORD = "plain-Pa55word-" + random();
    static final String WRONG_PASSWORD = "wrong-Pa55word-" + random();
    static final String KEY_PASSWORD = "key-Pa55word-" + random();
    static final String AK = "AKIAINLETTEST" + random().substring(0, 7).toUpperCase();
    static final String SK = "sk/" + random() + "+" + random();
    static final String WRONG_SK = "wrongsk/" + random();
    static final String ENV_AK = "AKIAINLETENV" + random().substring(0, 8).toUpperCase();
    static final String ENV_SK = "envsk/" + random();
    static final String SYS_AK = "AKIAINLETSYS" + random().substring(0, 8).toUpperCase();
    static final String SYS_SK = "syssk/" + random();
    static final String IMDS_AK = "ASIAINLETIMDS" + random().substring(0, 7).toUpperCase();
    static final String IMDS_SK = "imdssk/" + random();
    static final String IMDS_TOKEN = "imdstoken/" + random() + random();
    static final String ROLE = "arn:aws:iam::123456789012:role/demo-role";
    static final String CLUSTER_ARN = "arn:aws:kafka:us-west-1:123456789012:cluster/inlet/6c1b7f9e-0d2e-4c7a-9d5e-1";

    static EmbeddedKafkaBroker broker;
    static LocalAws aws;
    static LogCapture logs;
    static TestPki pki;
    static TestPki otherPki;
    static Path certs;
    static Path caFile;
    static Path otherCaFile;
    static Path clientCert;
    static Path clientKey;
    static Path trustStore;
    static final Map<String, String> savedProperties = new LinkedHashMap<>();
    static final List<String> shown = new ArrayList<>();
    static final Set<String> createdTopics = ConcurrentHashMap.newKeySet();

    @TempDir
    Path dir;
    DuckDbWarehouse warehouse;
    JobManager jobs;

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        logs = new LogCapture(Map.of("io.inlet", Level.DEBUG, "org.apache.kafka.clients", Level.INFO,
                "org.apache.kafka.common.security", Level.DEBUG, "software.amazon", Level.INFO));
        certs = tmp;
        pki = TestPki.create("Inlet Test CA");
        otherPki = TestPki.create("Some Other CA");
        TestPki.Issued server = pki.server("broker");
        TestPki.Issued client = pki.client("inlet-client");
        caFile = TestPki.write(tmp, "ca.pem", pki.ca().certificatePem());
        otherCaFile = TestPki.write(tmp, "other-ca.pem", otherPki.ca().certificatePem());
        clientCert = TestPki.write(tmp, "client.crt", client.certificatePem());
        clientKey = TestPki.write(tmp, "client.key", client.encryptedPrivateKeyPem(KEY_PASSWORD));

        Map<String, String> tls = Map.of("ssl.keystore.type", "PEM",
                "ssl.keystore.certificate.chain", server.chainPem(),
                "ssl.keystore.key", server.privateKeyPem());
        Map<String, String> mtls = new LinkedHashMap<>(tls);
        mtls.put("ssl.truststore.type", "PEM");
        mtls.put("ssl.truststore.certificates", pki.ca().certificatePem());
        mtls.put("ssl.client.auth", "required");
        String plainUsers = "org.apache.kafka.common.security.plain.PlainLoginModule required user_confluent-key=\""
                + CONFLUENT_SECRET + "\" user_plain-user=\"" + PLAIN_PASSWORD + "\";";
        Map<String, String> plainTls = new LinkedHashMap<>(tls);
        plainTls.put("sasl.enabled.mechanisms", "PLAIN");
        plainTls.put("plain.sasl.jaas.config", plainUsers);
        Map<String, String> scram512 = new LinkedHashMap<>(tls);
        scram512.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        scram512.put("scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        Map<String, String> scram256 = new LinkedHashMap<>(tls);
        scram256.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
        scram256.put("scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        Map<String, String> oauth = new LinkedHashMap<>(tls);
        oauth.put("sasl.enabled.mechanisms", "OAUTHBEARER");
        oauth.put("oauthbearer.sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                + " required unsecuredLoginStringClaim_sub=\"broker\";");
        oauth.put("oauthbearer.sasl.server.callback.handler.class", "io.inlet.testkit.MskIamTokenValidator");
        Map<String, String> iam = new LinkedHashMap<>(tls);
        iam.put("sasl.enabled.mechanisms", "AWS_MSK_IAM");
        iam.put("aws_msk_iam.sasl.jaas.config", "io.inlet.testkit.MskIamSaslServer$Login required;");

        broker = EmbeddedKafkaBroker.builder()
                .listener("SASL_PLAIN", "SASL_PLAINTEXT", Map.of("sasl.enabled.mechanisms", "PLAIN",
                        "plain.sasl.jaas.config", plainUsers))
                .listener("PLAIN_TLS", "SASL_SSL", plainTls)
                .listener("SCRAM512", "SASL_SSL", scram512)
                .listener("SCRAM256", "SASL_SSL", scram256)
                .listener("TLS", "SSL", tls)
                .listener("MTLS", "SSL", mtls)
                .listener("IAM", "SASL_SSL", oauth)
                .listener("IAMX", "SASL_SSL", iam)
                .scramCredential("SCRAM-SHA-512=[name=msk-user,password=" + SCRAM_PASSWORD + "]")
                .scramCredential("SCRAM-SHA-256=[name=msk-user,password=" + SCRAM256_PASSWORD + "]")
                .config("num.network.threads", "1")
                .config("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .config("allow.everyone.if.no.acl.found", "true")
                .config("super.users", "User:ANONYMOUS")
                .start();
        try (Admin admin = broker.admin()) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.GROUP, "forbidden-group",
                    PatternType.LITERAL), new AccessControlEntry("User:*", "*", AclOperation.ALL,
                    AclPermissionType.DENY)))).all().get();
        }

        // the JVM's default trust store holds the test CA, as it holds the public CAs of Confluent Cloud and MSK:
        // the seed statements then work as written, without property.ssl.ca.location
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("inlet-test-ca", java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pki.ca().certificateDer())));
        trustStore = tmp.resolve("truststore.p12");
        try (var out = Files.newOutputStream(trustStore)) {
            ks.store(out, "changeit".toCharArray());
        }
        setProperty("javax.net.ssl.trustStore", trustStore.toString());
        setProperty("javax.net.ssl.trustStorePassword", "changeit");
        setProperty("javax.net.ssl.trustStoreType", "PKCS12");

        MskIamAuthority.region = "us-west-1";
        MskIamAuthority.trust(AK, SK);
        MskIamAuthority.trust(SYS_AK, SYS_SK);
        MskIamAuthority.trust(ENV_AK, ENV_SK);
        MskIamAuthority.trustTemporary(IMDS_AK, IMDS_SK, IMDS_TOKEN);
        aws = new LocalAws().caller(AK, SK).caller(SYS_AK, SYS_SK).caller(ENV_AK, ENV_SK).caller(IMDS_AK, IMDS_SK)
                .role(ROLE, null).role("arn:aws:iam::123456789012:role/with-external-id", "ext-42")
                .instanceProfile(IMDS_AK, IMDS_SK, IMDS_TOKEN)
                .cluster(CLUSTER_ARN, Map.of(
                        "bootstrapBrokerStringSaslIam", broker.bootstrapServers("IAM"),
                        "bootstrapBrokerStringSaslScram", broker.bootstrapServers("SCRAM512"),
                        "bootstrapBrokerStringTls", broker.bootstrapServers("TLS")));
    }

    @AfterAll
    static void stop() {
        try {
            if (aws != null) {
                aws.close();
            }
            if (broker != null) {
                broker.close();
            }
            savedProperties.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        } finally {
            logs.close();
        }
        List<String> secrets = new ArrayList<>(List.of(SCRAM_PASSWORD, SCRAM256_PASSWORD, CONFLUENT_SECRET,
                PLAIN_PASSWORD, WRONG_PASSWORD, KEY_PASSWORD, SK, WRONG_SK, ENV_SK, SYS_SK, IMDS_SK, IMDS_TOKEN));
        secrets.addAll(aws.issuedSecrets());
        String everything = logs.text() + String.join("\n", shown);
        assertThat(everything).as("the captured logs").contains("TLS certificate verification is OFF");
        for (String s : secrets) {
            assertThat(everything.contains(s)).as("a secret in the output or logs of the test class").isFalse();
        }
    }

    @BeforeEach
    void open() throws Exception {
        warehouse = new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        jobs = new JobManager(warehouse, "main", Clock.systemUTC(), 4);
        sql("CREATE SCHEMA example_db");
        sql("CREATE SCHEMA mydatabase");
        sql("CREATE TABLE example_db.example_tbl1 (order_id BIGINT, pay_dt DATE, customer_name VARCHAR,"
                + " nationality VARCHAR, temp_gender VARCHAR, price DOUBLE)");
        sql("CREATE TABLE mydatabase.myusers2 (userid VARCHAR, regionid VARCHAR, gender VARCHAR, registertime BIGINT,"
                + " dt VARCHAR)");
        sql("CREATE TABLE t (a INT, b VARCHAR)");
    }

    @AfterEach
    void close() {
        for (RoutineLoadJob j : jobs.jobs()) {
            shown.add(String.valueOf(showRow(j)));
            shown.add(j.record().reason());
        }
        jobs.close();
        warehouse.close();
    }

    // ------------------------------------------------------------------------------------------ seeds 000, 001

    @Test
    void seed000MskScramSha512LoadsCsv() throws Exception {
        topic("ordertest1", 5, IntStream.range(0, 50).mapToObj(i -> i + ",2024-01-0" + (1 + i % 9) + ",name" + i
                + ",n" + (i % 3) + ",F," + (i * 1.5)).toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 ON example_tbl1
                    COLUMNS TERMINATED BY ",",
                    COLUMNS (order_id, pay_dt, customer_name, nationality, temp_gender, price)
                    FROM KAFKA
                    (
                        "kafka_broker_list" ="%s",
                        "kafka_topic" = "ordertest1",
                        "kafka_partitions" ="0,1,2,3,4",
                        "property.kafka_default_offsets" = "OFFSET_BEGINNING",
                        "property.security.protocol"="SASL_SSL",
                        "property.sasl.mechanism"="SCRAM-SHA-512",
                        "property.sasl.username"="msk-user",
                        "property.sasl.password"="%s"
                    );
                """.formatted(broker.bootstrapServers("SCRAM512"), SCRAM_PASSWORD));
        awaitRows("example_db.example_tbl1", 50);
        Map<String, String> row = showRow(job("example_db", "example_tbl1_ordertest1"));
        assertThat(row.get("State")).isEqualTo("RUNNING");
        assertThat(row.get("CustomProperties")).contains("\"sasl.password\":\"******\"").doesNotContain(SCRAM_PASSWORD);
    }

    @Test
    void seed001ConfluentPlainLoadsJsonWithDerivedColumn() throws Exception {
        topic("users", 1, IntStream.range(0, 20).mapToObj(i -> "{\"registertime\":" + (1493987388929L + i)
                + ",\"userid\":\"User_" + i + "\",\"regionid\":\"Region_" + i + "\",\"gender\":\"MALE\"}").toList());
        jobs.execute("""
                CREATE ROUTINE LOAD mydatabase.tutorials_users_test2 ON myusers2
                COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000))
                PROPERTIES (
                    'format' ='json',
                    'jsonpaths' = '["$.userid","$.regionid","$.gender", "$.registertime"]'
                )
                FROM KAFKA (
                    'kafka_broker_list' = '%s',
                    'kafka_topic' = 'users',
                    'property.kafka_default_offsets' = 'OFFSET_BEGINNING',
                    'property.security.protocol' = 'SASL_SSL',
                    'property.sasl.mechanism' = 'PLAIN',
                    'property.sasl.username' = 'confluent-key',
                    'property.sasl.password' = '%s'
                );
                """.formatted(broker.bootstrapServers("PLAIN_TLS"), CONFLUENT_SECRET));
        awaitRows("mydatabase.myusers2", 20);
        assertThat(query("SELECT dt FROM mydatabase.myusers2 WHERE userid = 'User_0'")).isNotEmpty();
    }

    // ------------------------------------------------------------------------------------------ SASL

    @Test
    void wrongPasswordPausesWithTheReasonAndNothingIsLostAfterTheFix() throws Exception {
        String topic = topic("plain_topic", 2, csv(30));
        jobs.execute(kafkaJob("plain_job", topic, broker.bootstrapServers("SASL_PLAIN"), """
                "property.security.protocol" = "SASL_PLAINTEXT",
                "property.sasl.mechanism" = "PLAIN",
                "property.sasl.username" = "plain-user",
                "property.sasl.password" = "%s"
                """.formatted(WRONG_PASSWORD)));
        String reason = awaitPaused("plain_job");
        assertThat(reason).contains("authentication failed").contains("property.sasl.password")
                .doesNotContain("Exception:").doesNotContain("\tat ");
        assertThat(count("t")).isZero();

        jobs.execute("ALTER ROUTINE LOAD FOR plain_job FROM KAFKA (\"property.sasl.password\" = \"" + PLAIN_PASSWORD + "\")");
        jobs.execute("RESUME ROUTINE LOAD FOR plain_job");
        awaitRows("t", 30);
        Topics.produce(broker, topic, 2, csv(40).subList(30, 40));
        awaitRows("t", 40);
        assertThat(query("SELECT count(DISTINCT a) FROM t").get(0).get(0)).isEqualTo(40L);
    }

    @Test
    void scramSha256LoadsAndAWrongScramPasswordPauses() throws Exception {
        String topic = topic("scram256_topic", 1, csv(10));
        jobs.execute(kafkaJob("scram256_job", topic, broker.bootstrapServers("SCRAM256"), """
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "SCRAM-SHA-256",
                "property.sasl.username" = "msk-user",
                "property.sasl.password" = "%s"
                """.formatted(SCRAM256_PASSWORD)));
        awaitRows("t", 10);
        jobs.execute(kafkaJob("scram256_wrong", topic, broker.bootstrapServers("SCRAM256"), """
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "SCRAM-SHA-256",
                "property.sasl.username" = "msk-user",
                "property.sasl.password" = "%s"
                """.formatted(SCRAM_PASSWORD)));
        assertThat(awaitPaused("scram256_wrong")).contains("authentication failed")
                .contains("SCRAM-SHA-256").contains("property.sasl.username");
    }

    @Test
    void scramWithoutPasswordIsRefusedAtCreateWithItsPosition() {
        assertThatThrownBy(() -> jobs.execute("""
                CREATE ROUTINE LOAD j ON t
                FROM KAFKA (
                    "kafka_broker_list" = "%s",
                    "kafka_topic" = "x",
                    "property.security.protocol" = "SASL_SSL",
                    "property.sasl.mechanism" = "SCRAM-SHA-512",
                    "property.sasl.username" = "msk-user"
                )""".formatted(broker.bootstrapServers("SCRAM512"))))
                .isInstanceOfSatisfying(StatementException.class, e -> {
                    assertThat(e.line()).isEqualTo(7);
                    assertThat(e.column()).isEqualTo(5);
                    assertThat(e.reason()).contains("sasl.username and sasl.password must be set");
                });
    }

    @Test
    void groupAuthorizationFailedPauses() throws Exception {
        String topic = topic("group_topic", 1, csv(5));
        jobs.execute(kafkaJob("group_job", topic, broker.bootstrapServers("SASL_PLAIN"), """
                "property.security.protocol" = "SASL_PLAINTEXT",
                "property.sasl.mechanism" = "PLAIN",
                "property.sasl.username" = "plain-user",
                "property.sasl.password" = "%s",
                "property.group.id" = "forbidden-group"
                """.formatted(PLAIN_PASSWORD)));
        assertThat(awaitPaused("group_job")).contains("Group authorization failed").contains("forbidden-group")
                .contains("property.group.id");
    }

    @Test
    void missingTopicPausesWithNoPartitionInThisTopic() throws Exception {
        jobs.execute(kafkaJob("missing_job", "no_such_topic", broker.bootstrapServers("SCRAM512"), """
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "SCRAM-SHA-512",
                "property.sasl.username" = "msk-user",
                "property.sasl.password" = "%s"
                """.formatted(SCRAM_PASSWORD)));
        assertThat(awaitPaused("missing_job")).contains("no partition in this topic").contains("kafka_topic");
    }

    // ------------------------------------------------------------------------------------------ TLS

    @Test
    void tlsWithTheGeneratedCaAsPem() throws Exception {
        String topic = topic("tls_topic", 2, csv(12));
        jobs.execute(kafkaJob("tls_job", topic, broker.bootstrapServers("TLS"), """
                "property.security.protocol" = "SSL",
                "property.ssl.ca.location" = "%s"
                """.formatted(caFile)));
        awaitRows("t", 12);
    }

    @Test
    void anUntrustedBrokerIsABrokerTransportFailureNamingTheCaProperty() throws Exception {
        String topic = topic("tls_bad_topic", 1, csv(3));
        jobs.execute(kafkaJob("tls_bad", topic, broker.bootstrapServers("TLS"), """
                "property.security.protocol" = "SSL",
                "property.ssl.ca.location" = "%s"
                """.formatted(otherCaFile)));
        assertThat(awaitPaused("tls_bad")).contains("Broker transport failure").contains("property.ssl.ca.location");
    }

    @Test
    void certificateVerificationOffWorksWarnsOnEachConnectionAndShowsInOtherMsg() throws Exception {
        String topic = topic("insecure_topic", 1, csv(7));
        jobs.execute(kafkaJob("insecure_job", topic, broker.bootstrapServers("PLAIN_TLS"), """
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "PLAIN",
                "property.sasl.username" = "confluent-key",
                "property.sasl.password" = "%s",
                "property.enable.ssl.certificate.verification" = "false"
                """.formatted(CONFLUENT_SECRET)));
        awaitRows("t", 7);
        assertThat(showRow(job("main", "insecure_job")).get("OtherMsg")).contains("TLS certificate verification is off");
        assertThat(logs.text()).contains("TLS certificate verification is OFF").contains("CN=broker");
    }

    @Test
    void mutualTlsWithAnEncryptedPemKey() throws Exception {
        String topic = topic("mtls_topic", 1, csv(9));
        jobs.execute(kafkaJob("mtls_job", topic, broker.bootstrapServers("MTLS"), """
                "property.security.protocol" = "SSL",
                "property.ssl.ca.location" = "%s",
                "property.ssl.certificate.location" = "%s",
                "property.ssl.key.location" = "%s",
                "property.ssl.key.password" = "%s"
                """.formatted(caFile, clientCert, clientKey, KEY_PASSWORD)));
        awaitRows("t", 9);
        jobs.execute(kafkaJob("mtls_nocert", topic, broker.bootstrapServers("MTLS"), """
                "property.security.protocol" = "SSL",
                "property.ssl.ca.location" = "%s"
                """.formatted(caFile)));
        assertThat(awaitPaused("mtls_nocert")).contains("Broker transport failure");
    }

    // ------------------------------------------------------------------------------------------ MSK IAM (seed 003)

    @Test
    void seed003AccessKeyAndSecretKey() throws Exception {
        String topic = topic("iam_aksk", 2, csv(10));
        jobs.execute(seed003("IAM_Test", topic, """
                "aws.region" = "us-west-1",
                "aws.access_key" = "%s",
                "aws.secret_key" = "%s",
                """.formatted(AK, SK)));
        awaitRows("t", 10);
        assertThat(showRow(job("main", "IAM_Test")).get("CustomProperties")).contains(AK).doesNotContain(SK);

        jobs.execute(seed003("IAM_wrong", topic, """
                "aws.region" = "us-west-1",
                "aws.access_key" = "%s",
                "aws.secret_key" = "%s",
                """.formatted(AK, WRONG_SK)));
        assertThat(awaitPaused("IAM_wrong")).contains("authentication failed").contains("aws.");
    }

    @Test
    void seed003RoleWithInstanceProfileAndInstanceProfileAlone() throws Exception {
        String topic = topic("iam_instance", 1, csv(8));
        withSdkEndpoints(true, () -> {
            jobs.execute(seed003("IAM_Role_Instance", topic, """
                    "aws.region" = "us-west-1",
                    "aws.role_arn" = "%s",
                    "aws.credentials_provider" = "INSTANCE_PROFILE",
                    """.formatted(ROLE)));
            awaitRows("t", 8);
            assertThat(aws.assumeRoleCalls()).anySatisfy(c -> {
                assertThat(c.sourceAccessKeyId()).isEqualTo(IMDS_AK);
                assertThat(c.roleArn()).isEqualTo(ROLE);
            });
            jobs.execute("STOP ROUTINE LOAD FOR IAM_Role_Instance");
            sql("DELETE FROM t");
            jobs.execute(seed003("IAM_Instance", topic, """
                    "aws.region" = "us-west-1",
                    "aws.credentials_provider" = "INSTANCE_PROFILE",
                    """));
            awaitRows("t", 8);
        });
    }

    @Test
    void seed003RoleWithEnvAndWithTheDefaultChain() throws Exception {
        String topic = topic("iam_env", 1, csv(6));
        withSdkEndpoints(false, () -> {
            SystemSettingUtilsTestBackdoor.addEnvironmentVariableOverride("AWS_ACCESS_KEY_ID", ENV_AK);
            SystemSettingUtilsTestBackdoor.addEnvironmentVariableOverride("AWS_SECRET_ACCESS_KEY", ENV_SK);
            try {
                jobs.execute(seed003("IAM_Role_Env", topic, """
                        "aws.region" = "us-west-1",
                        "aws.role_arn" = "%s",
                        "aws.credentials_provider" = "ENV",
                        """.formatted(ROLE)));
                awaitRows("t", 6);
                assertThat(aws.assumeRoleCalls()).anySatisfy(c -> assertThat(c.sourceAccessKeyId()).isEqualTo(ENV_AK));
            } finally {
                SystemSettingUtilsTestBackdoor.clearEnvironmentVariableOverrides();
            }
            jobs.execute("STOP ROUTINE LOAD FOR IAM_Role_Env");
            sql("DELETE FROM t");
            setProperty("aws.accessKeyId", SYS_AK);
            setProperty("aws.secretAccessKey", SYS_SK);
            try {
                jobs.execute(seed003("IAM_Role_Default", topic, """
                        "aws.region" = "us-west-1",
                        "aws.role_arn" = "%s",
                        "aws.credentials_provider" = "DEFAULT",
                        """.formatted(ROLE)));
                awaitRows("t", 6);
                assertThat(aws.assumeRoleCalls()).anySatisfy(c -> assertThat(c.sourceAccessKeyId()).isEqualTo(SYS_AK));
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        });
    }

    @Test
    void awsMskIamMechanismAndARefusedRolePauses() throws Exception {
        String topic = topic("iam_x", 1, csv(5));
        jobs.execute(kafkaJob("iamx_job", topic, broker.bootstrapServers("IAMX"), """
                "aws.region" = "us-west-1",
                "aws.access_key" = "%s",
                "aws.secret_key" = "%s",
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "AWS_MSK_IAM"
                """.formatted(AK, SK)));
        awaitRows("t", 5);
        jobs.execute(kafkaJob("iam_external", topic, broker.bootstrapServers("IAM"), """
                "aws.region" = "us-west-1",
                "aws.role_arn" = "arn:aws:iam::123456789012:role/with-external-id",
                "aws.external_id" = "wrong-id",
                "aws.credentials_provider" = "SYSTEM_PROPERTIES",
                "aws.sts.endpoint" = "%s",
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "OAUTHBEARER"
                """.formatted(aws.endpoint())));
        // no aws.accessKeyId system property: no source credentials
        assertThat(awaitPaused("iam_external")).contains("aws.role_arn").contains("SYSTEM_PROPERTIES");
    }

    @Test
    void clusterArnResolvesTheBrokersForTheAuthMode() throws Exception {
        String topic = topic("iam_arn", 1, csv(4));
        jobs.execute("""
                CREATE ROUTINE LOAD arn_job ON t
                COLUMNS TERMINATED BY ",",
                COLUMNS(a,b)
                FROM KAFKA(
                "aws.msk.cluster_arn" = "%s",
                "aws.msk.endpoint" = "%s",
                "kafka_topic" = "%s",
                "aws.access_key" = "%s",
                "aws.secret_key" = "%s",
                "property.kafka_default_offsets" = "OFFSET_BEGINNING",
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "OAUTHBEARER"
                );""".formatted(CLUSTER_ARN, aws.endpoint(), topic, AK, SK));
        awaitRows("t", 4);
        sql("DELETE FROM t");
        jobs.execute("""
                CREATE ROUTINE LOAD arn_scram ON t
                COLUMNS TERMINATED BY ",",
                COLUMNS(a,b)
                FROM KAFKA(
                "aws.msk.cluster_arn" = "%s",
                "aws.msk.endpoint" = "%s",
                "kafka_topic" = "%s",
                "aws.access_key" = "%s",
                "aws.secret_key" = "%s",
                "property.kafka_default_offsets" = "OFFSET_BEGINNING",
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "SCRAM-SHA-512",
                "property.sasl.username" = "msk-user",
                "property.sasl.password" = "%s"
                );""".formatted(CLUSTER_ARN, aws.endpoint(), topic, AK, SK, SCRAM_PASSWORD));
        awaitRows("t", 4);
        jobs.execute("""
                CREATE ROUTINE LOAD arn_unknown ON t
                COLUMNS TERMINATED BY ",",
                COLUMNS(a,b)
                FROM KAFKA(
                "aws.msk.cluster_arn" = "%s",
                "aws.msk.endpoint" = "%s",
                "kafka_topic" = "%s",
                "aws.access_key" = "%s",
                "aws.secret_key" = "%s",
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "OAUTHBEARER"
                );""".formatted(CLUSTER_ARN + "-gone", aws.endpoint(), topic, AK, SK));
        assertThat(awaitPaused("arn_unknown")).contains("aws.msk.cluster_arn").contains("NotFoundException");
    }

    // ------------------------------------------------------------------------------------------ helpers

    interface Body {
        void run() throws Exception;
    }

    /**
     * Points the SDK's STS endpoint (aws.endpointUrl, so that the seed statements stay as written) at the local
     * one and, for {@code imds}, the instance metadata endpoint too — loopback only.
     */
    static void withSdkEndpoints(boolean imds, Body body) throws Exception {
        setProperty("aws.endpointUrl", aws.endpoint());
        if (imds) {
            setProperty("aws.ec2MetadataServiceEndpoint", aws.endpoint());
            setProperty("aws.disableEc2Metadata", "false");
        }
        try {
            body.run();
        } finally {
            restore("aws.endpointUrl");
            restore("aws.ec2MetadataServiceEndpoint");
            restore("aws.disableEc2Metadata");
        }
    }

    static synchronized void setProperty(String key, String value) {
        savedProperties.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    static synchronized void restore(String key) {
        if (savedProperties.containsKey(key)) {
            String v = savedProperties.get(key);
            if (v == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, v);
            }
        }
    }

    static String seed003(String name, String topic, String credentials) {
        return """
                CREATE ROUTINE LOAD %s ON t
                COLUMNS TERMINATED BY ",",
                COLUMNS(a,b)
                FROM KAFKA(
                "kafka_broker_list" = "%s",
                "kafka_topic" = "%s",
                %s"property.kafka_default_offsets" = "OFFSET_BEGINNING",
                "property.security.protocol" = "SASL_SSL",
                "property.sasl.mechanism" = "OAUTHBEARER"
                );""".formatted(name, broker.bootstrapServers("IAM"), topic, credentials);
    }

    static String kafkaJob(String name, String topic, String brokers, String security) {
        return """
                CREATE ROUTINE LOAD %s ON t
                COLUMNS TERMINATED BY ",",
                COLUMNS(a,b)
                FROM KAFKA(
                "kafka_broker_list" = "%s",
                "kafka_topic" = "%s",
                "property.kafka_default_offsets" = "OFFSET_BEGINNING",
                %s);""".formatted(name, brokers, topic, security);
    }

    static String topic(String name, int partitions, List<String> messages) {
        if (createdTopics.add(name)) {
            broker.createTopic(name, partitions);
            Topics.produce(broker, name, partitions, messages);
        }
        return name;
    }

    static List<String> csv(int n) {
        return IntStream.range(0, n).mapToObj(i -> i + ",v" + i).toList();
    }

    static String random() {
        return Long.toString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    }

    RoutineLoadJob job(String db, String name) {
        return jobs.findAny(new JobRef(db, name)).orElseThrow();
    }

    String awaitPaused(String name) {
        RoutineLoadJob j = job("main", name);
        Await.until(Duration.ofSeconds(40), () -> j.state().name().equals("PAUSED"),
                () -> name + " to pause; state " + j.state() + " " + j.record().reason());
        String reason = j.record().reason();
        shown.add(reason);
        return reason;
    }

    void awaitRows(String table, long rows) {
        Await.until(Duration.ofSeconds(40), () -> count(table) >= rows, () -> table + " to have " + rows + " rows; "
                + jobs.jobs().stream().map(j -> j.record().name() + " " + j.state() + " " + j.record().reason()).toList());
    }

    Map<String, String> showRow(RoutineLoadJob j) {
        try {
            SqlResult r = jobs.execute("SHOW ALL ROUTINE LOAD FOR " + j.record().db() + "." + j.record().name());
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < r.columns().size(); i++) {
                m.put(r.columns().get(i), r.rows().get(0).get(i));
            }
            shown.add(m.toString());
            return m;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void sql(String ddl) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
            s.execute(ddl);
        }
    }

    long count(String table) throws Exception {
        return ((Number) query("SELECT count(*) FROM " + table).get(0).get(0)).longValue();
    }

    List<List<Object>> query(String q) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
