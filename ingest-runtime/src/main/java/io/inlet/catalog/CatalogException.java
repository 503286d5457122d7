package io.inlet.catalog;

/** The job catalog topic cannot be opened, read or written: what failed and what to check, never a secret. */
public class CatalogException extends Exception {
    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }

    public CatalogException(String message) {
        super(message);
    }
}
