package dev.forgeline.test;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Starts capturing log lines before the first test runs: in this JVM only, so the server processes tests start log
 * exactly as a user's do (their output is captured as text when they stop).
 */
public final class LogCaptureSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        System.setProperty(LoggingSystem.class.getName(), CapturingLoggingSystem.class.getName());
        LogCapture.install();
    }
}
