package io.inlet.sink;

/**
 * Another runtime claimed the job after this one: its positions moved to a newer owner
 * generation, so this runtime's batch was rolled back and it must stop loading the job.
 */
public class FencedException extends Exception {
    public FencedException(String message) {
        super(message);
    }
}
