package dev.cleanroom.engine.report;

import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.engine.spi.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A machine-readable summary of one build's runs: services, steps and the verdict. */
public final class JsonSummary {

    private JsonSummary() {}

    public static Path write(List<RunReport> reports, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, render(reports), StandardCharsets.UTF_8);
        return target;
    }

    public static String render(List<RunReport> reports) {
        long failed = reports.stream().mapToLong(r -> r.count(Status.FAILED)).sum();
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"passed\": ").append(failed == 0).append(",\n");
        // Locale.ROOT: under a Turkish default locale "FAILED" would become "faıled".
        json.append("  \"counts\": {");
        json.append(List.of(Status.values()).stream()
                .map(s -> Json.quote(s.name().toLowerCase(Locale.ROOT)) + ": "
                        + reports.stream().mapToLong(r -> r.count(s)).sum())
                .collect(Collectors.joining(", ")));
        json.append("},\n  \"files\": [");
        json.append(reports.stream().map(JsonSummary::file).collect(Collectors.joining(",", "\n", "\n  ")));
        return json.append("]\n}\n").toString();
    }

    private static String file(RunReport report) {
        return "    {\"file\": " + Json.quote(report.file().toString()) + ", \"name\": " + Json.quote(report.name())
                + ", \"passed\": " + report.passed()
                + ", \"start_ms\": " + ms(report.startDuration()) + ", \"steps_ms\": " + ms(report.stepsDuration())
                + ", \"stop_ms\": " + ms(report.stopDuration())
                + ",\n     \"services\": ["
                + report.services().stream().map(JsonSummary::service).collect(Collectors.joining(", ")) + "]"
                + ",\n     \"steps\": ["
                + report.steps().stream()
                        .map(JsonSummary::step)
                        .collect(Collectors.joining(",\n       ", "\n       ", ""))
                + "]}";
    }

    private static String service(StartedService service) {
        return "{\"name\": " + Json.quote(service.name()) + ", \"type\": " + Json.quote(service.type())
                + ", \"image\": "
                + Json.quote(service.image()) + ", \"image_digest\": " + Json.quote(service.imageDigest())
                + ", \"ready_ms\": " + ms(service.startDuration()) + ", \"endpoints\": "
                + object(service.handle().endpoints()) + "}";
    }

    private static String step(StepResult step) {
        return "{\"name\": " + Json.quote(step.name()) + ", \"service\": " + Json.quote(step.service())
                + ", \"status\": "
                + Json.quote(step.status().name()) + ", \"exit_code\": " + step.exitCode() + ", \"duration_ms\": "
                + ms(step.duration()) + ", \"command\": "
                + step.command().stream().map(Json::quote).collect(Collectors.joining(", ", "[", "]"))
                + ", \"failure\": " + Json.quote(step.failure())
                + (step.outputCut().isEmpty() ? "" : ", \"output_cut\": " + Json.quote(step.outputCut())) + "}";
    }

    private static String object(Map<String, String> map) {
        return map.entrySet().stream()
                .map(e -> Json.quote(e.getKey()) + ": " + Json.quote(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static long ms(Duration duration) {
        return duration.toMillis();
    }
}
