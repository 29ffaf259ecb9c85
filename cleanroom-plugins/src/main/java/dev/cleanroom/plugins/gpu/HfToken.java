package dev.cleanroom.plugins.gpu;

import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.config.ServiceConfig;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The Hugging Face token for gated models: the {@code hf_token} key, else the system property
 * {@code cleanroom.hf_token} ({@code mvn -Dcleanroom.hf_token=...}), else the environment variable
 * {@code HF_TOKEN}. Passed to the container as the secret variable {@code HF_TOKEN}; never logged.
 *
 * @param value the token
 * @param source where it came from, safe to log
 */
public record HfToken(String value, String source) {

    public static final String ENV = "HF_TOKEN";
    public static final String PROPERTY = "cleanroom.hf_token";

    public static ConfigKey key() {
        return ConfigKey.secret("hf_token", "Hugging Face token for gated models, passed as the HF_TOKEN environment "
                + "variable and masked everywhere; default: -D" + PROPERTY + ", else the environment's HF_TOKEN");
    }

    /**
     * @param properties system properties ({@code System::getProperty} outside tests)
     * @param environment environment variables ({@code System::getenv} outside tests)
     */
    public static Optional<HfToken> read(ServiceConfig config, UnaryOperator<String> properties,
                                         UnaryOperator<String> environment) {
        Optional<String> fromKey = config.string("hf_token").filter(s -> !s.isEmpty());
        if (fromKey.isPresent()) {
            return Optional.of(new HfToken(fromKey.get(), "the key hf_token"));
        }
        String property = properties.apply(PROPERTY);
        if (property != null && !property.isEmpty()) {
            return Optional.of(new HfToken(property, "the system property " + PROPERTY));
        }
        String env = environment.apply(ENV);
        if (env != null && !env.isEmpty()) {
            return Optional.of(new HfToken(env, "the environment variable " + ENV));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "HfToken[****, from " + source + "]";
    }
}
