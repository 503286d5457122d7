package io.inlet.testkit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The IAM side of a test MSK cluster: the access keys it knows (with their secret keys and, for temporary
 * credentials, session tokens), and the check of an aws-msk-iam-auth signature — a pre-signed
 * {@code GET /?Action=kafka-cluster:Connect&X-Amz-...} request for host {@code kafka.REGION.amazonaws.com} (OAUTHBEARER)
 * or the broker's host (AWS_MSK_IAM), signed header {@code host}, payload hash of the empty string, and
 * {@code User-Agent} added after signing. Shared by the broker's validators and the tests (one JVM).
 */
public final class MskIamAuthority {

    private record Key(String secret, String sessionToken) {}

    private static final Map<String, Key> KEYS = new ConcurrentHashMap<>();
    private static final AtomicInteger ACCEPTED = new AtomicInteger();
    private static final AtomicInteger REJECTED = new AtomicInteger();
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    public static volatile String region = "us-west-1";

    private MskIamAuthority() {}

    public static void trust(String accessKeyId, String secretKey) {
        KEYS.put(accessKeyId, new Key(secretKey, null));
    }

    public static void trustTemporary(String accessKeyId, String secretKey, String sessionToken) {
        KEYS.put(accessKeyId, new Key(secretKey, sessionToken));
    }

    public static int accepted() {
        return ACCEPTED.get();
    }

    public static int rejected() {
        return REJECTED.get();
    }

    /** Checks the pre-signed parameters (names as in the URL) for {@code host}; returns the access key id. */
    public static String verify(Map<String, String> query, String host) {
        try {
            String id = check(query, host);
            ACCEPTED.incrementAndGet();
            return id;
        } catch (SecurityException e) {
            REJECTED.incrementAndGet();
            throw e;
        }
    }

    private static String check(Map<String, String> query, String host) {
        Map<String, String> signed = new LinkedHashMap<>(query);
        signed.remove("User-Agent");
        String signature = signed.remove("X-Amz-Signature");
        require("AWS4-HMAC-SHA256".equals(signed.get("X-Amz-Algorithm")), "algorithm");
        require("kafka-cluster:Connect".equals(signed.get("Action")), "action");
        require("host".equals(signed.get("X-Amz-SignedHeaders")), "signed headers");
        String credential = signed.get("X-Amz-Credential");
        require(credential != null, "credential");
        String[] scope = credential.split("/");
        require(scope.length == 5 && scope[3].equals("kafka-cluster") && scope[4].equals("aws4_request"), "scope");
        require(scope[2].equals(region), "region " + scope[2]);
        String amzDate = signed.get("X-Amz-Date");
        require(amzDate != null && amzDate.startsWith(scope[1]), "date");
        Instant signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        long expires = Long.parseLong(signed.getOrDefault("X-Amz-Expires", "0"));
        require(Instant.now().isBefore(signedAt.plusSeconds(expires + 300))
                && Instant.now().isAfter(signedAt.minusSeconds(300)), "expired");
        Key key = KEYS.get(scope[0]);
        require(key != null, "unknown access key");
        require(key.sessionToken() == null ? !signed.containsKey("X-Amz-Security-Token")
                : key.sessionToken().equals(signed.get("X-Amz-Security-Token")), "session token");
        String canonical = "GET\n/\n" + SigV4.canonicalQuery(signed) + "\nhost:" + host + "\n\nhost\n"
                + SigV4.EMPTY_SHA256;
        String expected = SigV4.signature(key.secret(), amzDate, scope[2], "kafka-cluster", canonical);
        require(SigV4.equal(expected, signature), "signature mismatch");
        return scope[0];
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new SecurityException("IAM authentication failed: " + what);
        }
    }
}
