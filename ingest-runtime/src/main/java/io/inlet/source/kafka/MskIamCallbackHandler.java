package io.inlet.source.kafka;

import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.msk.auth.iam.IAMOAuthBearerToken;
import software.amazon.msk.auth.iam.internals.AWS4SignedPayloadGenerator;
import software.amazon.msk.auth.iam.internals.AWSCredentialsCallback;
import software.amazon.msk.auth.iam.internals.AuthenticationRequestParams;
import software.amazon.msk.auth.iam.internals.UserAgentUtils;
import software.amazon.msk.auth.iam.internals.region.ConfigurableRegionProvider;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Kafka client's MSK IAM callback handler, signing with aws-msk-iam-auth but with the job's own credentials
 * ({@link MskIamCredentials}, handed over in the client configuration under {@link #CREDENTIALS_CONFIG}) and the
 * job's region rather than the JVM-wide default chain. For OAUTHBEARER it is the login callback handler and makes
 * the token (a base64url pre-signed {@code kafka-cluster:Connect} URL, as aws-msk-iam-auth does); for
 * AWS_MSK_IAM it is the client callback handler and supplies the credentials and region to the library's SASL
 * client.
 */
public final class MskIamCallbackHandler implements AuthenticateCallbackHandler {

    /** Client configuration key of the job's {@link MskIamCredentials}; a {@code sasl.} key, so that Kafka's login cache tells jobs apart. */
    public static final String CREDENTIALS_CONFIG = "sasl.inlet.msk.iam.credentials";

    private MskIamCredentials credentials;
    private ConfigurableRegionProvider regionProvider;

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        Object c = configs.get(CREDENTIALS_CONFIG);
        if (!(c instanceof MskIamCredentials creds)) {
            throw new IllegalArgumentException("MSK IAM: the job's AWS credentials are missing from the client configuration");
        }
        this.credentials = creds;
        Region region = Region.of(creds.region());
        this.regionProvider = new ConfigurableRegionProvider() {
            @Override
            public Region getRegion(String host) {
                return region;
            }

            @Override
            public Region getRegion() {
                return region;
            }
        };
    }

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof OAuthBearerTokenCallback token) {
                token.token(token());
            } else if (callback instanceof AWSCredentialsCallback aws) {
                aws.setCustomRegionProvider(regionProvider);
                try {
                    aws.setAwsCredentials(credentials.resolveCredentials());
                } catch (RuntimeException e) {
                    aws.setLoadingException(new IOException(credentials.failure(e)));
                }
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private IAMOAuthBearerToken token() throws IOException {
        AwsCredentials creds;
        try {
            creds = credentials.resolveCredentials();
        } catch (RuntimeException e) {
            throw new IOException(credentials.failure(e));
        }
        try {
            String userAgent = UserAgentUtils.getUserAgentValue();
            AuthenticationRequestParams params = AuthenticationRequestParams.create(
                    "kafka." + credentials.region() + ".amazonaws.com", creds, userAgent, regionProvider);
            SdkHttpFullRequest presigned = new AWS4SignedPayloadGenerator().presignRequest(params);
            String url = presigned.toBuilder().appendRawQueryParameter("User-Agent", userAgent).build().getUri().toString();
            return new IAMOAuthBearerToken(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(url.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IOException("MSK IAM: cannot sign the authentication token: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        // the credentials belong to the job's KafkaSource
    }
}
