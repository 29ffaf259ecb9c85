package dev.cleanroom.engine.config;

import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.ServicePlugin;
import java.util.List;
import java.util.function.Function;

/**
 * A service type that only has a schema (and optionally a validation rule): parsing never
 * starts a service, so {@link #start} and {@link #healthCheck} refuse to run.
 */
public class SchemaOnlyPlugin implements ServicePlugin {

    /** A key of every {@link ValueType}, one nested table ({@code auth}) and one secret. */
    public static final ConfigSchema BOX_SCHEMA = ConfigSchema.of(
            ConfigKey.required("image", ValueType.STRING, "Image reference"),
            ConfigKey.optional("count", ValueType.INTEGER, "1", "How many"),
            ConfigKey.optional("enabled", ValueType.BOOLEAN, "false", "Switched on"),
            ConfigKey.optional("ratio", ValueType.NUMBER, "1.0", "A fraction"),
            ConfigKey.optional("wait", ValueType.DURATION, "30s", "How long to wait"),
            ConfigKey.optional("command", ValueType.STRING_LIST, "", "An argv list"),
            ConfigKey.optional("env", ValueType.STRING_MAP, "", "Environment variables"),
            ConfigKey.optional("auth.user", ValueType.STRING, "", "User name"),
            ConfigKey.secret("auth.pass", "Password"));

    private final String type;
    private final ConfigSchema schema;
    private final Function<ServiceConfig, List<ConfigProblem>> validation;

    public SchemaOnlyPlugin(String type, ConfigSchema schema) {
        this(type, schema, config -> List.of());
    }

    public SchemaOnlyPlugin(String type, ConfigSchema schema, Function<ServiceConfig, List<ConfigProblem>> validation) {
        this.type = type;
        this.schema = schema;
        this.validation = validation;
    }

    /** Type {@code box} with {@link #BOX_SCHEMA}. */
    public static SchemaOnlyPlugin box() {
        return new SchemaOnlyPlugin("box", BOX_SCHEMA);
    }

    @Override
    public String serviceType() {
        return type;
    }

    @Override
    public String description() {
        return "Schema only, for parser tests";
    }

    @Override
    public ConfigSchema configSchema() {
        return schema;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        return validation.apply(config);
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) {
        throw new UnsupportedOperationException("parser tests never start a service");
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend) {
        throw new UnsupportedOperationException("parser tests never check health");
    }
}
