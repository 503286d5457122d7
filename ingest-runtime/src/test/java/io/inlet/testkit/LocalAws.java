package io.inlet.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Local stand-ins for the AWS endpoints a job calls, on loopback: STS AssumeRole (checks the SigV4 signature of the
 * source credentials, the role ARN and the external id, and returns temporary credentials that
 * {@link MskIamAuthority} then accepts), the MSK API's GetBootstrapBrokers, and the EC2 instance metadata service
 * (IMDSv2) handing out instance-profile credentials.
 */
public final class LocalAws implements AutoCloseable {

    /** One AssumeRole call as received. */
    public record AssumeRoleCall(String sourceAccessKeyId, String roleArn, String externalId, String sessionName) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final Map<String, String> callers = new ConcurrentHashMap<>(); // access key → secret (signature check)
    private final Map<String, String> roles = new ConcurrentHashMap<>();   // role ARN → required external id ("" none)
    private final Map<String, Map<String, String>> clusters = new ConcurrentHashMap<>();
    private final List<AssumeRoleCall> assumeRoleCalls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> secrets = Collections.synchronizedList(new ArrayList<>());
    private volatile String[] instanceCredentials;

    public LocalAws() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Credentials that may call STS and the MSK API. */
    public LocalAws caller(String accessKeyId, String secretKey) {
        callers.put(accessKeyId, secretKey);
        return this;
    }

    /** A role that may be assumed; {@code externalId} null when none is required. */
    public LocalAws role(String roleArn, String externalId) {
        roles.put(roleArn, externalId == null ? "" : externalId);
        return this;
    }

    /** The instance profile's credentials, as IMDS serves them. */
    public LocalAws instanceProfile(String accessKeyId, String secretKey, String token) {
        instanceCredentials = new String[] {accessKeyId, secretKey, token};
        return this;
    }

    /** An MSK cluster: its GetBootstrapBrokers fields (bootstrapBrokerStringSaslIam, ...). */
    public LocalAws cluster(String arn, Map<String, String> bootstrap) {
        clusters.put(arn, bootstrap);
        return this;
    }

    public List<AssumeRoleCall> assumeRoleCalls() {
        return List.copyOf(assumeRoleCalls);
    }

    /** Every secret this server handed out (for the scan of the logs). */
    public List<String> issuedSecrets() {
        return List.copyOf(secrets);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (path.startsWith("/latest/")) {
                imds(ex, path);
            } else if (path.startsWith("/v1/clusters/")) {
                msk(ex, path, body);
            } else if (ex.getRequestMethod().equals("POST")) {
                sts(ex, body);
            } else {
                send(ex, 404, "text/plain", "not found", Map.of());
            }
        } catch (RuntimeException e) {
            send(ex, 500, "text/plain", e.toString(), Map.of());
        }
    }

    // ------------------------------------------------------------------------------------------------ STS

    private void sts(HttpExchange ex, byte[] body) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String caller = verifySignature(ex, body, "sts");
        if (caller == null) {
            stsError(ex, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
            return;
        }
        if (!"AssumeRole".equals(form.get("Action"))) {
            stsError(ex, 400, "InvalidAction", "only AssumeRole");
            return;
        }
        String roleArn = form.get("RoleArn");
        String externalId = form.get("ExternalId");
        assumeRoleCalls.add(new AssumeRoleCall(caller, roleArn, externalId, form.get("RoleSessionName")));
        String required = roles.get(roleArn);
        if (required == null || !(required.isEmpty() ? externalId == null : required.equals(externalId))) {
            stsError(ex, 403, "AccessDenied", "User: " + caller + " is not authorized to perform: sts:AssumeRole on"
                    + " resource: " + roleArn);
            return;
        }
        String id = "ASIA" + random(8).toUpperCase();
        String secret = random(20);
        String token = "FwoG" + random(40);
        secrets.add(secret);
        secrets.add(token);
        MskIamAuthority.trustTemporary(id, secret, token);
        callers.put(id, secret);
        String xml = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                + "<Credentials><AccessKeyId>" + id + "</AccessKeyId><SecretAccessKey>" + secret + "</SecretAccessKey>"
                + "<SessionToken>" + token + "</SessionToken><Expiration>" + Instant.now().plus(1, ChronoUnit.HOURS)
                + "</Expiration></Credentials><AssumedRoleUser><Arn>" + roleArn.replace(":iam:", ":sts:")
                .replace(":role/", ":assumed-role/") + "/" + form.get("RoleSessionName") + "</Arn><AssumedRoleId>AROA"
                + random(8).toUpperCase() + ":" + form.get("RoleSessionName") + "</AssumedRoleId></AssumedRoleUser>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>" + random(8) + "</RequestId></ResponseMetadata>"
                + "</AssumeRoleResponse>";
        send(ex, 200, "text/xml", xml, Map.of());
    }

    private void stsError(HttpExchange ex, int status, String code, String message) throws IOException {
        send(ex, status, "text/xml", "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                + "<RequestId>" + random(8) + "</RequestId></ErrorResponse>", Map.of());
    }

    /** The caller's access key when the request's SigV4 Authorization header verifies, else null. */
    private String verifySignature(HttpExchange ex, byte[] body, String service) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
            return null;
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String p : auth.substring("AWS4-HMAC-SHA256 ".length()).split(",\\s*")) {
            int eq = p.indexOf('=');
            parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        String[] scope = parts.getOrDefault("Credential", "").split("/");
        if (scope.length != 5 || !scope[3].equals(service)) {
            return null;
        }
        String secret = callers.get(scope[0]);
        if (secret == null) {
            return null;
        }
        String signedHeaders = parts.get("SignedHeaders");
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String h : signedHeaders.split(";")) {
            String v = h.equals("host") ? ex.getRequestHeaders().getFirst("Host") : ex.getRequestHeaders().getFirst(h);
            canonicalHeaders.append(h).append(':').append(v == null ? "" : v.trim().replaceAll("\\s+", " ")).append('\n');
        }
        String payloadHash = ex.getRequestHeaders().getFirst("x-amz-content-sha256");
        if (payloadHash == null || payloadHash.startsWith("STREAMING")) {
            payloadHash = SigV4.hex(SigV4.sha256(body));
        }
        TreeMap<String, String> query = new TreeMap<>();
        String rawQuery = ex.getRequestURI().getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                query.put(SigV4.decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : SigV4.decode(pair.substring(eq + 1)));
            }
        }
        String path = ex.getRequestURI().getRawPath();
        String canonicalPath = java.util.Arrays.stream(path.split("/", -1)).map(seg -> SigV4.encode(SigV4.decode(seg)))
                .map(SigV4::encode).collect(Collectors.joining("/"));
        String canonicalPathOnce = java.util.Arrays.stream(path.split("/", -1)).map(seg -> SigV4.encode(SigV4.decode(seg)))
                .collect(Collectors.joining("/"));
        String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
        for (String p : List.of(canonicalPath, canonicalPathOnce)) {
            String canonical = ex.getRequestMethod() + "\n" + (p.isEmpty() ? "/" : p) + "\n" + SigV4.canonicalQuery(query)
                    + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
            if (SigV4.equal(SigV4.signature(secret, amzDate, scope[2], service, canonical), parts.get("Signature"))) {
                return scope[0];
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ MSK

    private void msk(HttpExchange ex, String path, byte[] body) throws IOException {
        String caller = verifySignature(ex, body, "kafka");
        if (caller == null) {
            send(ex, 403, "application/json", "{\"message\":\"The security token included in the request is invalid.\"}",
                    Map.of("x-amzn-ErrorType", "UnrecognizedClientException"));
            return;
        }
        String arn = SigV4.decode(path.substring("/v1/clusters/".length(), path.lastIndexOf("/bootstrap-brokers")));
        Map<String, String> c = clusters.get(arn);
        if (c == null) {
            send(ex, 404, "application/json", "{\"message\":\"The requested resource could not be found.\"}",
                    Map.of("x-amzn-ErrorType", "NotFoundException"));
            return;
        }
        String json = c.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        send(ex, 200, "application/json", json, Map.of());
    }

    // ------------------------------------------------------------------------------------------------ IMDS

    private void imds(HttpExchange ex, String path) throws IOException {
        String[] creds = instanceCredentials;
        if (path.equals("/latest/api/token") && ex.getRequestMethod().equals("PUT")) {
            send(ex, 200, "text/plain", "imds-session-" + random(8), Map.of());
        } else if (creds == null) {
            send(ex, 404, "text/plain", "not found", Map.of());
        } else if (path.matches("/latest/meta-data/iam/security-credentials(-extended)?/?")) {
            send(ex, 200, "text/plain", "inlet-instance-role", Map.of());
        } else if (path.matches("/latest/meta-data/iam/security-credentials(-extended)?/inlet-instance-role/?")) {
            send(ex, 200, "application/json", "{\"Code\":\"Success\",\"LastUpdated\":\"" + Instant.now()
                    + "\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"" + creds[0] + "\",\"SecretAccessKey\":\"" + creds[1]
                    + "\",\"Token\":\"" + creds[2] + "\",\"Expiration\":\"" + Instant.now().plus(6, ChronoUnit.HOURS)
                    .truncatedTo(ChronoUnit.SECONDS) + "\"}", Map.of());
        } else {
            send(ex, 404, "text/plain", "not found", Map.of());
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("x-amzn-RequestId", random(8));
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
