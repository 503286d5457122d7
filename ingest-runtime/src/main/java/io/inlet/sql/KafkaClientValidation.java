package io.inlet.sql;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka client and security checks of {@code FROM KAFKA (...)}: every {@code property.*} key is a librdkafka
 * name Inlet translates (as StarRocks and Doris document them), a Java consumer setting, or a Routine Load key;
 * combinations that cannot work (SCRAM without a password, TLS settings on a PLAINTEXT connection, MSK IAM
 * without a region, ...) are refused with the position of the property to fix. See
 * {@code ingest-runtime/README-kafka-security.md}.
 */
public final class KafkaClientValidation {

    private KafkaClientValidation() {}

    /** librdkafka-style names (without {@code property.}) that Inlet translates to the Java client. */
    public static final Set<String> LIBRDKAFKA_NAMES = Set.of("security.protocol", "sasl.mechanism",
            "sasl.mechanisms", "sasl.username", "sasl.password", "ssl.ca.location", "ssl.ca.pem",
            "ssl.certificate.location", "ssl.certificate.pem", "ssl.key.location", "ssl.key.pem", "ssl.key.password",
            "enable.ssl.certificate.verification", "ssl.endpoint.identification.algorithm", "group.id", "client.id");

    /** librdkafka-only names with a Java equivalent: librdkafka name → Java name. */
    public static final Map<String, String> LIBRDKAFKA_ALIASES = Map.of(
            "fetch.wait.max.ms", "fetch.max.wait.ms",
            "fetch.message.max.bytes", "max.partition.fetch.bytes",
            "socket.timeout.ms", "request.timeout.ms",
            "topic.metadata.refresh.interval.ms", "metadata.max.age.ms");

    /** Routine Load's own keys under {@code property.}. */
    public static final Set<String> ROUTINE_LOAD_NAMES = Set.of("kafka_default_offsets", "kafka_partition_discovery",
            "kafka_out_of_range_offsets");

    /** Java consumer settings Inlet owns: the key → what to use instead. */
    static final Map<String, String> RESERVED = Map.of(
            "bootstrap.servers", "give the brokers in 'kafka_broker_list' (or 'aws.msk.cluster_arn')",
            "enable.auto.commit", "Inlet commits the offsets with the data, exactly once",
            "auto.offset.reset", "use 'property.kafka_default_offsets' or 'kafka_offsets'",
            "key.deserializer", "Inlet reads the raw bytes",
            "value.deserializer", "Inlet reads the raw bytes",
            "group.instance.id", "Inlet's replicas join the job's group as dynamic members, and a replica that stops"
                    + " leaves it at once");

    public static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER",
            "GSSAPI", "AWS_MSK_IAM");

    /** {@code b-1.name.xxxx.c2.kafka.us-east-1.amazonaws.com} and {@code boot-x.c1.kafka-serverless.us-east-1...}. */
    private static final Pattern MSK_HOST = Pattern.compile(
            "\\.kafka(?:-serverless)?\\.([a-z]{2}(?:-[a-z]+)+-\\d+)\\.amazonaws\\.com(?:\\.cn)?(?::\\d+)?$");
    private static final Pattern ARN_REGION = Pattern.compile("^arn:[^:]+:kafka:([a-z]{2}(?:-[a-z]+)+-\\d+):.*");

    /** True when the client properties select MSK IAM: AWS_MSK_IAM, or OAUTHBEARER without a JAAS/OIDC setup of its own. */
    public static boolean isMskIam(Map<String, String> client) {
        String mech = mechanism(client);
        if ("AWS_MSK_IAM".equals(mech)) {
            return true;
        }
        return "OAUTHBEARER".equals(mech) && !client.containsKey("sasl.jaas.config")
                && !client.containsKey("sasl.login.callback.handler.class")
                && !client.containsKey("sasl.oauthbearer.token.endpoint.url");
    }

    /** The SASL mechanism (upper case) from sasl.mechanism or librdkafka's sasl.mechanisms, or null. */
    public static String mechanism(Map<String, String> client) {
        String m = client.getOrDefault("sasl.mechanism", client.get("sasl.mechanisms"));
        return m == null ? null : m.trim().toUpperCase(Locale.ROOT);
    }

    /** security.protocol in upper case, PLAINTEXT when absent. */
    public static String protocol(Map<String, String> client) {
        String p = client.get("security.protocol");
        return p == null ? "PLAINTEXT" : p.trim().toUpperCase(Locale.ROOT);
    }

    /** The region of the MSK cluster: aws.region, else the cluster ARN's, else the first MSK broker host's; or null. */
    public static String mskRegion(Map<String, String> aws, String brokerList) {
        String r = aws.get("aws.region");
        if (r != null && !r.isBlank()) {
            return r.trim();
        }
        String arn = aws.get(KafkaPropertyDefs.MSK_CLUSTER_ARN);
        if (arn != null) {
            Matcher m = ARN_REGION.matcher(arn.trim());
            if (m.matches()) {
                return m.group(1);
            }
        }
        if (brokerList != null) {
            for (String b : brokerList.split(",")) {
                Matcher m = MSK_HOST.matcher(b.trim());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    static void validate(PropertyList props, int fromLine, int fromColumn) {
        Map<String, Property> client = new java.util.LinkedHashMap<>();
        Map<String, String> clientValues = new java.util.LinkedHashMap<>();
        for (Property p : props.items()) {
            String k = p.normalizedKey();
            if (k.startsWith("property.")) {
                String name = k.substring("property.".length());
                client.put(name, p);
                clientValues.put(name, p.value());
            }
        }
        Set<String> javaNames = ConsumerConfig.configNames();
        for (Map.Entry<String, Property> e : client.entrySet()) {
            String name = e.getKey();
            Property p = e.getValue();
            if (RESERVED.containsKey(name)) {
                throw PropertyValidation.at(p, "property '" + p.key() + "' cannot be set: " + RESERVED.get(name));
            }
            if (!LIBRDKAFKA_NAMES.contains(name) && !LIBRDKAFKA_ALIASES.containsKey(name)
                    && !ROUTINE_LOAD_NAMES.contains(name) && !javaNames.contains(name)) {
                throw PropertyValidation.at(p, "unknown Kafka client property '" + p.key()
                        + "': it is neither a librdkafka name Inlet translates nor a Java consumer setting"
                        + suggest(name, javaNames));
            }
            String alias = LIBRDKAFKA_ALIASES.get(name);
            if (alias != null && client.containsKey(alias)) {
                throw PropertyValidation.at(p, "properties '" + p.key() + "' and 'property." + alias
                        + "' set the same thing; give one");
            }
        }

        Optional<Property> mechP = first(client, "sasl.mechanism", "sasl.mechanisms");
        if (client.containsKey("sasl.mechanism") && client.containsKey("sasl.mechanisms")) {
            throw PropertyValidation.at(client.get("sasl.mechanisms"),
                    "properties 'property.sasl.mechanism' and 'property.sasl.mechanisms' set the same thing; give one");
        }
        if (client.containsKey("sasl.mechanisms") && !MECHANISMS.contains(mechanism(clientValues))) {
            throw PropertyValidation.at(client.get("sasl.mechanisms"), "invalid value '"
                    + client.get("sasl.mechanisms").maskedValue() + "' for property 'property.sasl.mechanisms': "
                    + "expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI, AWS_MSK_IAM");
        }
        String protocol = protocol(clientValues);
        String mech = mechanism(clientValues);
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        Property protocolP = client.get("security.protocol");
        boolean jaas = client.containsKey("sasl.jaas.config");

        // SASL
        if (mechP.isPresent() && !sasl) {
            throw PropertyValidation.at(mechP.get(), "property '" + mechP.get().key()
                    + "' needs 'property.security.protocol' SASL_SSL or SASL_PLAINTEXT, but the protocol is " + protocol);
        }
        if (sasl && mech == null && !jaas) {
            throw PropertyValidation.at(protocolP, "security protocol " + protocol + " needs 'property.sasl.mechanism'"
                    + " (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or AWS_MSK_IAM)");
        }
        Optional<Property> user = Optional.ofNullable(client.get("sasl.username"));
        Optional<Property> pass = Optional.ofNullable(client.get("sasl.password"));
        Optional<Property> userOrPass = user.isPresent() ? user : pass;
        if (userOrPass.isPresent()) {
            if (jaas) {
                throw PropertyValidation.at(userOrPass.get(), "give either 'property.sasl.username'/'property.sasl.password'"
                        + " or 'property.sasl.jaas.config', not both");
            }
            if (!sasl) {
                throw PropertyValidation.at(userOrPass.get(), "property '" + userOrPass.get().key() + "' applies to SASL only:"
                        + " set 'property.security.protocol' to SASL_SSL (or SASL_PLAINTEXT) and 'property.sasl.mechanism'");
            }
            if (mech != null && !mech.equals("PLAIN") && !mech.startsWith("SCRAM-")) {
                throw PropertyValidation.at(userOrPass.get(), "property '" + userOrPass.get().key()
                        + "' does not apply to SASL mechanism " + mech
                        + (mech.equals("OAUTHBEARER") || mech.equals("AWS_MSK_IAM")
                        ? "; MSK IAM takes its credentials from the aws.* properties" : ""));
            }
        }
        if (sasl && mech != null && (mech.equals("PLAIN") || mech.startsWith("SCRAM-")) && !jaas
                && (user.isEmpty() || pass.isEmpty())) {
            Property at = user.orElse(pass.orElse(mechP.orElseThrow()));
            throw PropertyValidation.at(at, "sasl.username and sasl.password must be set for SASL " + mech
                    + ": add 'property.sasl.username' and 'property.sasl.password'");
        }

        // MSK IAM and the aws.* keys
        boolean iam = sasl && isMskIam(clientValues);
        boolean clusterArn = props.contains(KafkaPropertyDefs.MSK_CLUSTER_ARN);
        if (iam && !protocol.equals("SASL_SSL")) {
            throw PropertyValidation.at(protocolP != null ? protocolP : mechP.orElseThrow(),
                    "MSK IAM (SASL " + mech + ") needs 'property.security.protocol' = 'SASL_SSL'");
        }
        Map<String, String> aws = new java.util.HashMap<>();
        for (Property p : props.items()) {
            if (p.normalizedKey().startsWith("aws.")) {
                aws.put(p.normalizedKey(), p.value());
            }
        }
        if ((iam || clusterArn) && mskRegion(aws, props.get(KafkaPropertyDefs.BROKER_LIST, null)) == null) {
            Property at = mechP.orElse(props.find(KafkaPropertyDefs.MSK_CLUSTER_ARN).orElse(null));
            String reason = "MSK IAM needs 'aws.region' (the region of the MSK cluster, such as us-east-1)";
            if (at == null) {
                throw new StatementException(fromLine, fromColumn, reason);
            }
            throw PropertyValidation.at(at, reason);
        }
        Optional<Property> externalId = props.find("aws.external_id");
        if (externalId.isPresent() && !props.contains("aws.role_arn")) {
            throw PropertyValidation.at(externalId.get(),
                    "property 'aws.external_id' is sent when assuming 'aws.role_arn'; set 'aws.role_arn' as well");
        }
        Optional<Property> profile = props.find("aws.profile_name");
        Optional<Property> provider = props.find("aws.credentials_provider");
        if (profile.isPresent() && provider.isPresent()) {
            String pv = provider.get().value().trim().toUpperCase(Locale.ROOT);
            if (!pv.equals("PROFILE") && !pv.equals("DEFAULT")) {
                throw PropertyValidation.at(profile.get(), "property 'aws.profile_name' selects a profile of the"
                        + " credentials file, but 'aws.credentials_provider' is " + pv + "; use PROFILE or DEFAULT");
            }
        }
        Optional<Property> brokers = props.find(KafkaPropertyDefs.BROKER_LIST);
        if (brokers.isPresent() && clusterArn) {
            throw PropertyValidation.at(props.find(KafkaPropertyDefs.MSK_CLUSTER_ARN).orElseThrow(),
                    "give either 'kafka_broker_list' or 'aws.msk.cluster_arn', not both");
        }

        // TLS
        for (Map.Entry<String, Property> e : client.entrySet()) {
            String name = e.getKey();
            boolean tlsOnly = (name.startsWith("ssl.") && !name.equals("ssl.key.password"))
                    || name.equals("enable.ssl.certificate.verification");
            if (tlsOnly && !tls) {
                throw PropertyValidation.at(e.getValue(), "property '" + e.getValue().key() + "' applies to TLS"
                        + " connections only: set 'property.security.protocol' to SSL or SASL_SSL (it is " + protocol + ")");
            }
        }
        Property verification = client.get("enable.ssl.certificate.verification");
        boolean verify = true;
        if (verification != null) {
            String v = verification.value().trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw PropertyValidation.at(verification, "invalid value '" + verification.value()
                        + "' for property '" + verification.key() + "': expected true or false");
            }
            verify = v.equals("true");
        }
        Property endpoint = client.get("ssl.endpoint.identification.algorithm");
        if (endpoint != null) {
            String v = endpoint.value().trim().toLowerCase(Locale.ROOT);
            if (!v.isEmpty() && !v.equals("none") && !v.equals("https")) {
                throw PropertyValidation.at(endpoint, "invalid value '" + endpoint.value() + "' for property '"
                        + endpoint.key() + "': expected https or none");
            }
            if (!verify && v.equals("https")) {
                throw PropertyValidation.at(endpoint, "property '" + endpoint.key() + "' = 'https' checks the broker's"
                        + " host name, but 'property.enable.ssl.certificate.verification' = 'false' turns checking off;"
                        + " remove one");
            }
        }
        if (!verify) {
            for (String trust : List.of("ssl.ca.location", "ssl.ca.pem", "ssl.truststore.location",
                    "ssl.truststore.certificates", "ssl.truststore.type")) {
                if (client.containsKey(trust)) {
                    throw PropertyValidation.at(client.get(trust), "property '" + client.get(trust).key()
                            + "' sets the CA to verify the broker with, but 'property.enable.ssl.certificate.verification'"
                            + " = 'false' turns verification off; remove one");
                }
            }
        }
        conflict(client, "ssl.ca.location", "ssl.ca.pem", "ssl.truststore.location", "ssl.truststore.certificates");
        conflict(client, "ssl.certificate.location", "ssl.certificate.pem", "ssl.keystore.location",
                "ssl.keystore.certificate.chain");
        conflict(client, "ssl.key.location", "ssl.key.pem", "ssl.keystore.location", "ssl.keystore.key");
        pair(client, "ssl.certificate.location", "ssl.key.location");
        pair(client, "ssl.certificate.pem", "ssl.key.pem");
        for (String file : List.of("ssl.ca.location", "ssl.certificate.location", "ssl.key.location")) {
            Property p = client.get(file);
            if (p != null && !(file.equals("ssl.ca.location") && p.value().trim().equalsIgnoreCase("probe"))) {
                Path path = Path.of(p.value().trim());
                if (!Files.isReadable(path)) {
                    throw PropertyValidation.at(p, "property '" + p.key() + "': cannot read '" + p.value().trim()
                            + "' (it must be a PEM file on the host that runs Inlet)");
                }
            }
        }
    }

    private static Optional<Property> first(Map<String, Property> client, String... names) {
        for (String n : names) {
            if (client.containsKey(n)) {
                return Optional.of(client.get(n));
            }
        }
        return Optional.empty();
    }

    /** At most one of {@code names} may be given. */
    private static void conflict(Map<String, Property> client, String... names) {
        Property seen = null;
        for (String n : names) {
            Property p = client.get(n);
            if (p != null) {
                if (seen != null) {
                    throw PropertyValidation.at(p, "properties '" + seen.key() + "' and '" + p.key()
                            + "' set the same thing; give one");
                }
                seen = p;
            }
        }
    }

    private static void pair(Map<String, Property> client, String a, String b) {
        Property pa = client.get(a);
        Property pb = client.get(b);
        if ((pa == null) != (pb == null)) {
            Property given = pa != null ? pa : pb;
            String missing = pa != null ? b : a;
            throw PropertyValidation.at(given, "mutual TLS needs both the certificate and its private key: add 'property."
                    + missing + "'");
        }
    }

    private static String suggest(String name, Set<String> javaNames) {
        Set<String> all = new TreeSet<>(javaNames);
        all.addAll(LIBRDKAFKA_NAMES);
        all.addAll(LIBRDKAFKA_ALIASES.keySet());
        all.addAll(ROUTINE_LOAD_NAMES);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String n : all) {
            int d = PropertyValidation.distance(name, n);
            if (d < bestD) {
                bestD = d;
                best = n;
            }
        }
        return best != null && bestD <= Math.max(2, name.length() / 5) ? "; did you mean 'property." + best + "'?" : "";
    }
}
