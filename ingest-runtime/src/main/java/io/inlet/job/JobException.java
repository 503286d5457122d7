package io.inlet.job;

/** A statement that is well-formed but cannot be applied: unknown job, wrong state, missing table. */
public class JobException extends RuntimeException {
    public JobException(String message) {
        super(message);
    }
}
