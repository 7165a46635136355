package dev.forgeline.platform.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connection pool, behind {@link DatabaseOutage}: while the database is away a connection is refused at once,
 * and the first failure to open one starts the outage. Spring, jOOQ, the job scheduler and the health check all
 * take their connections here.
 */
final class FailFastDataSource extends DelegatingDataSource implements AutoCloseable {

    private final DatabaseOutage outage;

    FailFastDataSource(DataSource pool, DatabaseOutage outage) {
        super(pool);
        this.outage = outage;
    }

    @Override
    public Connection getConnection() throws SQLException {
        outage.refuseWhileDown();
        try {
            return obtainTargetDataSource().getConnection();
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        outage.refuseWhileDown();
        try {
            return obtainTargetDataSource().getConnection(username, password);
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
    }

    private void failed(SQLException e) {
        if (DatabaseOutage.unreachable(e)) {
            outage.begin(e, this::reachable);
        }
    }

    private boolean reachable() {
        try (Connection connection = obtainTargetDataSource().getConnection()) {
            return connection.isValid(1);
        } catch (SQLException stillAway) {
            return false;
        }
    }

    /** Closes the pool when the application stops, as Spring would have closed it unwrapped. */
    @Override
    public void close() throws Exception {
        outage.close();
        if (getTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Wrapping {

        @Bean
        static BeanPostProcessor failFastDataSource(ObjectProvider<DatabaseOutage> outage) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof DataSource pool && !(bean instanceof FailFastDataSource)
                            ? new FailFastDataSource(pool, outage.getObject()) : bean;
                }
            };
        }
    }
}
