package dev.cleanroom.plugins.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The delaying TCP proxy run with python3 in the sidecar when the kernel has no netem. */
final class LatencyProxy {

    private static final String RESOURCE = "latency_proxy.py";

    private LatencyProxy() {}

    static String script() {
        try (InputStream in = LatencyProxy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the plugin's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
