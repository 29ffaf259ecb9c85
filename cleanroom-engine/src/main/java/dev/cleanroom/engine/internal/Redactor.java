package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.SecretNames;
import dev.cleanroom.engine.spi.ServiceFactory;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks the secrets of a file (values of keys a plugin marks secret, and of environment
 * variables whose names say they are secrets) in everything shown to users: log lines, step
 * commands and outputs, error messages.
 */
public final class Redactor {

    static final String MASK = "****";
    /** Shorter values would mask ordinary words in every line. */
    private static final int MIN_SECRET_LENGTH = 3;

    private volatile List<String> secrets = List.of();

    Redactor(Set<String> secrets) {
        secrets.forEach(this::add);
    }

    /**
     * Adds a secret learned while running, e.g. a token a plugin took from the environment and
     * passed to a container as a secret variable.
     */
    synchronized void add(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH || secrets.contains(secret)) {
            return;
        }
        List<String> more = new java.util.ArrayList<>(secrets);
        more.add(secret);
        more.sort(Comparator.comparingInt(String::length).reversed());
        secrets = List.copyOf(more);
    }

    public static Redactor forFile(TestFile file, ServiceFactory factory) {
        Set<String> secrets = new LinkedHashSet<>();
        for (ServiceConfig service : file.services().values()) {
            factory.plugin(service.type()).ifPresent(plugin -> {
                for (ConfigKey key : plugin.configSchema().keys()) {
                    if (key.secret()) {
                        service.string(key.path()).ifPresent(secrets::add);
                    }
                    if (key.type() == dev.cleanroom.engine.config.ValueType.STRING_MAP) {
                        service.stringMap(key.path()).forEach((name, value) -> {
                            if (SecretNames.looksSecret(name)) {
                                secrets.add(value);
                            }
                        });
                    }
                }
            });
        }
        file.steps().forEach(step -> step.env().forEach((name, value) -> {
            if (SecretNames.looksSecret(name)) {
                secrets.add(value);
            }
        }));
        return new Redactor(secrets);
    }

    public String apply(String text) {
        List<String> known = secrets;
        if (text == null || known.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : known) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    public List<String> apply(List<String> texts) {
        return texts.stream().map(this::apply).toList();
    }
}
