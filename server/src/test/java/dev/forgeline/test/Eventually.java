package dev.forgeline.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something asynchronous (a job, a worker) with a deadline, instead of sleeping a guessed time. */
public final class Eventually {

    private Eventually() {
    }

    public static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        long pause = 20;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what);
            }
            try {
                // Quick at first, then gentler: a condition that asks the API must stay within its rate limit.
                Thread.sleep(pause);
                pause = Math.min(200, pause * 3 / 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
