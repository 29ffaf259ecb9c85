package dev.cleanroom.engine.spi;

/**
 * The answer of one health check. An unhealthy answer means "not yet": the engine asks again
 * until the service's start timeout. A check that knows the service can never become healthy
 * (wrong credentials, say) throws instead, so the start fails at once.
 */
public record HealthStatus(boolean isHealthy, String detail) {

    public HealthStatus {
        detail = detail == null ? "" : detail;
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
}
