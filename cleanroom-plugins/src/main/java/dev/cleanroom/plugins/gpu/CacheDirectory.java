package dev.cleanroom.plugins.gpu;

import static dev.cleanroom.engine.config.ConfigKey.optional;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host directory a model server keeps downloaded models in, bind-mounted so the next run does
 * not download them again. {@code ~} and {@code ${user.home}} expand to the user's home; other
 * relative paths start at the TOML file's directory.
 */
public final class CacheDirectory {

    private CacheDirectory() {
    }

    public static String defaultFor(String type) {
        return "~/.cache/cleanroom/" + type;
    }

    public static ConfigKey key(String type, String containerPath, String upstream) {
        return optional("cache_dir", ValueType.STRING, defaultFor(type), "Host directory for downloaded models, "
                + "created if missing and mounted at " + containerPath + " (" + upstream + "); docker run -v DIR:"
                + containerPath);
    }

    public static Path read(ServiceConfig config, String type, List<ConfigProblem> problems) {
        String text = config.string("cache_dir", defaultFor(type));
        if (text.isBlank()) {
            problems.add(config.problem("cache_dir", "must not be empty",
                    "remove it to use " + defaultFor(type) + ", or name a directory"));
            return resolve(defaultFor(type), config.baseDirectory());
        }
        Path path = resolve(text, config.baseDirectory());
        if (Files.exists(path) && !Files.isDirectory(path)) {
            problems.add(config.problem("cache_dir", path + " is a file, not a directory",
                    "name a directory; it is created if missing"));
        }
        return path;
    }

    static Path resolve(String text, Path base) {
        String home = System.getProperty("user.home");
        String expanded = text.replace("${user.home}", home);
        if (expanded.equals("~") || expanded.startsWith("~/")) {
            expanded = home + expanded.substring(1);
        }
        return base.resolve(expanded).normalize().toAbsolutePath();
    }

    /** Creates the directory at start (never during validation, which must not touch the disk). */
    public static void create(Path path) throws CleanroomException {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new CleanroomException("Could not create the model cache directory " + path + ": " + e
                    + ". Perhaps you should set cache_dir to a directory you can write.", e);
        }
    }
}
