package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cleanroom.junit5.Cleanroom;
import dev.cleanroom.junit5.CleanroomService;
import dev.cleanroom.junit5.ServiceEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

@Cleanroom("src/test/cleanroom/web.clnrm.toml")
class WebTest {

    @Test
    void reachesTheWebService(@CleanroomService("web") ServiceEndpoint web) throws Exception {
        assertEquals(web.url(), "http://" + web.host() + ":" + web.port(8080));
        System.out.println("WebTest fetches " + web.url() + "/");
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(web.url() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("hello from the cleanroom web service\n", page.body());
    }
}
