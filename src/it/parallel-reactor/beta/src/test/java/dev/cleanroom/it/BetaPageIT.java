package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs in beta's Failsafe JVM while the other module's service of the same name runs too. */
class BetaPageIT {

    @Test
    void fetchesItsOwnModulesPage() throws Exception {
        String url = System.getProperty("cleanroom.web.url");
        assertNotNull(url, "cleanroom.web.url is not a system property of the test JVM");
        System.out.println("BetaPageIT fetches " + url + "/");
        try (InputStream in = URI.create(url + "/").toURL().openStream()) {
            assertEquals("I am beta\n", new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "the page of " + url + "/, which cleanroom.web.url of beta names");
        }
    }
}
