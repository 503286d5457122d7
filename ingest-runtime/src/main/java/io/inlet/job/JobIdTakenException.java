package io.inlet.job;

/** Another replica saved a job under the same new id at the same moment: the create tries again with the next id. */
public final class JobIdTakenException extends Exception {
    public JobIdTakenException(String message) {
        super(message);
    }
}
