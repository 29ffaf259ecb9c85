package dev.cleanroom.plugins.otel;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code otel_collector}: an OpenTelemetry Collector that receives the telemetry of the services
 * under test, keeps it in files tests can read, and optionally forwards it.
 *
 * <pre>
 * [services.collector]
 * type = "otel_collector"          # otel/opentelemetry-collector-contrib, pinned tag
 *
 * [services.app]
 * type = "generic_container"
 * image = "my/app:1.0"
 * depends_on = ["collector"]
 * env.OTEL_EXPORTER_OTLP_ENDPOINT = "http://collector:4318"   # other services: by name
 * </pre>
 *
 * <p>Without {@code config_file}, Cleanroom generates the config (see {@link CollectorConfig}):
 * OTLP gRPC 4317 and HTTP 4318 on all interfaces, {@code health_check} on 0.0.0.0:13133, and one
 * file exporter per signal writing OTLP/JSON lines into {@code received/} of {@code output_dir}
 * (by default {@code target/cleanroom/otel/<service>} next to the nearest {@code pom.xml} above
 * the TOML file; see {@link CollectorOutput} for who owns what). With {@code config_file}, that file is mounted read-only where the image reads its
 * config, and must itself put {@code health_check} on 0.0.0.0:13133.
 *
 * <p>Ready when {@code GET /} on the health port answers. Exported to tests (as
 * {@code cleanroom.<service>.<key>}): {@code otlp_http}, {@code otlp_grpc} (for this JVM, e.g.
 * {@code http://127.0.0.1:32771}), {@code health}, {@code output_dir} (the run's
 * {@code received/} directory, mounted at {@value CollectorConfig#OUTPUT_MOUNT}, also for a
 * {@code config_file}'s own file exporters), and
 * with a generated config {@code traces_file}, {@code metrics_file}, {@code logs_file}.
 *
 * <p>The keys are declared here; {@link OtelCollectorSettings} reads them once per service and
 * {@link OtelCollector} runs one collector for one run.
 */
public final class OtelCollectorPlugin implements ServicePlugin {

    public static final String TYPE = "otel_collector";
    static final int GRPC_PORT = 4317;
    static final int HTTP_PORT = 4318;
    static final int HEALTH_PORT = 13133;
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** The generated config's name in output_dir; JSON, which YAML readers accept. */
    static final String GENERATED_CONFIG = "collector-config.yaml";

    static final Key<String> IMAGE = Key.string("image")
            .byDefault(OtelCollectorSettings.DEFAULT_IMAGE)
            .doc("Collector image; " + OtelCollectorSettings.CORE_IMAGE + " (the core distribution) works too");
    static final Key<String> CONFIG_FILE = Key.string("config_file")
            .defaultDescribedAs("generated")
            .doc("Your collector config (YAML), relative to the TOML file; must be world-readable (the collector "
                    + "runs as uid 10001) and put health_check on 0.0.0.0:13133. Without it Cleanroom generates one: "
                    + "OTLP in, one OTLP/JSON file per signal out");
    static final Key<String> CONFIG_PATH = Key.string("config_path")
            .defaultDescribedAs(OtelCollectorSettings.CONTRIB_CONFIG_PATH + " (core image: "
                    + OtelCollectorSettings.CORE_CONFIG_PATH + ")")
            .doc("Where the image reads its config; for other distributions");
    static final Key<List<String>> PORTS = Key.strings("ports")
            .defaultDescribedAs("random host ports")
            .doc("Host ports for container ports: 4317 (OTLP gRPC), 4318 (OTLP HTTP) and 13133 (health) are always "
                    + "published, on 127.0.0.1 and a free port unless listed here, e.g. [\"4318:4318\"]");
    static final Key<String> OUTPUT_DIR = Key.string("output_dir")
            .defaultDescribedAs("target/cleanroom/otel/<service>")
            .doc("Host directory for the collector's files: each run Cleanroom creates received/ in it anew (mode "
                    + "0700; mounted at /var/lib/cleanroom-otel, also for a config_file), where the generated config's "
                    + "file exporters write traces.jsonl, metrics.jsonl and logs.jsonl; relative to the TOML file; by "
                    + "default under the target/ directory next to the nearest pom.xml above the TOML file; created "
                    + "when missing, never chmod-ed; refused when it is a symbolic link, writable by every user or "
                    + "another user's");
    static final Key<Map<String, String>> ENV =
            Key.table("env").doc("Environment variables, e.g. for ${env:NAME} in config_file");
    static final Key<Boolean> DEBUG = Key.bool("debug")
            .byDefault(false)
            .doc("Also print what arrives on the collector's output (the debug exporter); generated config only");
    static final Key<String> EXPORT_TYPE = Key.string("export.type")
            .byDefault("otlphttp")
            .doc("Forward everything received: \"otlphttp\" (OTLP over HTTP) or \"otlp\" (OTLP over gRPC); "
                    + "generated config only");
    static final Key<String> EXPORT_ENDPOINT = Key.string("export.endpoint")
            .doc("Where to forward, e.g. \"http://backend:4318\" (a service of this file, by name); required when "
                    + "any export key is set");
    static final Key<Map<String, String>> EXPORT_HEADERS = Key.table("export.headers")
            .doc("Headers sent when forwarding: export.headers.NAME = \"value\"; a value whose NAME looks secret "
                    + "(authorization, x-api-key, cookie, token, ...) is masked in every log and passed as an "
                    + "environment variable, like export.auth.value");
    static final Key<String> EXPORT_AUTH_HEADER = Key.string("export.auth.header")
            .byDefault("authorization")
            .doc("The header that carries export.auth.value, e.g. \"x-api-key\"");
    static final Key<String> EXPORT_AUTH_VALUE = Key.secret("export.auth.value")
            .doc("Secret header value sent when forwarding, e.g. \"Bearer ...\"; masked in every log and never "
                    + "written to the generated config (passed as an environment variable)");
    static final Key<Duration> START_TIMEOUT = Key.duration("start_timeout")
            .byDefault(Duration.ofSeconds(60))
            .doc("Time the collector has to answer its health check");

    /** Every export key: setting any of them asks for forwarding. */
    static final List<Key<?>> EXPORT_KEYS =
            List.of(EXPORT_TYPE, EXPORT_ENDPOINT, EXPORT_HEADERS, EXPORT_AUTH_HEADER, EXPORT_AUTH_VALUE);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "OpenTelemetry Collector: receives OTLP, keeps it in files for tests, forwards it";
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(
                IMAGE,
                CONFIG_FILE,
                CONFIG_PATH,
                PORTS,
                OUTPUT_DIR,
                ENV,
                DEBUG,
                EXPORT_TYPE,
                EXPORT_ENDPOINT,
                EXPORT_HEADERS,
                EXPORT_AUTH_HEADER,
                EXPORT_AUTH_VALUE,
                START_TIMEOUT);
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        return OtelCollectorSettings.read(settings);
    }
}
