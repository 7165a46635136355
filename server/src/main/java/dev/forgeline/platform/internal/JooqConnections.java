package dev.forgeline.platform.internal;

import java.sql.Connection;

import javax.sql.DataSource;

import org.jooq.ConnectionProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * jOOQ's connections: the one the current Spring transaction holds, else one from the pool for the statement,
 * exactly as JdbcTemplate takes them. Spring Boot's default wraps the pool in a transaction-aware proxy, which
 * makes a new JDK proxy for every statement and passes every call on the connection through reflection: a
 * twentieth of a worker's CPU while it drains a backlog of deliveries, each a dozen statements.
 */
@Configuration(proxyBeanMethods = false)
class JooqConnections {

    @Bean
    ConnectionProvider jooqConnectionProvider(DataSource dataSource) {
        return new ConnectionProvider() {
            @Override
            public Connection acquire() {
                return DataSourceUtils.getConnection(dataSource);
            }

            @Override
            public void release(Connection connection) {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        };
    }
}
