package dev.forgeline.test;

import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.logback.LogbackLoggingSystem;

/** Spring Boot's own Logback setup, console included, with the test run's {@link LogCapture} put back after each reset. */
public final class CapturingLoggingSystem extends LogbackLoggingSystem {

    public CapturingLoggingSystem(ClassLoader classLoader) {
        super(classLoader);
    }

    @Override
    public void initialize(LoggingInitializationContext context, String configLocation, LogFile logFile) {
        super.initialize(context, configLocation, logFile);
        LogCapture.install();
    }
}
