package io.inlet.testkit;

import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerExtensionsValidatorCallback;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The broker's OAUTHBEARER validator for MSK IAM tokens: decodes the base64url pre-signed URL and recomputes its
 * SigV4 signature with {@link MskIamAuthority}'s keys; the principal is the access key id.
 */
public final class MskIamTokenValidator implements AuthenticateCallbackHandler {

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (c instanceof OAuthBearerValidatorCallback v) {
                try {
                    v.token(validate(v.tokenValue()));
                } catch (RuntimeException e) {
                    v.error("invalid_token", null, null);
                }
            } else if (c instanceof OAuthBearerExtensionsValidatorCallback ext) {
                ext.inputExtensions().map().keySet().forEach(ext::valid);
            } else {
                throw new UnsupportedCallbackException(c);
            }
        }
    }

    static OAuthBearerToken validate(String tokenValue) {
        String url = new String(Base64.getUrlDecoder().decode(tokenValue), StandardCharsets.UTF_8);
        URI uri = URI.create(url);
        require(uri.getHost() != null && uri.getHost().equals("kafka." + MskIamAuthority.region + ".amazonaws.com"));
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(SigV4.decode(pair.substring(0, eq)), SigV4.decode(pair.substring(eq + 1)));
        }
        String principal = MskIamAuthority.verify(query, uri.getHost());
        long start = System.currentTimeMillis();
        long lifetime = start + Long.parseLong(query.getOrDefault("X-Amz-Expires", "900")) * 1000;
        return new OAuthBearerToken() {
            @Override
            public String value() {
                return tokenValue;
            }

            @Override
            public Set<String> scope() {
                return Set.of();
            }

            @Override
            public long lifetimeMs() {
                return lifetime;
            }

            @Override
            public String principalName() {
                return principal;
            }

            @Override
            public Long startTimeMs() {
                return start;
            }
        };
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new SecurityException("not an MSK IAM token");
        }
    }

    @Override
    public void close() {
    }
}
