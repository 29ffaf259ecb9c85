package dev.cleanroom.plugins.surrealdb;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import java.time.Duration;
import java.util.List;

/**
 * {@code surrealdb}: a SurrealDB server that accepts the configured root credentials and has the
 * namespace and database (strict on request) and the user's init statements in place before it
 * counts as ready.
 *
 * <p>Strict mode depends on the version: 1.x and 2.x take {@code --strict} at start; 3.x ignores
 * that flag and wants {@code DEFINE DATABASE .. STRICT}. The version comes from the image's tag
 * when it is one ({@code v2.3.7}); otherwise the server is started with {@code --strict} and
 * asked ({@code GET /version}) once it runs, and a 3.x server also gets the statement.
 */
public final class SurrealDbPlugin implements ServicePlugin {

    public static final String TYPE = "surrealdb";

    static final Key<String> TAG =
            Key.string("tag").byDefault(SurrealDbSettings.DEFAULT_TAG).doc("Tag of surrealdb/surrealdb to run");
    // Its default follows tag, so the reference describes it instead of fixing one value.
    static final Key<String> IMAGE = Key.string("image")
            .defaultDescribedAs(SurrealDbSettings.REPOSITORY + ":" + SurrealDbSettings.DEFAULT_TAG)
            .doc("Whole image reference; replaces surrealdb/surrealdb:<tag>");
    static final Key<String> USER = Key.string("auth.user")
            .byDefault(SurrealDbSettings.DEFAULT_CREDENTIAL)
            .doc("Root user the server is started with; tests sign in as it");
    static final Key<String> PASS = Key.secret("auth.pass")
            .byDefault(SurrealDbSettings.DEFAULT_CREDENTIAL)
            .doc("Password of auth.user; masked in every log and report");
    static final Key<String> NAMESPACE =
            Key.string("namespace").byDefault(SurrealDbSettings.DEFAULT_NAME).doc("Namespace created before tests run");
    static final Key<String> DATABASE =
            Key.string("database").byDefault(SurrealDbSettings.DEFAULT_NAME).doc("Database created in the namespace");
    static final Key<Boolean> STRICT =
            Key.bool("strict").byDefault(false).doc("Strict mode: tables, fields, ... must be defined before use");
    static final Key<String> STORAGE = Key.string("storage")
            .byDefault("memory")
            .doc("\"memory\", or a file store in the container: \"rocksdb\" or \"surrealkv\"");
    static final Key<List<String>> INIT = Key.strings("init")
            .byDefault(List.of())
            .doc("SurrealQL statements run in the database once it is ready, after init_file, in order");
    static final Key<String> INIT_FILE = Key.string("init_file")
            .doc("A .surql file run in the database once it is ready; relative to the TOML file");
    static final Key<Duration> START_TIMEOUT = Key.duration("start_timeout")
            .atLeast(Duration.ofMillis(1))
            .byDefault(SurrealDbSettings.DEFAULT_START_TIMEOUT)
            .doc("Time the server has to answer GET /health");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "SurrealDB database";
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(TAG, IMAGE, USER, PASS, NAMESPACE, DATABASE, STRICT, STORAGE, INIT, INIT_FILE, START_TIMEOUT);
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        return SurrealDbSettings.read(settings);
    }
}
