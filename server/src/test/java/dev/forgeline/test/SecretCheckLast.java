package dev.forgeline.test;

import java.util.Comparator;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/** Test classes in the order they were found (surefire's alphabetical order), with {@link NoSecretInLogsTest} last. */
public final class SecretCheckLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        // A stable sort: every other class keeps its place.
        context.getClassDescriptors().sort(Comparator.comparing(c -> c.getTestClass() == NoSecretInLogsTest.class));
    }
}
