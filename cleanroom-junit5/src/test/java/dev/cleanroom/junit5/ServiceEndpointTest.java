package dev.cleanroom.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEndpointTest {

    @Test
    void readsHostPortsAndEndpointsOfItsOwnServiceOnly() {
        // Arrange: "web" and "webhook" share a prefix; only web's properties are web's
        Map<String, String> properties = Map.of(
                "cleanroom.web.host",
                "127.0.0.1",
                "cleanroom.web.port",
                "32780",
                "cleanroom.web.port.8080",
                "32780",
                "cleanroom.web.port.9090",
                "32781",
                "cleanroom.web.url",
                "http://127.0.0.1:32780",
                "cleanroom.webhook.host",
                "10.0.0.9",
                "cleanroom.webhook.port",
                "1");

        // Act
        ServiceEndpoint web = ServiceEndpoint.fromProperties("web", properties).orElseThrow();

        // Assert
        assertThat(web.host()).isEqualTo("127.0.0.1");
        assertThat(web.port()).isEqualTo(32780);
        assertThat(web.port(9090)).isEqualTo(32781);
        assertThat(web.url()).isEqualTo("http://127.0.0.1:32780");
        assertThat(web.endpoints()).containsOnlyKeys("url");
        assertThat(ServiceEndpoint.fromProperties("db", properties)).isEmpty();
    }

    @Test
    void saysWhatTheServiceHasWhenATestAsksForWhatItLacks() {
        // Arrange: a generic_container without health.http and without ports
        ServiceEndpoint worker = ServiceEndpoint.fromProperties("worker", Map.of("cleanroom.worker.host", "127.0.0.1"))
                .orElseThrow();

        // Act + Assert
        assertThatThrownBy(worker::url)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Service \"worker\" has no url: its type exports none.")
                .hasMessageContaining("only with health.http");
        assertThatThrownBy(worker::port)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("publishes no port")
                .hasMessageContaining("[services.worker]");
        assertThatThrownBy(() -> worker.port(8080))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Service \"worker\" does not publish container port 8080; it publishes none.");
        assertThat(worker.endpoint("model")).isEmpty();
    }
}
