package io.inlet.source.kafka;

import io.inlet.sql.KafkaClientValidation;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns the {@code property.*} entries of FROM KAFKA into Java client configuration: the librdkafka names
 * StarRocks and Doris document are translated (SASL username/password → a JAAS configuration, PEM files → PEM
 * trust and key stores, certificate verification off → a trust manager that accepts any certificate and says so
 * in the log on every connection), Java names pass through. Entries that only steer Routine Load itself are not
 * client configuration. MSK IAM is added by {@link KafkaSource}, which owns the job's AWS credentials.
 */
public final class KafkaClientConfig {

    private static final Set<String> ROUTINE_LOAD_ONLY = Set.of("kafka_default_offsets", "kafka_partition_discovery",
            "kafka_out_of_range_offsets", "group.id");
    private static final Set<String> TRANSLATED = Set.of("security.protocol", "sasl.mechanism", "sasl.mechanisms",
            "sasl.username", "sasl.password", "ssl.ca.location", "ssl.ca.pem", "ssl.certificate.location",
            "ssl.certificate.pem", "ssl.key.location", "ssl.key.pem", "enable.ssl.certificate.verification",
            "ssl.endpoint.identification.algorithm");

    private KafkaClientConfig() {}

    /** The Java client configuration for these {@code property.*} entries (keys without the prefix). */
    public static Map<String, Object> translate(Map<String, String> clientProperties) throws SourceException {
        Map<String, Object> out = new HashMap<>();
        clientProperties.forEach((k, v) -> {
            if (ROUTINE_LOAD_ONLY.contains(k) || TRANSLATED.contains(k)) {
                return;
            }
            String alias = KafkaClientValidation.LIBRDKAFKA_ALIASES.get(k);
            out.put(alias != null ? alias : k, v);
        });
        String protocol = KafkaClientValidation.protocol(clientProperties);
        out.put("security.protocol", protocol);
        String mechanism = KafkaClientValidation.mechanism(clientProperties);
        if (mechanism != null) {
            out.put(SaslConfigs.SASL_MECHANISM, mechanism);
        }
        String user = clientProperties.get("sasl.username");
        String password = clientProperties.get("sasl.password");
        if (user != null && password != null && mechanism != null) {
            String module = mechanism.startsWith("SCRAM-") ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            out.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=" + jaasQuote(user) + " password="
                    + jaasQuote(password) + ";");
        }
        boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        if (tls) {
            tls(clientProperties, out);
        }
        return out;
    }

    /** True when the job turned certificate verification off (librdkafka's enable.ssl.certificate.verification). */
    public static boolean verificationDisabled(Map<String, String> clientProperties) {
        String v = clientProperties.get("enable.ssl.certificate.verification");
        return v != null && v.trim().equalsIgnoreCase("false");
    }

    private static void tls(Map<String, String> p, Map<String, Object> out) throws SourceException {
        String ca = p.get("ssl.ca.location");
        if (ca != null && !ca.trim().equalsIgnoreCase("probe")) {
            Path path = Path.of(ca.trim());
            out.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            if (Files.isDirectory(path)) {
                out.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, certificatesIn(path));
            } else {
                out.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG,
                        onlyCertificates(read(path, "property.ssl.ca.location"), "property.ssl.ca.location"));
            }
        }
        if (p.containsKey("ssl.ca.pem")) {
            out.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            out.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, p.get("ssl.ca.pem").trim());
        }
        String cert = p.containsKey("ssl.certificate.location")
                ? read(Path.of(p.get("ssl.certificate.location").trim()), "property.ssl.certificate.location")
                : p.get("ssl.certificate.pem");
        String key = p.containsKey("ssl.key.location")
                ? read(Path.of(p.get("ssl.key.location").trim()), "property.ssl.key.location")
                : p.get("ssl.key.pem");
        if (cert != null && key != null) {
            String keySource = p.containsKey("ssl.key.location") ? "property.ssl.key.location" : "property.ssl.key.pem";
            out.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            out.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG,
                    onlyCertificates(cert, p.containsKey("ssl.certificate.location")
                            ? "property.ssl.certificate.location" : "property.ssl.certificate.pem"));
            String pkcs8 = Pem.pkcs8(key, keySource);
            boolean encrypted = pkcs8.contains("ENCRYPTED");
            if (encrypted && !p.containsKey("ssl.key.password")) {
                throw new SourceException(keySource + " holds an encrypted private key: add property.ssl.key.password");
            }
            if (!encrypted) {
                out.remove(SslConfigs.SSL_KEY_PASSWORD_CONFIG); // librdkafka ignores a password for a plain key
            }
            out.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, pkcs8);
        }
        if (verificationDisabled(p)) {
            out.put(SslConfigs.SSL_TRUSTMANAGER_ALGORITHM_CONFIG, TrustAllProvider.install());
            out.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        }
        String endpoint = p.get("ssl.endpoint.identification.algorithm");
        if (endpoint != null) {
            String v = endpoint.trim().toLowerCase(Locale.ROOT);
            out.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, v.equals("none") ? "" : v);
        }
    }

    private static String read(Path path, String property) throws SourceException {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SourceException("cannot read " + property + " '" + path + "': " + e.getClass().getSimpleName()
                    + "; it must be a readable PEM file on the host that runs Inlet");
        }
    }

    /** The certificates of every PEM file in a directory (librdkafka accepts a CA directory such as /etc/ssl/certs). */
    private static String certificatesIn(Path dir) throws SourceException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isRegularFile(f)) {
                    try {
                        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                        sb.append(Pem.blocks(text, "CERTIFICATE"));
                    } catch (IOException e) {
                        // unreadable entries of a CA directory are skipped, as OpenSSL does
                    }
                }
            }
        } catch (IOException e) {
            throw new SourceException("cannot read the CA directory of property.ssl.ca.location '" + dir + "': "
                    + e.getClass().getSimpleName());
        }
        if (sb.isEmpty()) {
            throw new SourceException("property.ssl.ca.location '" + dir + "' holds no PEM certificate");
        }
        return sb.toString();
    }

    private static String onlyCertificates(String pem, String property) throws SourceException {
        String certs = Pem.blocks(pem, "CERTIFICATE");
        if (certs.isEmpty()) {
            throw new SourceException(property + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** A JAAS option value in double quotes, with backslash and quote escaped. */
    static String jaasQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static List<String> translatedNames() {
        return List.copyOf(TRANSLATED);
    }
}
