package io.inlet.source.kinesis;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Set;

/**
 * Kinesis cannot be read, for a reason that waiting will not cure: the stream does not exist, or the credentials
 * have no right to it. The message names the stream and what to check, so that a job can pause with it.
 */
public class KinesisSourceException extends RuntimeException {

    public enum Reason { STREAM_NOT_FOUND, ACCESS_DENIED, FAILED }

    private static final Set<String> DENIED = Set.of("AccessDeniedException", "UnrecognizedClientException",
            "InvalidSignatureException", "ExpiredTokenException", "KMSAccessDeniedException",
            "IncompleteSignature", "MissingAuthenticationToken");

    private final Reason reason;
    private final StreamRef stream;

    public KinesisSourceException(Reason reason, StreamRef stream, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.stream = stream;
    }

    public Reason reason() {
        return reason;
    }

    public StreamRef stream() {
        return stream;
    }

    /** True when the error code says the credentials were refused or lack a right. */
    static boolean isAccessDenied(SdkException e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && a.awsErrorDetails().errorCode() != null && DENIED.contains(a.awsErrorDetails().errorCode());
    }

    static KinesisSourceException streamNotFound(StreamRef stream, String region, String operation,
                                                 SdkException cause) {
        return new KinesisSourceException(Reason.STREAM_NOT_FOUND, stream, "Kinesis stream " + stream
                + " does not exist in region " + region + " (ResourceNotFoundException from " + operation
                + "); check kinesis_stream and aws.region", cause);
    }

    static KinesisSourceException accessDenied(StreamRef stream, String region, String operation,
                                               SdkException cause) {
        return new KinesisSourceException(Reason.ACCESS_DENIED, stream, "the AWS credentials may not read "
                + "Kinesis stream " + stream + " in region " + region + " (" + errorCode(cause) + " from " + operation
                + "); grant kinesis:ListShards, kinesis:GetShardIterator and kinesis:GetRecords on it, or check "
                + "aws.access_key/aws.role_arn/aws.credentials_provider", cause);
    }

    static KinesisSourceException failed(StreamRef stream, String what, SdkException cause) {
        return new KinesisSourceException(Reason.FAILED, stream, what + " of Kinesis stream " + stream + " failed: "
                + errorCode(cause) + ": " + cause.getMessage(), cause);
    }

    private static String errorCode(SdkException e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
    }
}
