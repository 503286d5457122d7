package io.inlet.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.List;

/**
 * Inlet's logging, set up in code rather than from a logback.xml, which costs the service's start
 * logback's XML configurator and a parser (about a fifth of a second). Everything goes to stderr;
 * each level can be changed by an environment variable (or system property) of the same name:
 * {@code INLET_LOG_LEVEL} (Inlet, INFO), {@code INLET_KAFKA_CLIENT_LOG_LEVEL} (the Kafka clients,
 * whose failures reach ReasonOfStateChanged anyway) and {@code INLET_KAFKA_LOG_LEVEL} (the
 * in-process broker of {@code inlet demo} and the tests). A {@code -Dlogback.configurationFile}
 * replaces all of it.
 */
public final class InletLogging extends ContextAwareBase implements Configurator {

    private static final List<String> BROKER_LOGGERS = List.of("kafka", "org.apache.kafka.controller",
            "org.apache.kafka.raft", "org.apache.kafka.server", "org.apache.kafka.metadata", "org.apache.kafka.image",
            "org.apache.kafka.storage", "org.apache.kafka.coordinator");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);

        Level broker = level("INLET_KAFKA_LOG_LEVEL", Level.ERROR);
        BROKER_LOGGERS.forEach(name -> context.getLogger(name).setLevel(broker));
        context.getLogger("state.change.logger").setLevel(Level.ERROR);
        context.getLogger("org.apache.kafka.clients").setLevel(level("INLET_KAFKA_CLIENT_LOG_LEVEL", Level.ERROR));
        context.getLogger("org.apache.kafka.common").setLevel(level("INLET_KAFKA_CLIENT_LOG_LEVEL", Level.WARN));
        context.getLogger("io.inlet").setLevel(level("INLET_LOG_LEVEL", Level.INFO));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Level level(String variable, Level otherwise) {
        String value = System.getProperty(variable, System.getenv(variable));
        return value == null || value.isBlank() ? otherwise : Level.toLevel(value.trim(), otherwise);
    }
}
