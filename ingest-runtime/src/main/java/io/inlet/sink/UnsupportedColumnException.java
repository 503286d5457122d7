package io.inlet.sink;

/** A column of the target table has a type the warehouse's loader cannot fill; the message names the column and its type. */
public class UnsupportedColumnException extends RuntimeException {
    public UnsupportedColumnException(String message) {
        super(message);
    }
}
