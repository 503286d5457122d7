package io.inlet.source.kafka;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The AWS credentials of one job for MSK IAM and the MSK API, chosen from its {@code aws.*} properties with the
 * precedence Doris documents: {@code aws.access_key}/{@code aws.secret_key} first; else {@code aws.role_arn},
 * assumed through STS with {@code aws.external_id} and with {@code aws.credentials_provider} as the source
 * credentials; else {@code aws.credentials_provider} itself (DEFAULT when absent; PROFILE when only
 * {@code aws.profile_name} is given). The aws-msk-iam-auth signer is handed this provider by
 * {@link MskIamCallbackHandler}. {@code aws.sts.endpoint} overrides the STS endpoint (VPC endpoints, tests).
 */
public final class MskIamCredentials implements AwsCredentialsProvider, AutoCloseable {

    /** How the credentials are chosen, for tests and for SHOW/log text (never a secret). */
    public enum Source { ACCESS_KEY, ASSUMED_ROLE, PROVIDER }

    private final AwsCredentialsProvider delegate;
    private final Source source;
    private final String provider;
    private final String roleArn;
    private final String region;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private MskIamCredentials(Map<String, String> aws, String region, String sessionName) {
        this.region = region;
        String ak = trim(aws.get("aws.access_key"));
        String sk = aws.get("aws.secret_key");
        this.roleArn = trim(aws.get("aws.role_arn"));
        String profile = trim(aws.get("aws.profile_name"));
        String p = trim(aws.get("aws.credentials_provider"));
        this.provider = p != null ? p.toUpperCase(Locale.ROOT) : profile != null ? "PROFILE" : "DEFAULT";
        if (ak != null && sk != null) {
            this.source = Source.ACCESS_KEY;
            this.delegate = StaticCredentialsProvider.create(AwsBasicCredentials.create(ak, sk));
        } else if (roleArn != null) {
            this.source = Source.ASSUMED_ROLE;
            AwsCredentialsProvider sourceCredentials = provider(provider, profile);
            StsClientBuilder sts = StsClient.builder().region(Region.of(region)).credentialsProvider(sourceCredentials);
            String endpoint = trim(aws.get("aws.sts.endpoint"));
            if (endpoint != null) {
                sts.endpointOverride(URI.create(endpoint));
            }
            StsClient client = sts.build();
            closeables.add(client);
            String externalId = trim(aws.get("aws.external_id"));
            StsAssumeRoleCredentialsProvider assume = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(client)
                    .asyncCredentialUpdateEnabled(false)
                    .refreshRequest(r -> {
                        r.roleArn(roleArn).roleSessionName(sessionName);
                        if (externalId != null) {
                            r.externalId(externalId);
                        }
                    })
                    .build();
            closeables.add(assume);
            this.delegate = assume;
        } else {
            this.source = Source.PROVIDER;
            this.delegate = provider(provider, profile);
        }
        if (delegate instanceof AutoCloseable c && source != Source.ASSUMED_ROLE) {
            closeables.add(c);
        }
    }

    /**
     * @param aws         the job's {@code aws.*} properties
     * @param region      the cluster's region (see {@code KafkaClientValidation.mskRegion})
     * @param sessionName the STS role session name, e.g. {@code inlet-db-job}
     */
    public static MskIamCredentials from(Map<String, String> aws, String region, String sessionName) {
        return new MskIamCredentials(aws, region, sanitize(sessionName));
    }

    private static AwsCredentialsProvider provider(String name, String profile) {
        return switch (name) {
            case "ENV" -> EnvironmentVariableCredentialsProvider.create();
            case "SYSTEM_PROPERTIES" -> SystemPropertyCredentialsProvider.create();
            case "INSTANCE_PROFILE" -> InstanceProfileCredentialsProvider.builder().build();
            case "CONTAINER" -> ContainerCredentialsProvider.builder().build();
            case "WEB_IDENTITY" -> WebIdentityTokenFileCredentialsProvider.create();
            case "PROFILE" -> profile == null ? ProfileCredentialsProvider.builder().build()
                    : ProfileCredentialsProvider.builder().profileName(profile).build();
            default -> profile == null ? DefaultCredentialsProvider.builder().build()
                    : DefaultCredentialsProvider.builder().profileName(profile).build();
        };
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return delegate.resolveCredentials();
    }

    public Source source() {
        return source;
    }

    /** The credentials provider: the one used directly, or the STS source of an assumed role. */
    public String provider() {
        return provider;
    }

    public String region() {
        return region;
    }

    /** Where the credentials come from, in the properties' words; never a secret. */
    public String describe() {
        return switch (source) {
            case ACCESS_KEY -> "aws.access_key/aws.secret_key";
            case ASSUMED_ROLE -> "aws.role_arn '" + roleArn + "' assumed through STS with aws.credentials_provider = "
                    + provider + " as the source credentials";
            case PROVIDER -> "aws.credentials_provider = " + provider;
        };
    }

    /** Gets the credentials once (they are cached and refreshed by the provider), or says what to fix. */
    public AwsCredentials check() throws SourceException {
        try {
            return delegate.resolveCredentials();
        } catch (RuntimeException e) {
            throw new SourceException(failure(e), null);
        }
    }

    /** An actionable message for a failure to get credentials: the cause and the properties to check. */
    public String failure(Throwable e) {
        String detail = summary(e);
        if (source == Source.ASSUMED_ROLE) {
            AwsServiceException service = find(e, AwsServiceException.class);
            if (service != null) {
                String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode() + ": ";
                String msg = service.awsErrorDetails() == null ? summary(service) : service.awsErrorDetails().errorMessage();
                return "MSK IAM: STS AssumeRole of aws.role_arn '" + roleArn + "' failed (" + code + msg
                        + "); check aws.role_arn, aws.external_id and the role's trust policy for the source"
                        + " credentials (aws.credentials_provider = " + provider + ")";
            }
            return "MSK IAM: cannot assume aws.role_arn '" + roleArn + "': no source credentials from"
                    + " aws.credentials_provider = " + provider + " (" + detail + "); " + hint(provider);
        }
        return "MSK IAM: cannot get AWS credentials from " + describe() + " (" + detail + "); " + hint(provider);
    }

    private static String hint(String provider) {
        return switch (provider) {
            case "ENV" -> "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment of the Inlet service";
            case "INSTANCE_PROFILE" -> "attach an IAM role (instance profile) to the EC2 instance that runs Inlet,"
                    + " or set aws.access_key/aws.secret_key";
            case "CONTAINER" -> "give the ECS task a task role";
            case "WEB_IDENTITY" -> "set AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE for the service";
            case "SYSTEM_PROPERTIES" -> "set the aws.accessKeyId and aws.secretAccessKey system properties";
            case "PROFILE" -> "check aws.profile_name and the credentials file (~/.aws/credentials)";
            default -> "give aws.access_key/aws.secret_key, or make credentials available to the default chain"
                    + " (environment, profile, container or instance role)";
        };
    }

    static String summary(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SdkException && m.length() > 400) {
            m = m.substring(0, 400) + "...";
        }
        return m.replace('\n', ' ');
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String sanitize(String name) {
        String s = name.replaceAll("[^\\w+=,.@-]", "-");
        if (s.length() < 2) {
            s = "inlet-" + s;
        }
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        return "MskIamCredentials[" + describe() + "]"; // Kafka may print config values: never the secrets
    }
}
