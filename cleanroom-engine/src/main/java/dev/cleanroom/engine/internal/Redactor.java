package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.SecretNames;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets of a file (values of keys a plugin marks secret, and of environment
 * variables whose names say they are secrets) in everything shown to users: log lines, step
 * commands and outputs, error messages.
 */
public final class Redactor {

    static final String MASK = "****";
    /**
     * {@code scheme://user:PASSWORD@host}: a connection URL carries its password whatever the
     * variable holding it is called. The password ends at the last '@' before the host, and
     * has no '/', whitespace or quote, which URL syntax does not allow unencoded.
     */
    private static final Pattern URL_PASSWORD = Pattern.compile(
            "(?<prefix>\\b[A-Za-z][A-Za-z0-9+.-]*://[^\\s/@:'\"]*:)(?<password>[^\\s/'\"]+?)(?=@[^\\s@/'\"]*(?:[/?#\\s'\"]|$))");
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
                for (Key<?> key : plugin.keys()) {
                    if (key.isSecret()) {
                        service.string(key.path()).ifPresent(secrets::add);
                    }
                    if (key.kind() == Key.Kind.STRING_MAP) {
                        service.stringMap(key.path()).forEach((name, value) -> {
                            if (SecretNames.looksSecret(name)) {
                                secrets.add(value);
                            }
                        });
                    }
                }
            });
        }
        file.steps()
                .forEach(step -> step.env().forEach((name, value) -> {
                    if (SecretNames.looksSecret(name)) {
                        secrets.add(value);
                    }
                }));
        secrets.addAll(urlPasswordsIn(file, factory));
        return new Redactor(secrets);
    }

    /**
     * The passwords of URLs written anywhere in the file (service keys, step commands and env),
     * so a program that prints the password alone is masked too.
     */
    private static Set<String> urlPasswordsIn(TestFile file, ServiceFactory factory) {
        Set<String> passwords = new LinkedHashSet<>();
        for (ServiceConfig service : file.services().values()) {
            factory.plugin(service.type())
                    .ifPresent(plugin -> plugin.keys().forEach(key -> {
                        switch (key.kind()) {
                            case STRING ->
                                addUrlPasswords(service.string(key.path()).orElse(null), passwords);
                            case STRING_LIST -> addUrlPasswords(service.stringList(key.path()), passwords);
                            case STRING_MAP -> addUrlPasswords(service.stringMap(key.path()), passwords);
                            default -> {}
                        }
                    }));
        }
        file.steps().forEach(step -> {
            step.command().forEach(arg -> addUrlPasswords(arg, passwords));
            step.env().values().forEach(value -> addUrlPasswords(value, passwords));
        });
        return passwords;
    }

    private static void addUrlPasswords(Object value, Set<String> passwords) {
        if (value instanceof String text) {
            Matcher m = URL_PASSWORD.matcher(text);
            while (m.find()) {
                passwords.add(m.group("password"));
            }
        } else if (value instanceof java.util.Collection<?> items) {
            items.forEach(item -> addUrlPasswords(item, passwords));
        } else if (value instanceof java.util.Map<?, ?> map) {
            map.values().forEach(item -> addUrlPasswords(item, passwords));
        }
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String result = URL_PASSWORD.matcher(text).replaceAll("${prefix}" + MASK);
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    public List<String> apply(List<String> texts) {
        return texts.stream().map(this::apply).toList();
    }
}
