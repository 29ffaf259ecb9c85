package dev.cleanroom.engine.spi;

/**
 * The answer of one health check. An unhealthy answer means "not yet": the engine asks again
 * until the service's start timeout. A check that knows the service can never become healthy
 * (wrong credentials, say) throws instead, so the start fails at once.
 *
 * @param dialled where a check that could not connect dialled ({@code host:port}), else empty:
 *                a service that stays unreachable may be dialled at the wrong address, and the
 *                engine then says why it chose that one
 */
public record HealthStatus(boolean isHealthy, String detail, String dialled) {

    public HealthStatus {
        detail = detail == null ? "" : detail;
        dialled = dialled == null ? "" : dialled;
    }

    public HealthStatus(boolean isHealthy, String detail) {
        this(isHealthy, detail, "");
    }

    public static HealthStatus ok() {
        return new HealthStatus(true, "");
    }

    public static HealthStatus ok(String detail) {
        return new HealthStatus(true, detail);
    }

    public static HealthStatus notYet(String detail) {
        return new HealthStatus(false, detail);
    }

    /** Not yet: nothing answered a connection to {@code dialled} ({@code host:port}). */
    public static HealthStatus unreachable(String dialled, String detail) {
        return new HealthStatus(false, detail, dialled);
    }
}
