package io.inlet.transform;

/** The job's COLUMNS or WHERE do not fit the target table. */
public class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }
}
