package dev.cleanroom.plugins.surrealdb;

import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.plugins.container.FileFingerprint;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code surrealdb} service's settings, read once from the file with every problem reported;
 * each run gets a fresh {@link SurrealDbService} of them.
 *
 * @param majorVersion SurrealDB's major version when the image's tag tells it ({@code v2.3.7}),
 *     else empty: then the plugin asks {@code GET /version} once the server runs
 */
record SurrealDbSettings(
        String serviceName,
        String image,
        OptionalInt majorVersion,
        String user,
        String pass,
        String namespace,
        String database,
        boolean strict,
        Storage storage,
        List<String> init,
        Optional<Path> initFile,
        Duration startTimeout)
        implements ServiceDefinition {

    /** A released SurrealDB of the 3.0 line, the line the stand-in's embedded engine (3.0.2) belongs to. */
    static final String DEFAULT_TAG = "v3.0.5";

    static final String REPOSITORY = "surrealdb/surrealdb";
    static final String DEFAULT_CREDENTIAL = "root";
    static final String DEFAULT_NAME = "test";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    static final int PORT = 8000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern IMAGE = Pattern.compile(
            "[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\\w][\\w.-]{0,127})?"
                    + "(?:@sha256:[a-f0-9]{64})?");
    private static final Pattern VERSION_TAG = Pattern.compile("v?(\\d+)\\.\\d+.*");

    /** Where the server keeps its data; the file stores live in the container's {@code /data}. */
    enum Storage {
        MEMORY("memory"),
        ROCKSDB("rocksdb:/data/db"),
        SURREALKV("surrealkv:/data/db");

        private final String path;

        Storage(String path) {
            this.path = path;
        }

        /** The path argument of {@code surreal start}. */
        String path() {
            return path;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static SurrealDbSettings read(Settings settings) {
        String image = readImage(settings);
        String user = settings.get(SurrealDbPlugin.USER);
        String pass = settings.get(SurrealDbPlugin.PASS);
        if (settings.has(SurrealDbPlugin.PASS) && !settings.has(SurrealDbPlugin.USER)) {
            settings.problem(
                    SurrealDbPlugin.USER,
                    "missing: auth.pass is set, but not the user it belongs to",
                    "add auth.user = \"root\", or the name of the server's root user");
        }
        if (settings.has(SurrealDbPlugin.USER) && !settings.has(SurrealDbPlugin.PASS)) {
            settings.problem(
                    SurrealDbPlugin.PASS, "missing: auth.user is set, but not its password", "add auth.pass = \"...\"");
        }
        if (settings.has(SurrealDbPlugin.USER) && user.isBlank()) {
            settings.problem(SurrealDbPlugin.USER, "must not be empty", "write e.g. auth.user = \"root\"");
        }
        if (settings.has(SurrealDbPlugin.PASS) && pass.isEmpty()) {
            settings.problem(SurrealDbPlugin.PASS, "must not be empty", "write e.g. auth.pass = \"root\"");
        }
        List<String> init = settings.get(SurrealDbPlugin.INIT);
        for (int i = 0; i < init.size(); i++) {
            if (init.get(i).isBlank()) {
                settings.problem(
                        SurrealDbPlugin.INIT,
                        "statement " + (i + 1) + " is empty",
                        "remove it, or write a SurrealQL statement such as \"DEFINE TABLE person SCHEMALESS\"");
            }
        }
        return new SurrealDbSettings(
                settings.serviceName(),
                image,
                majorVersionOf(image),
                user,
                pass,
                name(settings, SurrealDbPlugin.NAMESPACE),
                name(settings, SurrealDbPlugin.DATABASE),
                settings.get(SurrealDbPlugin.STRICT),
                readStorage(settings),
                List.copyOf(init),
                readInitFile(settings),
                settings.get(SurrealDbPlugin.START_TIMEOUT));
    }

    private static String readImage(Settings settings) {
        Optional<String> tag = settings.find(SurrealDbPlugin.TAG);
        Optional<String> image = settings.find(SurrealDbPlugin.IMAGE);
        if (image.isPresent()) {
            if (!IMAGE.matcher(image.get()).matches()) {
                settings.problem(
                        SurrealDbPlugin.IMAGE,
                        "\"" + image.get() + "\" is not a valid image reference",
                        "write name[:tag] in lower case, e.g. image = \"" + REPOSITORY + ":" + DEFAULT_TAG + "\"");
            }
            if (tag.isPresent()) {
                settings.problem(
                        SurrealDbPlugin.TAG,
                        "is ignored because image names the whole reference",
                        "remove tag, or remove image and keep tag");
            }
            return image.get();
        }
        String chosen = settings.get(SurrealDbPlugin.TAG);
        if (!TAG.matcher(chosen).matches()) {
            settings.problem(
                    SurrealDbPlugin.TAG,
                    "\"" + chosen + "\" is not a valid image tag",
                    "write a release tag such as tag = \"" + DEFAULT_TAG + "\"");
        }
        return REPOSITORY + ":" + chosen;
    }

    /** The major version a tag such as {@code v2.3.7} or {@code 1.5.0} names; empty for "latest", digests, ... */
    static OptionalInt majorVersionOf(String image) {
        String reference = image.replaceFirst("@sha256:[a-f0-9]{64}$", "");
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        if (colon <= slash) {
            return OptionalInt.empty();
        }
        Matcher m = VERSION_TAG.matcher(reference.substring(colon + 1));
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static String name(Settings settings, Key<String> key) {
        String value = settings.get(key);
        if (!NAME.matcher(value).matches()) {
            settings.problem(
                    key,
                    "\"" + value + "\" is not a valid " + key.path() + " name",
                    "use letters, digits and underscores, starting with a letter or an underscore, e.g. " + key.path()
                            + " = \"" + DEFAULT_NAME + "\"");
        }
        return value;
    }

    private static Storage readStorage(Settings settings) {
        String value = settings.get(SurrealDbPlugin.STORAGE);
        for (Storage storage : Storage.values()) {
            if (storage.key().equals(value)) {
                return storage;
            }
        }
        settings.problem(
                SurrealDbPlugin.STORAGE,
                "\"" + value + "\" is not a storage SurrealDB offers here",
                "write storage = \"memory\" (the default), \"rocksdb\" or \"surrealkv\" (files in the container's /data)");
        return Storage.MEMORY;
    }

    private static Optional<Path> readInitFile(Settings settings) {
        Optional<String> text = settings.find(SurrealDbPlugin.INIT_FILE);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path base = settings.baseDirectory();
        Path file = base.resolve(text.get()).normalize().toAbsolutePath();
        String wrongPath = "create it, or fix the path; relative paths start at " + base;
        Unreadable why = !Files.exists(file)
                ? new Unreadable("does not exist", wrongPath)
                : Files.isDirectory(file) ? new Unreadable("is a directory", wrongPath) : unreadable(file);
        if (why != null) {
            settings.problem(
                    SurrealDbPlugin.INIT_FILE,
                    "cannot read " + file + " (from \"" + text.get() + "\"): it " + why.reason(),
                    why.fix());
        }
        return Optional.of(file);
    }

    /**
     * Why this JVM cannot read the file the way the start will, and the fix; null when it can.
     * The file is never mounted: the plugin reads it itself and sends its statements over HTTP,
     * so the reader that counts is this process, not a user in the container. Hence no mode-bit
     * check (unlike otel_collector's config_file, which the collector's uid 10001 reads) and no
     * Files.isReadable (a root build answers it from its privileges): reading is the check, and
     * it also catches text the start could not decode.
     */
    private static Unreadable unreadable(Path file) {
        try {
            Files.readString(file, StandardCharsets.UTF_8);
            return null;
        } catch (AccessDeniedException e) {
            return new Unreadable(
                    "is not readable by " + System.getProperty("user.name") + ", who runs this build",
                    "make it readable: chmod a+r " + file);
        } catch (CharacterCodingException e) {
            return new Unreadable("is not UTF-8 text", "save it as UTF-8");
        } catch (IOException e) {
            return new Unreadable("cannot be read (" + e + ")", "check the file");
        }
    }

    private record Unreadable(String reason, String fix) {}

    @Override
    public List<String> images() {
        return List.of(image);
    }

    @Override
    public WaitPolicy waitPolicy() {
        return WaitPolicy.of(WaitPolicy.DEFAULT.interval(), startTimeout, 0);
    }

    /** The content of init_file: the statements it ran when it started, so that an edit replaces a service kept for reuse. */
    @Override
    public String reuseFingerprint() {
        return FileFingerprint.of(initFile);
    }

    @Override
    public Service create(ServiceContext context) {
        return new SurrealDbService(this, context);
    }

    /** The server's container: the same for the real image and the stand-in. */
    ContainerSpec containerSpec() {
        List<String> command = new ArrayList<>(List.of("start", "--user", user, "--bind", "0.0.0.0:" + PORT));
        if (strict && majorVersion.orElse(0) < 3) {
            // Unknown versions get it too: 3.x ignores it, and afterReady adds DEFINE DATABASE .. STRICT there.
            command.add("--strict");
        }
        command.add(storage.path());
        return ContainerSpec.builder(image)
                .command(command)
                // In the environment rather than the command line, where docker inspect and ps would show it.
                .secretEnv("SURREAL_PASS", pass)
                .port(PortSpec.container(PORT))
                .build();
    }

    /** Never the password: definitions end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "SurrealDbSettings[" + serviceName + ", " + image + ", user " + user + ", " + namespace + "/" + database
                + (strict ? ", strict" : "") + ", " + storage.key() + "]";
    }

    /** Defining the namespace and database: v1 had no IF NOT EXISTS; v3 makes a database strict itself. */
    String defineStatements(int major) {
        String ifNotExists = major >= 2 ? "IF NOT EXISTS " : "";
        return "DEFINE NAMESPACE " + ifNotExists + namespace + "; USE NS " + namespace + "; DEFINE DATABASE "
                + ifNotExists + database + (strict && major >= 3 ? " STRICT" : "") + ";";
    }
}
