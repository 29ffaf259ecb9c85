package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.RegistryLogin;
import dev.cleanroom.engine.spi.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a pull's registry credentials come from, per registry host, first found wins:
 * <ol>
 *   <li>{@code $DOCKER_CONFIG/config.json} (else {@code ~/.docker/config.json}): the credential
 *       helper its {@code credHelpers} names for the host, then its {@code credsStore} helper,
 *       then its {@code auths} entry for the host ({@code identitytoken}, or {@code auth}:
 *       base64 of user:password);</li>
 *   <li>the same three in {@code DOCKER_AUTH_CONFIG} (config.json's JSON in a variable, as CI
 *       systems set it); read after the file, not instead of it, so a developer's own login
 *       wins on their machine;</li>
 *   <li>the build tool's servers (Maven's settings.xml {@code <server>} whose id is the host).</li>
 * </ol>
 * Docker Hub's aliases are one registry ({@link RegistryHost}). A helper that has nothing for
 * the host passes to the next source; one that is missing, fails or hangs (stopped after
 * {@link #HELPER_TIMEOUT}) does too, and is reported in {@link Lookup#problems()}.
 *
 * <p>Why not docker-java's config reader: it ignores credsStore and credHelpers, does not read
 * DOCKER_AUTH_CONFIG, and sends its registry.* properties to any registry.
 */
public final class RegistryAuthLocator {

    /** How long a credential helper may take; a keychain prompt nobody answers must not hang the build. */
    public static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);

    static final String DOCKER_AUTH_CONFIG = "DOCKER_AUTH_CONFIG";

    private final DaemonDiscovery.Environment environment;
    private final Map<String, RegistryLogin> settingsServers;
    private final Duration helperTimeout;

    /** @param settingsServers the build tool's servers by id (settings.xml), passwords decrypted */
    public RegistryAuthLocator(
            DaemonDiscovery.Environment environment,
            Map<String, RegistryLogin> settingsServers,
            Duration helperTimeout) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.settingsServers = Map.copyOf(settingsServers);
        this.helperTimeout = Objects.requireNonNull(helperTimeout, "helperTimeout");
    }

    /** This JVM's environment and home, with the build tool's servers. */
    public static RegistryAuthLocator current(Map<String, RegistryLogin> settingsServers) {
        return new RegistryAuthLocator(DaemonDiscovery.Environment.current(), settingsServers, HELPER_TIMEOUT);
    }

    /**
     * What a pull of {@code image} sends, and from where.
     *
     * @param credentials empty: pull anonymously
     * @param problems sources that could not be read (a missing helper, a file that is not JSON),
     *     each naming the source and never a secret
     * @param searched where was looked, for the error of a refused anonymous pull
     */
    public record Lookup(
            String image,
            String registry,
            Optional<RegistryCredentials> credentials,
            List<String> problems,
            String searched) {

        /** The source errors name: "credential helper `desktop` (credsStore in ...)", "no credentials found for `host`". */
        public String source() {
            return credentials.map(RegistryCredentials::source).orElse("no credentials found for `" + registry + "`");
        }

        /** The X-Registry-Auth header of the pull, or no header for an anonymous one. */
        public Map<String, String> header() {
            return credentials.map(c -> Map.of("X-Registry-Auth", c.header())).orElse(Map.of());
        }
    }

    public Lookup lookup(String image) {
        String registry = RegistryHost.of(image);
        List<String> problems = new ArrayList<>();
        Path configFile = configFile();
        Optional<String> authConfig = environment.setting(DOCKER_AUTH_CONFIG);
        Optional<RegistryCredentials> found = readConfigFile(configFile, problems)
                .flatMap(config -> fromConfig(config, configFile.toString(), registry, problems));
        if (found.isEmpty() && authConfig.isPresent()) {
            found = parse(authConfig.get(), DOCKER_AUTH_CONFIG, problems)
                    .flatMap(config -> fromConfig(config, DOCKER_AUTH_CONFIG, registry, problems));
        }
        if (found.isEmpty()) {
            found = fromSettings(registry);
        }
        String searched = configFile + (Files.isRegularFile(configFile) ? "" : " (absent)") + ", " + DOCKER_AUTH_CONFIG
                + (authConfig.isPresent() ? "" : " (not set)") + " and settings.xml servers";
        return new Lookup(image, registry, found, List.copyOf(problems), searched);
    }

    private Path configFile() {
        return environment
                .setting("DOCKER_CONFIG")
                .map(Path::of)
                .orElse(environment.home().resolve(".docker"))
                .resolve("config.json");
    }

    private static Optional<Map<String, Object>> readConfigFile(Path file, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), problems);
        } catch (IOException e) {
            problems.add(file + " cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Its content is never quoted: it may hold secrets. */
    private static Optional<Map<String, Object>> parse(String json, String where, List<String> problems) {
        Optional<Map<String, Object>> config = Json.object(json);
        if (config.isEmpty()) {
            problems.add(where + " is not valid JSON");
        }
        return config;
    }

    private Optional<RegistryCredentials> fromConfig(
            Map<String, Object> config, String where, String registry, List<String> problems) {
        Optional<String> perHost = entryFor(Json.object(config, "credHelpers"), registry)
                .filter(String.class::isInstance)
                .map(String.class::cast);
        if (perHost.isPresent()) {
            Optional<RegistryCredentials> found =
                    fromHelper(perHost.get(), "credHelpers in " + where, registry, problems);
            if (found.isPresent()) {
                return found;
            }
        }
        Optional<String> store = Json.string(config, "credsStore").filter(name -> !name.isBlank());
        if (store.isPresent()) {
            Optional<RegistryCredentials> found = fromHelper(store.get(), "credsStore in " + where, registry, problems);
            if (found.isPresent()) {
                return found;
            }
        }
        Map<String, Object> auths = Json.object(config, "auths");
        return entryFor(auths, registry)
                .filter(Map.class::isInstance)
                .flatMap(entry -> fromAuths(asObject(entry), "auths in " + where, registry, problems));
    }

    private Optional<RegistryCredentials> fromHelper(
            String name, String namedBy, String registry, List<String> problems) {
        CredentialHelper helper = new CredentialHelper(name, environment, helperTimeout);
        String serverAddress = RegistryHost.serverAddress(registry);
        CredentialHelper.Answer answer = helper.get(serverAddress);
        if (answer instanceof CredentialHelper.Found found) {
            return Optional.of(new RegistryCredentials(
                    found.username(),
                    found.secret(),
                    found.identityToken(),
                    serverAddress,
                    "credential helper `" + name + "` (" + namedBy + ")"));
        }
        if (answer instanceof CredentialHelper.Problem problem) {
            problems.add(problem.text());
        }
        return Optional.empty();
    }

    /** An auths entry: an identity token, else {@code auth} (base64 of user:password), else username and password. */
    private static Optional<RegistryCredentials> fromAuths(
            Map<String, Object> entry, String source, String registry, List<String> problems) {
        String serverAddress = RegistryHost.serverAddress(registry);
        Optional<String> token = Json.string(entry, "identitytoken").filter(t -> !t.isEmpty());
        if (token.isPresent()) {
            return Optional.of(new RegistryCredentials("", token.get(), true, serverAddress, source));
        }
        Optional<String> auth = Json.string(entry, "auth").filter(a -> !a.isEmpty());
        if (auth.isPresent()) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(auth.get().trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                problems.add("the auth for " + registry + " in " + source + " is not base64");
                return Optional.empty();
            }
            int colon = pair.indexOf(':');
            if (colon < 0) {
                problems.add("the auth for " + registry + " in " + source + " is not base64 of user:password");
                return Optional.empty();
            }
            return Optional.of(new RegistryCredentials(
                    pair.substring(0, colon), pair.substring(colon + 1), false, serverAddress, source));
        }
        Optional<String> username = Json.string(entry, "username").filter(u -> !u.isEmpty());
        Optional<String> password = Json.string(entry, "password");
        if (username.isPresent() && password.isPresent()) {
            return Optional.of(new RegistryCredentials(username.get(), password.get(), false, serverAddress, source));
        }
        return Optional.empty(); // e.g. the empty entry the CLI leaves when a credsStore holds the login
    }

    private Optional<RegistryCredentials> fromSettings(String registry) {
        return settingsServers.entrySet().stream()
                .filter(server -> RegistryHost.normalize(server.getKey()).equals(registry))
                .findFirst()
                .map(server -> new RegistryCredentials(
                        server.getValue().username(),
                        server.getValue().password(),
                        false,
                        RegistryHost.serverAddress(registry),
                        "settings.xml server `" + server.getKey() + "`"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object jsonObject) {
        return (Map<String, Object>) jsonObject;
    }

    /** The value whose key names {@code registry}, however the key spells it. */
    private static Optional<Object> entryFor(Map<String, Object> byRegistry, String registry) {
        return byRegistry.entrySet().stream()
                .filter(entry -> RegistryHost.normalize(entry.getKey()).equals(registry))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
