package io.github.virgl4j.renderer;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A test class that leaves virglrenderer 0.10.4 unfit for later renderers in its process, so it
 * runs only in a JVM of its own: java/pom.xml's surefire executions {@code context-fences} and
 * {@code reinit} set {@code virgl4j.test.ownJvm}. Anywhere else (the shared test JVM that
 * {@code -Dtest=PATTERN} would otherwise put it in) it is skipped, with the reason, instead of
 * making the tests after it fail.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfSystemProperty(named = "virgl4j.test.ownJvm", matches = "true",
        disabledReason = "runs only in its own JVM (mvn verify runs it there: surefire executions "
                + "context-fences and reinit in java/pom.xml)")
@interface OwnJvmOnly {
}
