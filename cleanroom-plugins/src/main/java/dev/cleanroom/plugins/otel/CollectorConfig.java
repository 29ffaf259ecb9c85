package dev.cleanroom.plugins.otel;

import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.engine.spi.SecretNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector config Cleanroom writes when a service has no {@code config_file}. It is JSON,
 * which the collector reads as the YAML it is (YAML is a superset of JSON), so no YAML library
 * is needed to write it or, in tests, to read it back:
 *
 * <pre>
 * receivers:  otlp (grpc 0.0.0.0:4317, http 0.0.0.0:4318)
 * extensions: health_check on 0.0.0.0:13133 (the images' default binds localhost only)
 * exporters:  file/traces, file/metrics, file/logs -> OUTPUT_MOUNT/{traces,metrics,logs}.jsonl
 *             (one OTLP/JSON line per request, flushed every 100 ms)
 *             otlp/export or otlphttp/export when export.* is set; debug when debug = true
 * pipelines:  traces, metrics, logs: otlp -> every exporter above, no processors (no batching
 *             delay between what a test sends and what it finds in the file)
 * </pre>
 *
 * A secret header value is not written: the config names an environment variable that the
 * container receives as a secret, {@code ${env:CLEANROOM_OTEL_EXPORT_AUTH}} for export.auth.value
 * and {@code ${env:CLEANROOM_OTEL_EXPORT_HEADER_<NAME>}} for an export.headers entry whose name
 * looks secret ({@link SecretNames}: authorization, x-api-key, cookie, ...).
 */
final class CollectorConfig {

    /** Where the output directory is mounted in the container. */
    static final String OUTPUT_MOUNT = "/var/lib/cleanroom-otel";

    static final List<String> SIGNALS = List.of("traces", "metrics", "logs");
    static final String AUTH_ENV = "CLEANROOM_OTEL_EXPORT_AUTH";
    static final String HEADER_ENV_PREFIX = "CLEANROOM_OTEL_EXPORT_HEADER_";
    static final String EXPORT_NAME = "export";

    private CollectorConfig() {}

    static String fileName(String signal) {
        return signal + ".jsonl";
    }

    static String generate(OtelCollectorSettings settings) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put(
                "receivers",
                Map.of(
                        "otlp",
                        Map.of(
                                "protocols",
                                ordered(
                                        "grpc", Map.of("endpoint", "0.0.0.0:" + OtelCollectorPlugin.GRPC_PORT),
                                        "http", Map.of("endpoint", "0.0.0.0:" + OtelCollectorPlugin.HTTP_PORT)))));
        Map<String, Object> exporters = new LinkedHashMap<>();
        for (String signal : SIGNALS) {
            exporters.put(
                    "file/" + signal,
                    ordered("path", OUTPUT_MOUNT + "/" + fileName(signal), "flush_interval", "100ms"));
        }
        settings.export().ifPresent(export -> exporters.put(export.type() + "/" + EXPORT_NAME, exporter(export)));
        if (settings.debug()) {
            exporters.put("debug", Map.of("verbosity", "detailed"));
        }
        root.put("exporters", exporters);
        root.put(
                "extensions", Map.of("health_check", Map.of("endpoint", "0.0.0.0:" + OtelCollectorPlugin.HEALTH_PORT)));
        Map<String, Object> pipelines = new LinkedHashMap<>();
        for (String signal : SIGNALS) {
            List<String> names = new ArrayList<>(List.of("file/" + signal));
            exporters.keySet().stream()
                    .filter(name -> !name.startsWith("file/"))
                    .forEach(names::add);
            pipelines.put(signal, ordered("receivers", List.of("otlp"), "exporters", names));
        }
        root.put("service", ordered("extensions", List.of("health_check"), "pipelines", pipelines));
        return Json.writeIndented(root) + "\n";
    }

    private static Map<String, Object> exporter(OtelCollectorSettings.Export export) {
        Map<String, Object> exporter = new LinkedHashMap<>();
        exporter.put("endpoint", export.endpoint());
        Map<String, Object> headers = new LinkedHashMap<>();
        export.headers()
                .forEach((name, value) ->
                        headers.put(name, SecretNames.looksSecret(name) ? "${env:" + headerEnv(name) + "}" : value));
        export.authValue().ifPresent(value -> headers.put(export.authHeader(), "${env:" + AUTH_ENV + "}"));
        if (!headers.isEmpty()) {
            exporter.put("headers", headers);
        }
        if (export.type().equals("otlp") && export.endpoint().startsWith("http://")) {
            // gRPC would otherwise try TLS on a plain-text port.
            exporter.put("tls", Map.of("insecure", true));
        }
        return exporter;
    }

    /**
     * The variables the container gets as secrets for the config's {@code ${env:NAME}}
     * references: export.auth.value, and every export.headers value whose name looks secret
     * (authorization, x-api-key, cookie, ...), so such a header is as safe as export.auth.
     */
    static Map<String, String> secretEnv(OtelCollectorSettings.Export export) {
        Map<String, String> env = new LinkedHashMap<>();
        export.headers().forEach((name, value) -> {
            if (SecretNames.looksSecret(name)) {
                env.put(headerEnv(name), value);
            }
        });
        export.authValue().ifPresent(value -> env.put(AUTH_ENV, value));
        return env;
    }

    /** {@code x-api-key} -> {@code CLEANROOM_OTEL_EXPORT_HEADER_X_API_KEY}: a name ${env:...} accepts. */
    static String headerEnv(String header) {
        return HEADER_ENV_PREFIX + header.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
