package io.inlet.source.kinesis;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which service errors mean that the credentials may not read the stream. */
class KinesisSourceExceptionTest {

    @Test
    void accessDeniedIsTheErrorCodesOfRefusedCredentials() {
        assertThat(KinesisSourceException.isAccessDenied(error("AccessDeniedException", 400))).isTrue();
        assertThat(KinesisSourceException.isAccessDenied(error("ExpiredTokenException", 400))).isTrue();
        assertThat(KinesisSourceException.isAccessDenied(error("ProvisionedThroughputExceededException", 400)))
                .isFalse();
    }

    /** An emulator's (or a proxy's) HTTP 500 without an error code: a failure to report, not a NullPointerException. */
    @Test
    void anErrorWithoutACodeIsNotAccessDenied() {
        assertThat(KinesisSourceException.isAccessDenied(error(null, 500))).isFalse();
    }

    private static AwsServiceException error(String code, int status) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }
}
