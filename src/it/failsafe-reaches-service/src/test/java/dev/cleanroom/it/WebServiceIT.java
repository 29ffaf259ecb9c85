package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs in Failsafe's JVM, which knows the service only through the properties cleanroom:start exported. */
class WebServiceIT {

    @Test
    void fetchesThePageThroughTheExportedUrl() throws Exception {
        String url = System.getProperty("cleanroom.web.url");
        assertNotNull(url, "cleanroom.web.url is not a system property of the test JVM");
        System.out.println("WebServiceIT fetches " + url + "/");
        try (InputStream in = URI.create(url + "/").toURL().openStream()) {
            assertEquals("hello from the cleanroom web service\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theUrlCanBeMappedInThePomUnderAnotherName() {
        // The POM's <systemPropertyVariables> resolve once cleanroom:start has run: a literal
        // "${...}" here would mean the expression was not resolved.
        String url = System.getProperty("cleanroom.web.url");
        assertEquals(url, System.getProperty("webUrlFromPom"), "webUrlFromPom = ${cleanroom.web.url}");
        assertEquals(url, System.getProperty("webUrlFromProjectProperties"),
                "webUrlFromProjectProperties = ${project.properties(cleanroom.web.url)}: not a Maven project property");
    }

    @Test
    void thePortsAndHostAgreeWithTheUrl() throws Exception {
        String host = System.getProperty("cleanroom.web.host");
        String port = System.getProperty("cleanroom.web.port");
        assertNotNull(host, "cleanroom.web.host is not a system property of the test JVM");
        assertNotNull(port, "cleanroom.web.port is not a system property of the test JVM");
        assertEquals(port, System.getProperty("cleanroom.web.port.8080"), "the first declared port is 8080");
        assertEquals("http://" + host + ":" + port, System.getProperty("cleanroom.web.url"));
        try (InputStream in = URI.create("http://" + host + ":" + port + "/").toURL().openStream()) {
            assertEquals("hello from the cleanroom web service\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
