package io.inlet.catalog;

/**
 * A newer runtime opened the job catalog with the same transactional id and fenced this one: this runtime's change
 * was not saved, and none of its later changes will be. The newer runtime owns the jobs now.
 */
public class CatalogFencedException extends CatalogException {
    public CatalogFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
