package io.inlet.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class InletLoggingTest {

    @AfterEach
    void clear() {
        System.clearProperty("INLET_LOG_LEVEL");
        System.clearProperty("INLET_KAFKA_CLIENT_LOG_LEVEL");
        System.clearProperty("logback.configurationFile");
    }

    private static LoggerContext configured() {
        LoggerContext context = new LoggerContext();
        InletLogging logging = new InletLogging();
        logging.setContext(context);
        assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        return context;
    }

    @Test
    void theServiceLogsToStderrAtInfoAndTheKafkaClientsOnlyTheirFailures() {
        LoggerContext context = configured();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class,
                a -> assertThat(a.getTarget()).isEqualTo("System.err"));
        assertThat(context.getLogger("io.inlet.job.LoadTask").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.kafka.clients.consumer.KafkaConsumer").getEffectiveLevel())
                .isEqualTo(Level.ERROR);
        assertThat(context.getLogger("org.apache.kafka.common.network.Selector").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("kafka.server.BrokerServer").getEffectiveLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void eachLevelFollowsItsVariable() {
        System.setProperty("INLET_LOG_LEVEL", "debug");
        System.setProperty("INLET_KAFKA_CLIENT_LOG_LEVEL", "INFO");
        LoggerContext context = configured();
        assertThat(context.getLogger("io.inlet.sink.streamload.StreamLoadSession").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("org.apache.kafka.clients.producer.KafkaProducer").getEffectiveLevel())
                .isEqualTo(Level.INFO);
        System.setProperty("INLET_LOG_LEVEL", "loud");
        assertThat(configured().getLogger("io.inlet").getLevel()).as("an unknown level keeps the default").isEqualTo(Level.INFO);
    }

    @Test
    void aConfigurationFileReplacesIt() {
        System.setProperty("logback.configurationFile", "/etc/inlet/logback.xml");
        LoggerContext context = new LoggerContext();
        InletLogging logging = new InletLogging();
        logging.setContext(context);
        assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }

    @Test
    void theRuntimeIsConfiguredByIt() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
        assertThat(context.getLogger("state.change.logger").getLevel()).isEqualTo(Level.ERROR);
    }
}
