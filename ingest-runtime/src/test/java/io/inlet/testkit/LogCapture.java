package io.inlet.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a test class logs and prints: a logback appender on the root logger (with the levels of the Kafka
 * client and Inlet raised to INFO/DEBUG while capturing) and a copy of System.out and System.err.
 */
public final class LogCapture implements AutoCloseable {

    private final StringBuffer text = new StringBuffer();
    private final AppenderBase<ILoggingEvent> appender;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final Map<String, Level> levels = new HashMap<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    public LogCapture(Map<String, Level> raise) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                text.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ")
                        .append(e.getFormattedMessage()).append('\n');
                if (e.getThrowableProxy() != null) {
                    text.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
                }
            }
        };
        appender.setContext(ctx);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        raise.forEach((name, level) -> {
            Logger l = ctx.getLogger(name);
            levels.put(name, l.getLevel());
            l.setLevel(level);
        });
        System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
    }

    private OutputStream tee(PrintStream original) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (printed) {
                    printed.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (printed) {
                    printed.write(b, off, len);
                }
            }
        };
    }

    /** The log lines and printed output so far. */
    public String text() {
        synchronized (printed) {
            return text + "\n" + printed.toString(StandardCharsets.UTF_8);
        }
    }

    /** The secrets of {@code secrets} that occur in the captured text. */
    public List<String> leaked(Iterable<String> secrets) {
        String all = text();
        List<String> found = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= 6 && all.contains(s)) {
                found.add(s);
            }
        }
        return found;
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        levels.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
        appender.stop();
    }
}
