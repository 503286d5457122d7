package io.inlet.source.kafka;

import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.KafkaSourceProperties;
import io.inlet.sql.SqlParser;
import io.inlet.sql.StatementException;
import io.inlet.testkit.LocalAws;
import io.inlet.testkit.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.utils.internal.SystemSettingUtilsTestBackdoor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Without a broker: the CREATE-time checks of the Kafka security properties (with positions), their translation
 * to the Java client, and the credential precedence of seed 003 for every combination, against a local STS.
 */
class KafkaClientSecurityTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/demo-role";
    static final String ROLE_EXT = "arn:aws:iam::123456789012:role/with-external-id";
    static LocalAws aws;
    static Path dir;

    @BeforeAll
    static void start(@TempDir Path tmp) {
        dir = tmp;
        aws = new LocalAws().caller("AKIASYSPROPS", "sys-secret").caller("AKIAENV", "env-secret")
                .caller("AKIAPROFILE", "profile-secret").role(ROLE, null).role(ROLE_EXT, "ext-42");
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static StatementException error(String from) {
        try {
            SqlParser.parse("CREATE ROUTINE LOAD j ON t\nFROM KAFKA (\n" + from + "\n)");
        } catch (StatementException e) {
            return e;
        }
        throw new AssertionError("accepted: " + from);
    }

    static void refused(String from, int line, int column, String reason) {
        StatementException e = error(from);
        assertThat(e.reason()).contains(reason);
        assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
    }

    static final String B = "\"kafka_broker_list\" = \"127.0.0.1:9092\", \"kafka_topic\" = \"t\",\n";

    @Test
    void contradictoryAndUnknownPropertiesAreRefusedAtTheirPosition() {
        refused(B + "\"property.sasl.mechanism\" = \"PLAIN\"", 4, 1,
                "needs 'property.security.protocol' SASL_SSL or SASL_PLAINTEXT, but the protocol is PLAINTEXT");
        refused(B + "\"property.security.protocol\" = \"SASL_SSL\"", 4, 1, "needs 'property.sasl.mechanism'");
        refused(B + "\"property.security.protocol\" = \"SASL_SSL\", \"property.sasl.mechanism\" = \"SCRAM-SHA-512\"",
                4, 44, "sasl.username and sasl.password must be set for SASL SCRAM-SHA-512");
        refused(B + "\"property.security.protocol\" = \"SASL_SSL\", \"property.sasl.mechanism\" = \"OAUTHBEARER\",\n"
                + "\"aws.region\" = \"us-east-1\", \"property.sasl.username\" = \"u\"", 5, 29,
                "MSK IAM takes its credentials from the aws.* properties");
        refused(B + "\"property.security.protocol\" = \"SASL_PLAINTEXT\", \"property.sasl.mechanism\" = \"OAUTHBEARER\","
                + " \"aws.region\" = \"us-east-1\"", 4, 1, "needs 'property.security.protocol' = 'SASL_SSL'");
        refused(B + "\"property.security.protocol\" = \"SASL_SSL\", \"property.sasl.mechanism\" = \"AWS_MSK_IAM\"", 4, 44,
                "MSK IAM needs 'aws.region'");
        refused(B + "\"property.ssl.ca.location\" = \"/etc/hosts\"", 4, 1, "applies to TLS connections only");
        refused(B + "\"property.security.protocol\" = \"SSL\", \"property.ssl.ca.location\" = \"/etc/hosts\",\n"
                + "\"property.enable.ssl.certificate.verification\" = \"false\"", 4, 39, "remove one");
        refused(B + "\"property.security.protocol\" = \"SSL\", \"property.ssl.certificate.location\" = \"/etc/hosts\"",
                4, 39, "add 'property.ssl.key.location'");
        refused(B + "\"property.security.protocol\" = \"SSL\", \"property.ssl.ca.location\" = \"/no/such/ca.pem\"",
                4, 39, "cannot read '/no/such/ca.pem'");
        refused(B + "\"property.security.protocol\" = \"SSL\", \"property.ssl.endpoint.identification.algorithm\" = \"x\"",
                4, 39, "expected https or none");
        refused(B + "\"property.sesion.timeout.ms\" = \"1000\"", 4, 1, "did you mean 'property.session.timeout.ms'?");
        refused(B + "\"property.bootstrap.servers\" = \"h:1\"", 4, 1, "kafka_broker_list");
        refused(B + "\"property.enable.auto.commit\" = \"true\"", 4, 1, "exactly once");
        refused(B + "\"aws.external_id\" = \"x\"", 4, 1, "set 'aws.role_arn' as well");
        refused(B + "\"aws.msk.cluster_arn\" = \"arn:aws:kafka:us-east-1:1:cluster/c/u\"", 4, 1,
                "either 'kafka_broker_list' or 'aws.msk.cluster_arn'");
        refused(B + "\"aws.profile_name\" = \"p\", \"aws.credentials_provider\" = \"ENV\"", 4, 1,
                "use PROFILE or DEFAULT");
        refused(B + "\"property.security.protocol\" = \"SASL_SSL\", \"property.sasl.mechanism\" = \"PLAIN\",\n"
                + "\"property.sasl.username\" = \"u\", \"property.sasl.password\" = \"p\","
                + " \"property.sasl.jaas.config\" = \"x\"", 5, 1, "not both");
        StatementException secret = error(B + "\"property.security.protocol\" = \"PLAINTEXT\","
                + " \"property.sasl.password\" = \"hunter2-secret\"");
        assertThat(secret.getMessage()).doesNotContain("hunter2-secret").contains("applies to SASL only");
    }

    @Test
    void seedStatementsAndJavaNamesAreAccepted() {
        KafkaSourceProperties k = kafka(B.replace("127.0.0.1:9092", "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098")
                + "\"property.security.protocol\" = \"SASL_SSL\", \"property.sasl.mechanism\" = \"OAUTHBEARER\"");
        assertThat(io.inlet.sql.KafkaClientValidation.mskRegion(k.awsProperties(), k.brokerList())).isEqualTo("us-east-1");
        kafka(B + "\"property.security.protocol\" = \"SASL_SSL\", \"property.sasl.mechanisms\" = \"PLAIN\","
                + " \"property.sasl.jaas.config\" = \"org.apache.kafka.common.security.plain.PlainLoginModule required;\","
                + " \"property.max.poll.records\" = \"100\", \"property.fetch.wait.max.ms\" = \"100\"");
        kafka("\"aws.msk.cluster_arn\" = \"arn:aws:kafka:eu-west-1:1:cluster/c/u\", \"kafka_topic\" = \"t\","
                + " \"property.security.protocol\" = \"SASL_SSL\", \"property.sasl.mechanism\" = \"AWS_MSK_IAM\"");
    }

    @Test
    void librdkafkaNamesBecomeJavaClientSettings() throws Exception {
        TestPki pki = TestPki.create("ca");
        Path ca = TestPki.write(dir, "ca.pem", "text before\n" + pki.ca().certificatePem());
        TestPki.Issued client = pki.client("c");
        Path cert = TestPki.write(dir, "c.crt", client.certificatePem());
        Path key = TestPki.write(dir, "c.key", client.privateKeyPem());

        Map<String, Object> plain = KafkaClientConfig.translate(Map.of("security.protocol", "sasl_ssl",
                "sasl.mechanism", "PLAIN", "sasl.username", "user\"x", "sasl.password", "p\\w\"d",
                "group.id", "g", "client.id", "c1", "fetch.wait.max.ms", "50"));
        assertThat(plain).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("client.id", "c1").containsEntry("fetch.max.wait.ms", "50")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"user\\\"x\" password=\"p\\\\w\\\"d\";")
                .doesNotContainKeys("group.id", "sasl.username", "sasl.password", "fetch.wait.max.ms");
        // Kafka's own JAAS parser reads the escaped values back
        var entry = org.apache.kafka.common.security.JaasContext.loadClientContext(Map.of("sasl.jaas.config",
                new org.apache.kafka.common.config.types.Password((String) plain.get("sasl.jaas.config"))))
                .configurationEntries().get(0);
        assertThat(entry.getOptions().get("username")).isEqualTo("user\"x");
        assertThat(entry.getOptions().get("password")).isEqualTo("p\\w\"d");

        Map<String, Object> scram = KafkaClientConfig.translate(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "scram-sha-512", "sasl.username", "u", "sasl.password", "p"));
        assertThat((String) scram.get("sasl.jaas.config")).startsWith("org.apache.kafka.common.security.scram.ScramLoginModule");

        Map<String, Object> tls = KafkaClientConfig.translate(Map.of("security.protocol", "SSL",
                "ssl.ca.location", ca.toString(), "ssl.certificate.location", cert.toString(),
                "ssl.key.location", key.toString(), "ssl.key.password", "unused", "ssl.endpoint.identification.algorithm", "none"));
        assertThat(tls).containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.endpoint.identification.algorithm", "")
                .containsEntry("ssl.truststore.certificates", pki.ca().certificatePem())
                .doesNotContainKey("ssl.key.password"); // the key is not encrypted: librdkafka ignores the password
        assertThat((String) tls.get("ssl.keystore.key")).startsWith("-----BEGIN PRIVATE KEY-----");

        Files.createDirectories(dir.resolve("cadir"));
        TestPki.write(dir.resolve("cadir"), "a.pem", pki.ca().certificatePem());
        TestPki.write(dir.resolve("cadir"), "b.crt", TestPki.create("ca2").ca().certificatePem());
        Map<String, Object> caDir = KafkaClientConfig.translate(Map.of("security.protocol", "SSL",
                "ssl.ca.location", dir.resolve("cadir").toString()));
        assertThat(((String) caDir.get("ssl.truststore.certificates")).split("BEGIN CERTIFICATE")).hasSize(3);

        Map<String, Object> off = KafkaClientConfig.translate(Map.of("security.protocol", "SSL",
                "enable.ssl.certificate.verification", "false"));
        assertThat(off).containsEntry("ssl.trustmanager.algorithm", TrustAllProvider.ALGORITHM)
                .containsEntry("ssl.endpoint.identification.algorithm", "");
        assertThat(javax.net.ssl.TrustManagerFactory.getInstance(TrustAllProvider.ALGORITHM).getTrustManagers())
                .hasSize(1);

        Path encrypted = TestPki.write(dir, "e.key", client.encryptedPrivateKeyPem("pw"));
        assertThatThrownBy(() -> KafkaClientConfig.translate(Map.of("security.protocol", "SSL",
                "ssl.certificate.location", cert.toString(), "ssl.key.location", encrypted.toString())))
                .hasMessageContaining("add property.ssl.key.password");
        assertThatThrownBy(() -> KafkaClientConfig.translate(Map.of("security.protocol", "SSL",
                "ssl.ca.location", key.toString())))
                .hasMessageContaining("holds no PEM certificate").hasMessageNotContaining("PRIVATE KEY-----");
    }

    // ------------------------------------------------------------------------------------- seed 003 precedence

    static MskIamCredentials creds(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        m.put("aws.sts.endpoint", aws.endpoint());
        return MskIamCredentials.from(m, "us-west-1", "inlet-test");
    }

    @Test
    void credentialPrecedenceForEveryCombinationOfSeed003() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIASYSPROPS");
        System.setProperty("aws.secretAccessKey", "sys-secret");
        SystemSettingUtilsTestBackdoor.addEnvironmentVariableOverride("AWS_ACCESS_KEY_ID", "AKIAENV");
        SystemSettingUtilsTestBackdoor.addEnvironmentVariableOverride("AWS_SECRET_ACCESS_KEY", "env-secret");
        Path profiles = TestPki.write(dir, "credentials", "[default]\naws_access_key_id = AKIADEFAULTPROFILE\n"
                + "aws_secret_access_key = default-profile-secret\n[team]\naws_access_key_id = AKIAPROFILE\n"
                + "aws_secret_access_key = profile-secret\n");
        System.setProperty("aws.sharedCredentialsFile", profiles.toString());
        System.setProperty("aws.configFile", dir.resolve("no-config").toString());
        try {
            int calls = aws.assumeRoleCalls().size();
            // 1. aws.access_key/aws.secret_key win over everything
            for (MskIamCredentials c : new MskIamCredentials[] {
                    creds("aws.access_key", "AKIAKEY", "aws.secret_key", "key-secret"),
                    creds("aws.access_key", "AKIAKEY", "aws.secret_key", "key-secret", "aws.role_arn", ROLE),
                    creds("aws.access_key", "AKIAKEY", "aws.secret_key", "key-secret", "aws.credentials_provider", "ENV"),
                    creds("aws.access_key", "AKIAKEY", "aws.secret_key", "key-secret", "aws.role_arn", ROLE,
                            "aws.external_id", "ext-42", "aws.credentials_provider", "INSTANCE_PROFILE")}) {
                assertThat(c.source()).isEqualTo(MskIamCredentials.Source.ACCESS_KEY);
                assertThat(c.resolveCredentials().accessKeyId()).isEqualTo("AKIAKEY");
            }
            assertThat(aws.assumeRoleCalls()).hasSize(calls);

            // 2. else the role, assumed with the provider's credentials (DEFAULT when none) and the external id
            record Case(String provider, String profile, String sourceKey) {}
            for (Case k : new Case[] {new Case("ENV", null, "AKIAENV"), new Case("SYSTEM_PROPERTIES", null, "AKIASYSPROPS"),
                    new Case("DEFAULT", null, "AKIASYSPROPS"), new Case(null, null, "AKIASYSPROPS"),
                    new Case("PROFILE", "team", "AKIAPROFILE")}) {
                MskIamCredentials c = k.provider() == null ? creds("aws.role_arn", ROLE_EXT, "aws.external_id", "ext-42")
                        : k.profile() == null ? creds("aws.role_arn", ROLE_EXT, "aws.external_id", "ext-42",
                        "aws.credentials_provider", k.provider())
                        : creds("aws.role_arn", ROLE_EXT, "aws.external_id", "ext-42", "aws.credentials_provider",
                        k.provider(), "aws.profile_name", k.profile());
                assertThat(c.source()).isEqualTo(MskIamCredentials.Source.ASSUMED_ROLE);
                AwsCredentials got = c.check();
                assertThat(got).isInstanceOf(AwsSessionCredentials.class);
                assertThat(got.accessKeyId()).startsWith("ASIA");
                LocalAws.AssumeRoleCall call = aws.assumeRoleCalls().get(aws.assumeRoleCalls().size() - 1);
                assertThat(call.sourceAccessKeyId()).as(String.valueOf(k)).isEqualTo(k.sourceKey());
                assertThat(call.roleArn()).isEqualTo(ROLE_EXT);
                assertThat(call.externalId()).isEqualTo("ext-42");
                assertThat(call.sessionName()).isEqualTo("inlet-test");
                assertThat(c.describe()).contains(ROLE_EXT).doesNotContain("secret");
                c.close();
            }
            MskIamCredentials refused = creds("aws.role_arn", ROLE_EXT, "aws.external_id", "wrong",
                    "aws.credentials_provider", "ENV");
            assertThatThrownBy(refused::check).hasMessageContaining("STS AssumeRole of aws.role_arn")
                    .hasMessageContaining("AccessDenied").hasMessageContaining("aws.external_id")
                    .hasMessageNotContaining("env-secret");

            // 3. else the provider itself
            assertThat(creds("aws.credentials_provider", "ENV").check().accessKeyId()).isEqualTo("AKIAENV");
            assertThat(creds("aws.credentials_provider", "SYSTEM_PROPERTIES").check().accessKeyId()).isEqualTo("AKIASYSPROPS");
            assertThat(creds().check().accessKeyId()).isEqualTo("AKIASYSPROPS");
            assertThat(creds().provider()).isEqualTo("DEFAULT");
            assertThat(creds("aws.profile_name", "team").check().accessKeyId()).isEqualTo("AKIAPROFILE");
            assertThat(creds("aws.credentials_provider", "PROFILE").check().accessKeyId()).isEqualTo("AKIADEFAULTPROFILE");
            MskIamCredentials instance = creds("aws.credentials_provider", "INSTANCE_PROFILE");
            assertThat(instance.source()).isEqualTo(MskIamCredentials.Source.PROVIDER);
            assertThatThrownBy(instance::check).hasMessageContaining("aws.credentials_provider = INSTANCE_PROFILE")
                    .hasMessageContaining("attach an IAM role");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            System.clearProperty("aws.sharedCredentialsFile");
            System.clearProperty("aws.configFile");
            SystemSettingUtilsTestBackdoor.clearEnvironmentVariableOverrides();
        }
    }

    static KafkaSourceProperties kafka(String from) {
        return ((CreateRoutineLoad) SqlParser.parse("CREATE ROUTINE LOAD j ON t\nFROM KAFKA (\n" + from + "\n)")).kafka();
    }
}
