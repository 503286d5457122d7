package io.inlet.sink;

/** The target table of a job does not exist in the warehouse. */
public class TableNotFoundException extends Exception {
    public TableNotFoundException(String message) {
        super(message);
    }
}
