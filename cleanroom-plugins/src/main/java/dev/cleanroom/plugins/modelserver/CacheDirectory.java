package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host directory a model server keeps downloaded models in, bind-mounted so the next run does
 * not download them again. {@code ~} and {@code ${user.home}} expand to the user's home; other
 * relative paths start at the TOML file's directory.
 */
public final class CacheDirectory {

    private CacheDirectory() {}

    public static String defaultFor(String type) {
        return "~/.cache/cleanroom/" + type;
    }

    static Key<String> key(String type, String containerPath, String upstream) {
        return Key.string("cache_dir")
                .byDefault(defaultFor(type))
                .doc("Host directory for downloaded models, "
                        + "created if missing and mounted at " + containerPath + " (" + upstream
                        + "); docker run -v DIR:"
                        + containerPath);
    }

    /** The directory as written, checked but not created (reading the settings must not touch the disk). */
    static Path read(Settings settings, Key<String> key, String type) {
        String text = settings.get(key);
        if (text.isBlank()) {
            settings.problem(
                    key, "must not be empty", "remove it to use " + defaultFor(type) + ", or name a directory");
            return resolve(defaultFor(type), settings.baseDirectory());
        }
        Path path = resolve(text, settings.baseDirectory());
        if (Files.exists(path) && !Files.isDirectory(path)) {
            settings.problem(key, path + " is a file, not a directory", "name a directory; it is created if missing");
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
    static void create(Path path) throws CleanroomException {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new CleanroomException(
                    "Could not create the model cache directory " + path + ": " + e
                            + ". Perhaps you should set cache_dir to a directory you can write.",
                    e);
        }
    }
}
