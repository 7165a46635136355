package dev.forgeline.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import dev.forgeline.ForgelineApplication;

/**
 * A test of the whole server over real HTTP on a random loopback port, on a real database: the embedded
 * H2 file database in the default test run, PostgreSQL on localhost in the {@code postgres} run
 * ({@code -Dforgeline.test.db=postgres}, see server/pom.xml). Tagged {@code db} so both runs include it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("db")
@SpringBootTest(classes = ForgelineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
public @interface ForgelineTest {
}
