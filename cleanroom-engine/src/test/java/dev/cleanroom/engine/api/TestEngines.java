package dev.cleanroom.engine.api;

import dev.cleanroom.engine.internal.RuntimeFactory;
import dev.cleanroom.engine.internal.ServiceFactory;

/**
 * Engines for tests, with internal parts no adapter may name: a fixed registry and a fake container runtime ({@code FakeRuntime.factory()}). Lives in the test-jar, in
 * the package of {@link CleanroomEngine}, since the builder's methods for these are package-private.
 */
public final class TestEngines {

    private TestEngines() {}

    /** An engine builder with exactly these service types and this container runtime. */
    public static CleanroomEngine.Builder builder(ServiceFactory services, RuntimeFactory runtime) {
        return CleanroomEngine.builder().services(services).runtime(runtime);
    }

    /** An engine builder with exactly these service types, on Docker. */
    public static CleanroomEngine.Builder builderWithServices(ServiceFactory services) {
        return CleanroomEngine.builder().services(services);
    }

    /** An engine builder that discovers its service types and runs them on this container runtime. */
    public static CleanroomEngine.Builder builderWithRuntime(RuntimeFactory runtime) {
        return CleanroomEngine.builder().runtime(runtime);
    }

    /** {@code builder} (e.g. with its {@code plugins(...)}) on this container runtime instead of Docker. */
    public static CleanroomEngine.Builder withRuntime(CleanroomEngine.Builder builder, RuntimeFactory runtime) {
        return builder.runtime(runtime);
    }

    /** {@code builder} with this environment for CI detection instead of the process's. */
    public static CleanroomEngine.Builder withEnvironment(
            CleanroomEngine.Builder builder, java.util.Map<String, String> environment) {
        return builder.environment(environment);
    }

    /** The service types an engine uses. */
    public static ServiceFactory services(CleanroomEngine engine) {
        return engine.services();
    }
}
