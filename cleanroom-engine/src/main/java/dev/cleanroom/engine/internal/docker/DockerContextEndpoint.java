package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.spi.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoint of the docker context the CLI would use, read from the CLI's own files: the
 * context's name from DOCKER_CONTEXT or {@code currentContext} in config.json, its address from
 * {@code contexts/meta/<sha256 of the name>/meta.json}, its TLS material from
 * {@code contexts/tls/<sha256 of the name>/docker/}.
 *
 * <p>Why not docker-java's reader: it loads docker-java's client and Jackson (about 1.4 s and
 * 700 classes per build) to read one small JSON file, and most contexts (Colima, OrbStack,
 * Podman, Rancher Desktop) name a Unix socket the built-in client speaks to directly.
 */
final class DockerContextEndpoint {

    private final DaemonDiscovery.Environment environment;

    DockerContextEndpoint(DaemonDiscovery.Environment environment) {
        this.environment = environment;
    }

    /** The chosen context's name and where it was chosen, or why none is (for the debug output). */
    record Choice(Optional<String> name, String where) {}

    /** Where the docker CLI keeps config.json and contexts: DOCKER_CONFIG, else ~/.docker. */
    Path configDirectory() {
        return environment
                .setting("DOCKER_CONFIG")
                .map(Path::of)
                .orElse(environment.home().resolve(".docker"));
    }

    Choice choice() {
        Optional<String> fromEnvironment = environment.setting("DOCKER_CONTEXT");
        if (fromEnvironment.isPresent()) {
            return new Choice(fromEnvironment.filter(name -> !name.equals("default")), "DOCKER_CONTEXT");
        }
        Path config = configDirectory().resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return new Choice(Optional.empty(), config + " does not exist");
        }
        try {
            Optional<String> current = Json.object(Files.readString(config))
                    .flatMap(c -> Json.string(c, "currentContext"))
                    .filter(name -> !name.isBlank());
            return new Choice(current.filter(name -> !name.equals("default")), "currentContext in " + config);
        } catch (IOException e) {
            // An unreadable config: the CLI falls back to the default context too.
            return new Choice(Optional.empty(), config + " cannot be read: " + e.getMessage());
        }
    }

    /** The endpoint of the context {@code name}, chosen in {@code where}. */
    DaemonEndpoint endpoint(String name, String where) throws DockerUnavailableException {
        String hash = sha256(name);
        Path meta = configDirectory()
                .resolve("contexts")
                .resolve("meta")
                .resolve(hash)
                .resolve("meta.json");
        if (!Files.isRegularFile(meta)) {
            throw new DockerUnavailableException(
                    "The docker context \"" + name + "\" (" + where + ") does not exist: "
                            + meta
                            + " is missing. Perhaps you should choose an existing one (docker context ls, then docker "
                            + "context use NAME) or set DOCKER_HOST.",
                    null);
        }
        Map<String, Object> docker = Json.object(Json.object(read(meta, name), "Endpoints"), "docker");
        String host = Json.string(docker, "Host")
                .filter(h -> !h.isBlank())
                .orElseThrow(() -> new DockerUnavailableException(
                        "The docker context \"" + name + "\" (" + where + ") names no Docker host in " + meta
                                + " (Endpoints.docker.Host). Perhaps you should recreate it (docker context create "
                                + name
                                + " --docker host=unix:///path/to/docker.sock) or set DOCKER_HOST.",
                        null));
        URI uri = DaemonDiscovery.address("host", host, " in the docker context \"" + name + "\" (" + meta + ")");
        Path tls = configDirectory()
                .resolve("contexts")
                .resolve("tls")
                .resolve(hash)
                .resolve("docker");
        boolean hasTlsMaterial =
                Files.isRegularFile(tls.resolve("ca.pem")) || Files.isRegularFile(tls.resolve("cert.pem"));
        if (Json.isTrue(docker, "SkipTLSVerify") && "tcp".equals(uri.getScheme())) {
            throw new DockerUnavailableException(
                    "The docker context \"" + name + "\" (" + where + ") connects to "
                            + host + " with TLS but without verifying the daemon's certificate (SkipTLSVerify), which "
                            + "Cleanroom does not do. Perhaps you should give the context the daemon's CA (docker context "
                            + "update " + name + " --docker host=" + host
                            + ",ca=...,cert=...,key=...) or set DOCKER_HOST.",
                    null);
        }
        String source = "docker context \"" + name + "\"";
        return hasTlsMaterial ? new DaemonEndpoint(uri, source, Optional.of(tls)) : DaemonEndpoint.plain(uri, source);
    }

    private static Map<String, Object> read(Path meta, String name) throws DockerUnavailableException {
        try {
            return Json.object(Files.readString(meta)).orElseThrow(() -> new IOException("not a JSON object"));
        } catch (IOException e) {
            throw new DockerUnavailableException(
                    "The docker context \"" + name + "\" cannot be read from " + meta
                            + " (" + e.getMessage() + "). Perhaps you should recreate it (docker context rm " + name
                            + ", then docker context create) or set DOCKER_HOST.",
                    e);
        }
    }

    /** The CLI names a context's directories by the SHA-256 of its name, in lower-case hex. */
    static String sha256(String name) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
