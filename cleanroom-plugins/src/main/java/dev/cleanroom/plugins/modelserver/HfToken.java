package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.Key;
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

    public static final Key<String> KEY = Key.secret("hf_token")
            .doc("Hugging Face token for gated models, passed as "
                    + "the HF_TOKEN environment variable and masked everywhere; default: -D" + PROPERTY
                    + ", else the environment's HF_TOKEN");

    /**
     * @param fromKey the value of {@code hf_token}, when written
     * @param properties system properties ({@code System::getProperty} outside tests)
     * @param environment environment variables ({@code System::getenv} outside tests)
     */
    public static Optional<HfToken> read(
            Optional<String> fromKey, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Optional<String> written = fromKey.filter(s -> !s.isEmpty());
        if (written.isPresent()) {
            return Optional.of(new HfToken(written.get(), "the key hf_token"));
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

    /** The log line that says where the token came from, or how to give one. */
    static String describe(Optional<HfToken> token) {
        return token.map(t -> "HF_TOKEN: from " + t.source())
                .orElse("HF_TOKEN: none (set hf_token, -D" + PROPERTY + " or HF_TOKEN for gated models)");
    }

    @Override
    public String toString() {
        return "HfToken[****, from " + source + "]";
    }
}
