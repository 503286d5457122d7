package io.inlet.job;

import io.inlet.sink.RetryLaterException;
import io.inlet.source.kafka.OffsetsOutOfRangeException;
import io.inlet.source.kinesis.KinesisSourceException;
import io.inlet.streamload.StreamLoadException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;

/**
 * Which failures pause a job until a user acts (wrong credentials, missing rights, bad
 * configuration) and which may heal by themselves (a broker or warehouse that is unreachable for a
 * while), so that auto-resume retries only the latter.
 */
final class Faults {

    private Faults() {}

    static boolean healsByItself(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetryLaterException) {
                return true;
            }
            if (t instanceof KinesisSourceException k) {
                return k.reason() == KinesisSourceException.Reason.FAILED; // no stream, no rights: a user must act
            }
            if (t instanceof AuthenticationException || t instanceof AuthorizationException
                    || t instanceof ConfigException || t instanceof InvalidTopicException
                    || t instanceof OffsetsOutOfRangeException) {
                return false;
            }
            if (t instanceof StreamLoadException e && !e.retryable() && !e.outcomeUnknown()) {
                return false; // access denied, unknown table or column, too many filtered rows: a user must act
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("no partition in this topic") || message.contains("authentication failed")
                    || message.contains("authorization failed")) {
                return false;
            }
        }
        return true;
    }
}
