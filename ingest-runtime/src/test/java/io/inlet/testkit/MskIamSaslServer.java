package io.inlet.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SaslAuthenticationException;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.spi.LoginModule;
import javax.security.sasl.SaslServer;
import javax.security.sasl.SaslServerFactory;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Security;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The broker side of SASL AWS_MSK_IAM for tests: the client's JSON payload holds the pre-signed parameters in lower
 * case; they are checked by {@link MskIamAuthority}. {@link Login} is the JAAS login module of the broker's
 * listener: it only registers this SASL server.
 */
public final class MskIamSaslServer implements SaslServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NAMES = Map.of("action", "Action", "x-amz-algorithm", "X-Amz-Algorithm",
            "x-amz-credential", "X-Amz-Credential", "x-amz-date", "X-Amz-Date", "x-amz-signedheaders",
            "X-Amz-SignedHeaders", "x-amz-expires", "X-Amz-Expires", "x-amz-security-token", "X-Amz-Security-Token",
            "x-amz-signature", "X-Amz-Signature");

    private String principal;

    @Override
    public String getMechanismName() {
        return "AWS_MSK_IAM";
    }

    @Override
    public byte[] evaluateResponse(byte[] response) {
        try {
            JsonNode payload = JSON.readTree(response);
            Map<String, String> query = new LinkedHashMap<>();
            payload.fields().forEachRemaining(e -> {
                String name = NAMES.get(e.getKey());
                if (name != null) {
                    query.put(name, e.getValue().asText());
                }
            });
            principal = MskIamAuthority.verify(query, payload.path("host").asText());
            return JSON.writeValueAsBytes(Map.of("version", "2020_10_22", "request-id", UUID.randomUUID().toString()));
        } catch (Exception e) {
            throw new SaslAuthenticationException("Access denied");
        }
    }

    @Override
    public boolean isComplete() {
        return principal != null;
    }

    @Override
    public String getAuthorizationID() {
        return principal;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) {
        throw new IllegalStateException();
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) {
        throw new IllegalStateException();
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        return null;
    }

    @Override
    public void dispose() {
    }

    public static final class Factory implements SaslServerFactory {
        @Override
        public SaslServer createSaslServer(String mechanism, String protocol, String serverName, Map<String, ?> props,
                                           CallbackHandler cbh) {
            return "AWS_MSK_IAM".equals(mechanism) ? new MskIamSaslServer() : null;
        }

        @Override
        public String[] getMechanismNames(Map<String, ?> props) {
            return new String[] {"AWS_MSK_IAM"};
        }
    }

    /** Registers the SASL server; the broker's JAAS login module for the AWS_MSK_IAM listener. */
    public static final class Login implements LoginModule {
        static {
            synchronized (MskIamSaslServer.class) {
                if (Security.getProvider("InletTestMskIam") == null) {
                    Security.addProvider(new Provider("InletTestMskIam", "1.0", "test AWS_MSK_IAM SASL server") {
                        {
                            put("SaslServerFactory.AWS_MSK_IAM", Factory.class.getName());
                        }
                    });
                }
            }
        }

        @Override
        public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
                               Map<String, ?> options) {
        }

        @Override
        public boolean login() {
            return true;
        }

        @Override
        public boolean commit() {
            return true;
        }

        @Override
        public boolean abort() {
            return false;
        }

        @Override
        public boolean logout() {
            return true;
        }
    }
}
