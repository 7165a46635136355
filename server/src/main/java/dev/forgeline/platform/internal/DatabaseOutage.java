package dev.forgeline.platform.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import jakarta.annotation.PreDestroy;

/**
 * Whether the database can be reached. When a connection cannot be opened, every later request fails at once
 * (a 503 in milliseconds) instead of each waiting out the pool's connection timeout, while one background probe
 * per second finds out when it is back. The log gets one line when the database goes away and one when it is
 * back; the stack traces that every failing request and job would log meanwhile say nothing more, and are dropped.
 */
@Component
class DatabaseOutage {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final AtomicReference<Instant> since = new AtomicReference<>();
    private final QuietWhileDown quiet = new QuietWhileDown();
    private volatile boolean closed;

    DatabaseOutage() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.addTurboFilter(quiet);
        }
    }

    boolean down() {
        return since.get() != null;
    }

    /** Fails at once while the database is known to be away. */
    void refuseWhileDown() throws SQLTransientConnectionException {
        Instant start = since.get();
        if (start != null) {
            throw new SQLTransientConnectionException("the database has been away since " + start, "08001");
        }
    }

    /** A connection could not be opened: the outage starts, unless it already has. */
    void begin(SQLException cause, BooleanSupplier probe) {
        if (closed || !since.compareAndSet(null, Instant.now())) {
            return;
        }
        log.warn("the database is not reachable ({}): requests that need it answer 503 until it is back", rootMessage(cause));
        Thread.ofVirtual().name("database-probe").start(() -> probeUntilBack(probe));
    }

    private void probeUntilBack(BooleanSupplier probe) {
        while (!closed) {
            try {
                Thread.sleep(PROBE_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed && probe.getAsBoolean()) {
                Instant start = since.getAndSet(null);
                log.warn("the database is reachable again after {} s", Duration.between(start, Instant.now()).toSeconds());
                return;
            }
        }
    }

    /**
     * A failure to open a connection that says the database is away, not that the pool is busy: HikariCP's timeout
     * carries the last connection attempt's failure as its cause only when attempts fail.
     */
    static boolean unreachable(SQLException e) {
        return e.getCause() != null || isConnectionState(e.getSQLState());
    }

    /**
     * An error that retrying later may cure: the database cannot be reached or a connection broke (SQLSTATE class 08,
     * PostgreSQL shutting down), or a transient failure such as a lock timeout. Looks through the whole cause chain,
     * as Spring, jOOQ and the pool wrap one another's exceptions.
     */
    static boolean unavailable(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable e = error; e != null && seen.add(e); e = e.getCause()) {
            if (e instanceof CannotCreateTransactionException || e instanceof CannotGetJdbcConnectionException
                    || e instanceof DataAccessResourceFailureException || e instanceof TransientDataAccessException
                    || e instanceof SQLTransientException || e instanceof SQLNonTransientConnectionException
                    || e instanceof SQLRecoverableException
                    || e instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
                return true;
            }
            if (e instanceof TransactionSystemException tx && tx.getApplicationException() != null
                    && unavailable(tx.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionState(String state) {
        // 08: connection exception; 57P01-57P03: the server is shutting down or cannot take connections yet.
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @PreDestroy
    void close() {
        closed = true;
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.getTurboFilterList().remove(quiet);
        }
    }

    /** While the outage is known and logged, an error that only repeats it is not logged again. */
    private final class QuietWhileDown extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                  Object[] params, Throwable t) {
            if (!down()) {
                return FilterReply.NEUTRAL;
            }
            Throwable error = t != null ? t
                    : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
            return error != null && unavailable(error) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
