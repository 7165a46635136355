package dev.forgeline.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * Every log line of the test run, for {@link NoSecretInLogsTest}: what this JVM logs (an appender beside the console
 * one, which stays as it is) and what the server processes the tests start print. Only the text is kept.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

    static final String NAME = "forgeline-test-capture";
    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();
    private static final AtomicLong IN_PROCESS = new AtomicLong();

    /** Adds the capture to the root logger unless it is there already; again after each reset of the logging system. */
    public static synchronized void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("the tests log through Logback, found " + LoggerFactory.getILoggerFactory().getClass());
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(NAME) == null) {
            LogCapture capture = new LogCapture();
            capture.setName(NAME);
            capture.setContext(context);
            capture.start();
            root.addAppender(capture);
        }
    }

    /** The output of a process the tests ran (a server, a command), line by line. */
    public static void addOutput(String output) {
        output.lines().forEach(LINES::add);
    }

    static List<String> lines() {
        return new ArrayList<>(LINES);
    }

    static long inProcessLines() {
        return IN_PROCESS.get();
    }

    @Override
    protected void append(ILoggingEvent event) {
        IN_PROCESS.incrementAndGet();
        LINES.add(event.getLoggerName() + " " + event.getFormattedMessage());
        for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
            LINES.add(thrown.getClassName() + ": " + thrown.getMessage());
        }
    }
}
