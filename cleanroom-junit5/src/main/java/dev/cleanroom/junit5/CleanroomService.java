package dev.cleanroom.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the service of this name ({@code [services.NAME]} of a file of the class's
 * {@link Cleanroom}) into a {@link ServiceEndpoint} parameter of a test, lifecycle method or
 * constructor, or into a {@link ServiceEndpoint} field (static fields before {@code @BeforeAll},
 * instance fields when the instance is made).
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CleanroomService {

    /** The service's name in its file. */
    String value();
}
