package io.inlet.config;

/** The configuration is missing a key or has a bad value; the message names the key. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
