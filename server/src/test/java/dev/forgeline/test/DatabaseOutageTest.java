package dev.forgeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Readiness follows the database: a server whose PostgreSQL goes away reports readiness DOWN (so a load
 * balancer stops sending it traffic) while staying alive, and comes back when the database does. Always
 * on PostgreSQL, through a proxy that can cut the connection: an embedded database cannot go away.
 */
class DatabaseOutageTest {

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachableAndRecovers() throws Exception {
        URI postgres = URI.create(TestDatabase.postgresUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(postgres.getHost(), postgres.getPort());
             ServerProcess server = ServerProcess.start(Map.of(
                     "FORGELINE_DB_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port() + postgres.getPath(),
                     "FORGELINE_DB_USER", TestDatabase.POSTGRES_USER)).awaitReady(Duration.ofSeconds(60))) {
            TestHttp http = new TestHttp(server.port, null);

            proxy.cut();
            Eventually.await("readiness DOWN", Duration.ofSeconds(30),
                    () -> http.get("/actuator/health/readiness").statusCode() == 503);
            assertThat(http.get("/actuator/health/liveness").statusCode()).as("alive all the same").isEqualTo(200);

            proxy.restore();
            Eventually.await("readiness UP again", Duration.ofSeconds(30),
                    () -> http.get("/actuator/health/readiness").statusCode() == 200);
        }
    }
}
