package dev.cleanroom.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The services of these Cleanroom files for the annotated test class. Paths are relative to the
 * project's base directory, the test JVM's working directory under Surefire, Failsafe and IDEs.
 *
 * <p>For each file, in this order: the {@code cleanroom.<service>.*} system properties when they
 * name every service of the file (Failsafe after {@code cleanroom:start}): nothing starts; else the
 * services {@code target/cleanroom/cleanroom.properties} names, when the run that started them
 * ({@code cleanroom:start -Dcleanroom.keepRunning=true}) is still up; else the extension starts the
 * file's services before the class and removes them after it, also when the class fails. It never
 * removes services it did not start.
 *
 * <pre>{@code
 * @Cleanroom("src/test/cleanroom/web.clnrm.toml")
 * class WebIT {
 *     @Test void reaches(@CleanroomService("web") ServiceEndpoint web) {
 *         URI.create(web.url());
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CleanroomExtension.class)
public @interface Cleanroom {

    /** One or more {@code *.clnrm.toml} files, relative to the project's base directory. */
    String[] value();
}
