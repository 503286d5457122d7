package io.inlet.sink;

/**
 * The warehouse could not take the batch now but may later: the batch was rolled back and is to
 * be loaded again from its start after a pause. {@code versionPressure} says the warehouse asks
 * for fewer, larger loads (StarRocks "too many versions", Doris -235).
 */
public class RetryLaterException extends Exception {

    private final boolean versionPressure;

    public RetryLaterException(String message, boolean versionPressure, Throwable cause) {
        super(message, cause);
        this.versionPressure = versionPressure;
    }

    public boolean versionPressure() {
        return versionPressure;
    }
}
