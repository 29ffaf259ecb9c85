package dev.cleanroom.plugins.surrealdb;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code surrealdb} service's settings, read from its {@link ServiceConfig} with every problem
 * collected (so validation and start share one reading).
 *
 * @param majorVersion SurrealDB's major version when the image's tag tells it ({@code v2.3.7}),
 *     else empty: then the plugin asks {@code GET /version} once the server runs
 */
record SurrealDbSettings(String image, OptionalInt majorVersion, String user, String pass, String namespace,
                         String database, boolean strict, Storage storage, List<String> init,
                         Optional<Path> initFile, Duration startTimeout) {

    /** A released SurrealDB of the 3.0 line, the line the stand-in's embedded engine (3.0.2) belongs to. */
    static final String DEFAULT_TAG = "v3.0.5";
    static final String REPOSITORY = "surrealdb/surrealdb";
    static final String DEFAULT_CREDENTIAL = "root";
    static final String DEFAULT_NAME = "test";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern IMAGE = Pattern.compile(
            "[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\\w][\\w.-]{0,127})?"
                    + "(?:@sha256:[a-f0-9]{64})?");
    private static final Pattern VERSION_TAG = Pattern.compile("v?(\\d+)\\.\\d+.*");

    /** Where the server keeps its data; the file stores live in the container's {@code /data}. */
    enum Storage {
        MEMORY("memory"), ROCKSDB("rocksdb:/data/db"), SURREALKV("surrealkv:/data/db");

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

    static SurrealDbSettings read(ServiceConfig config, List<ConfigProblem> problems) {
        String image = readImage(config, problems);
        String user = config.string("auth.user", DEFAULT_CREDENTIAL);
        String pass = config.string("auth.pass", DEFAULT_CREDENTIAL);
        if (config.has("auth.pass") && !config.has("auth.user")) {
            problems.add(config.problem("auth.user", "missing: auth.pass is set, but not the user it belongs to",
                    "add auth.user = \"root\", or the name of the server's root user"));
        }
        if (config.has("auth.user") && !config.has("auth.pass")) {
            problems.add(config.problem("auth.pass", "missing: auth.user is set, but not its password",
                    "add auth.pass = \"...\""));
        }
        if (config.has("auth.user") && user.isBlank()) {
            problems.add(config.problem("auth.user", "must not be empty", "write e.g. auth.user = \"root\""));
        }
        if (config.has("auth.pass") && pass.isEmpty()) {
            problems.add(config.problem("auth.pass", "must not be empty", "write e.g. auth.pass = \"root\""));
        }
        String namespace = name(config, "namespace", problems);
        String database = name(config, "database", problems);
        Storage storage = readStorage(config, problems);
        List<String> init = config.stringList("init");
        for (int i = 0; i < init.size(); i++) {
            if (init.get(i).isBlank()) {
                problems.add(config.problem("init", "statement " + (i + 1) + " is empty",
                        "remove it, or write a SurrealQL statement such as \"DEFINE TABLE person SCHEMALESS\""));
            }
        }
        Optional<Path> initFile = readInitFile(config, problems);
        Duration startTimeout = config.duration("start_timeout", DEFAULT_START_TIMEOUT);
        if (startTimeout.isZero()) {
            problems.add(config.problem("start_timeout", "must be more than 0", "write e.g. start_timeout = \"60s\""));
            startTimeout = DEFAULT_START_TIMEOUT;
        }
        return new SurrealDbSettings(image, majorVersionOf(image), user, pass, namespace, database,
                config.bool("strict", false), storage, List.copyOf(init), initFile, startTimeout);
    }

    private static String readImage(ServiceConfig config, List<ConfigProblem> problems) {
        Optional<String> tag = config.string("tag");
        Optional<String> image = config.string("image");
        if (image.isPresent()) {
            if (!IMAGE.matcher(image.get()).matches()) {
                problems.add(config.problem("image", "\"" + image.get() + "\" is not a valid image reference",
                        "write name[:tag] in lower case, e.g. image = \"" + REPOSITORY + ":" + DEFAULT_TAG + "\""));
            }
            if (tag.isPresent()) {
                problems.add(config.problem("tag", "is ignored because image names the whole reference",
                        "remove tag, or remove image and keep tag"));
            }
            return image.get();
        }
        String chosen = tag.orElse(DEFAULT_TAG);
        if (!TAG.matcher(chosen).matches()) {
            problems.add(config.problem("tag", "\"" + chosen + "\" is not a valid image tag",
                    "write a release tag such as tag = \"" + DEFAULT_TAG + "\""));
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

    private static String name(ServiceConfig config, String key, List<ConfigProblem> problems) {
        String value = config.string(key, DEFAULT_NAME);
        if (!NAME.matcher(value).matches()) {
            problems.add(config.problem(key, "\"" + value + "\" is not a valid " + key + " name",
                    "use letters, digits and underscores, starting with a letter or an underscore, e.g. "
                            + key + " = \"" + DEFAULT_NAME + "\""));
        }
        return value;
    }

    private static Storage readStorage(ServiceConfig config, List<ConfigProblem> problems) {
        String value = config.string("storage", Storage.MEMORY.key());
        for (Storage storage : Storage.values()) {
            if (storage.key().equals(value)) {
                return storage;
            }
        }
        problems.add(config.problem("storage", "\"" + value + "\" is not a storage SurrealDB offers here",
                "write storage = \"memory\" (the default), \"rocksdb\" or \"surrealkv\" (files in the container's /data)"));
        return Storage.MEMORY;
    }

    private static Optional<Path> readInitFile(ServiceConfig config, List<ConfigProblem> problems) {
        Optional<String> text = config.string("init_file");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path file = config.baseDirectory().resolve(text.get()).normalize().toAbsolutePath();
        String wrongPath = "create it, or fix the path; relative paths start at " + config.baseDirectory();
        Unreadable why = !Files.exists(file) ? new Unreadable("does not exist", wrongPath)
                : Files.isDirectory(file) ? new Unreadable("is a directory", wrongPath)
                : unreadable(file);
        if (why != null) {
            problems.add(config.problem("init_file", "cannot read " + file + " (from \"" + text.get() + "\"): it "
                    + why.reason(), why.fix()));
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
            return new Unreadable("is not readable by " + System.getProperty("user.name") + ", who runs this build",
                    "make it readable: chmod a+r " + file);
        } catch (CharacterCodingException e) {
            return new Unreadable("is not UTF-8 text", "save it as UTF-8");
        } catch (IOException e) {
            return new Unreadable("cannot be read (" + e + ")", "check the file");
        }
    }

    private record Unreadable(String reason, String fix) {
    }

    /** Defining the namespace and database: v1 had no IF NOT EXISTS; v3 makes a database strict itself. */
    String defineStatements(int major) {
        String ifNotExists = major >= 2 ? "IF NOT EXISTS " : "";
        return "DEFINE NAMESPACE " + ifNotExists + namespace + "; USE NS " + namespace + "; DEFINE DATABASE "
                + ifNotExists + database + (strict && major >= 3 ? " STRICT" : "") + ";";
    }
}
