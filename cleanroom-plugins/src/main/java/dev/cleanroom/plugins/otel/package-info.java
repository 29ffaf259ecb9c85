/**
 * The {@code otel_collector} service type: an OpenTelemetry Collector for tests.
 *
 * <h2>Pointing services at it</h2>
 * Every service of a file shares the run's network, where the collector answers by its service
 * name. Give the services under test the standard SDK variables:
 * <pre>
 * [services.collector]
 * type = "otel_collector"
 *
 * [services.app]
 * type = "generic_container"
 * image = "my/app:1.0"
 * depends_on = ["collector"]
 * env.OTEL_EXPORTER_OTLP_ENDPOINT = "http://collector:4318"    # OTLP/HTTP
 * # or env.OTEL_EXPORTER_OTLP_PROTOCOL = "grpc" with "http://collector:4317"
 * env.OTEL_SERVICE_NAME = "app"
 * </pre>
 * Code in the test JVM uses the exported endpoints instead: {@code cleanroom.collector.otlp_http}
 * and {@code cleanroom.collector.otlp_grpc} ({@code http://127.0.0.1:PORT}).
 *
 * <h2>Reading what arrived</h2>
 * With the generated config, each request the collector receives becomes one line of OTLP/JSON
 * (the file exporter's format: {@code {"resourceSpans":[{"resource":...,"scopeSpans":[{"spans":
 * [{"name":...}]}]}]}}) in {@code traces.jsonl}, {@code metrics.jsonl} or {@code logs.jsonl} of
 * {@code output_dir/received}, exported as {@code cleanroom.collector.traces_file} etc. The files are
 * emptied when the collector starts and flushed every 100 ms, so poll for a while. From a step,
 * mount the directory into a small container and search it:
 * <pre>
 * [services.checker]
 * type = "generic_container"
 * image = "busybox"
 * volumes = ["./target/cleanroom/otel/collector:/otel:ro"]
 *
 * [[steps]]
 * name = "checkout_span_arrived"
 * service = "checker"
 * command = ["sh", "-c", "for i in $(seq 50); do grep -q '\"name\":\"checkout\"' /otel/received/traces.jsonl &amp;&amp; exit 0; sleep 0.2; done; exit 1"]
 * </pre>
 *
 * <h2>The output directory</h2>
 * {@code output_dir} (relative to the TOML file) or, by default,
 * {@code <project>/target/cleanroom/otel/<service>}, where {@code <project>} is the nearest
 * directory from the TOML file's upwards holding a {@code pom.xml} (the TOML file's own directory
 * when there is none). It holds the generated {@code collector-config.yaml} (0644) and the run's
 * {@code received/} directory (0700, files 0600), which Cleanroom deletes and creates anew at each
 * start and which alone is mounted writable; building as root it belongs to uid 10001, the
 * collector's, otherwise to the build's user, as whom the container then runs. {@code output_dir}
 * itself is created when missing and its mode never changed; see {@link CollectorOutput}.
 *
 * <h2>The image</h2>
 * {@code otel/opentelemetry-collector-contrib:0.128.0} by default: a fixed tag so a run today and
 * a run next year start the same collector; 0.128.0 has the file exporter's
 * {@code flush_interval} and binds its receivers to localhost by default (since 0.104), which
 * the generated config overrides with 0.0.0.0. {@code otel/opentelemetry-collector} (core) works
 * too: its config is read from {@code /etc/otelcol/config.yaml}. Both run as uid 10001 without a
 * shell, so a {@code config_file} must be world-readable; Cleanroom checks it before starting.
 */
package dev.cleanroom.plugins.otel;
