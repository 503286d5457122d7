package io.inlet.source.kinesis;

import io.inlet.sql.KinesisSourceProperties;
import io.inlet.source.kafka.MskIamCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

import java.net.URI;

/**
 * The Kinesis client of one job, made from its FROM KINESIS properties: the region (given, or the stream ARN's),
 * {@code aws.endpoint}, and credentials as for Amazon MSK (Doris documents Kinesis authentication as MSK's):
 * {@code aws.access_key}/{@code aws.secret_key} with {@code aws.session_key} when given, else the role, profile or
 * provider that {@link MskIamCredentials} chooses. Closing it closes the client and the credentials.
 */
public final class KinesisConnection implements AutoCloseable {
    private final KinesisClient client;
    private final AutoCloseable credentials;
    private final StreamRef stream;

    private KinesisConnection(KinesisClient client, AutoCloseable credentials, StreamRef stream) {
        this.client = client;
        this.credentials = credentials;
        this.stream = stream;
    }

    /**
     * @param sessionName the STS role session name when a role is assumed, e.g. {@code inlet-db-job}
     */
    public static KinesisConnection open(KinesisSourceProperties p, String sessionName) {
        var aws = p.awsProperties();
        String sessionKey = aws.get("aws.session_key");
        AwsCredentialsProvider credentials;
        AutoCloseable closeable = null;
        if (sessionKey != null && aws.get("aws.access_key") != null) {
            credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    aws.get("aws.access_key").trim(), aws.get("aws.secret_key"), sessionKey));
        } else {
            MskIamCredentials chosen = MskIamCredentials.from(aws, p.region(), sessionName);
            credentials = chosen;
            closeable = chosen;
        }
        KinesisClientBuilder b = KinesisClient.builder().region(Region.of(p.region())).credentialsProvider(credentials);
        if (p.endpoint() != null) {
            b.endpointOverride(URI.create(p.endpoint()));
        }
        return new KinesisConnection(b.build(), closeable, StreamRef.of(p.stream()));
    }

    public KinesisClient client() {
        return client;
    }

    public StreamRef stream() {
        return stream;
    }

    @Override
    public void close() throws Exception {
        client.close();
        if (credentials != null) {
            credentials.close();
        }
    }
}
