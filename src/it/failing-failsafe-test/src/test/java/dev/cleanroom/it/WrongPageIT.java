package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reaches the service, then fails on purpose: the build must still remove the service first. */
class WrongPageIT {

    @Test
    void expectsAPageTheServiceDoesNotServe() throws Exception {
        try (InputStream in = URI.create(System.getProperty("cleanroom.web.url") + "/").toURL().openStream()) {
            assertEquals("a page nobody serves\n", new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "fails on purpose");
        }
    }
}
