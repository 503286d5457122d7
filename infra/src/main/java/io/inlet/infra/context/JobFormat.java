package io.inlet.infra.context;

/** The {@code format} property of a rendered {@code CREATE ROUTINE LOAD} statement. */
public enum JobFormat {
    JSON,
    CSV
}
