package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a team's IT does with the collector: its OpenTelemetry SDK exports to the endpoint
 * cleanroom:start exported, and the test then finds its span among what the collector received.
 */
class SpansReachTheCollectorIT {

    @Test
    void aSpanExportedWithTheSdkIsCollected() throws Exception {
        String otlpHttp = System.getProperty("cleanroom.collector.otlp_http");
        String tracesFile = System.getProperty("cleanroom.collector.traces_file");
        assertNotNull(otlpHttp, "cleanroom.collector.otlp_http is exported");
        assertNotNull(tracesFile, "cleanroom.collector.traces_file is exported");

        String traceId = exportSpan(otlpHttp, "checkout");

        Path traces = Path.of(tracesFile);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String collected = "";
        while (System.nanoTime() < deadline && !collected.contains(traceId)) {
            collected = Files.exists(traces) ? Files.readString(traces) : "";
            Thread.sleep(100);
        }
        assertTrue(collected.contains("\"traceId\":\"" + traceId + "\""), "trace " + traceId + " in " + traces);
        assertTrue(collected.contains("\"name\":\"checkout\""), "span checkout in " + traces);
        assertTrue(collected.contains("\"stringValue\":\"shop\""), "service.name shop in " + traces);
    }

    private static String exportSpan(String otlpHttp, String name) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), "shop"))))
                .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                        .setEndpoint(otlpHttp + "/v1/traces").setTimeout(Duration.ofSeconds(5)).build()))
                .build();
        try {
            Span span = provider.get("shop-it").spanBuilder(name).startSpan();
            String traceId = span.getSpanContext().getTraceId();
            span.end();
            assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "the SDK exported to " + otlpHttp);
            return traceId;
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
