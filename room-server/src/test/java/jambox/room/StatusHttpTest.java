package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** /status and /metrics over real HTTP on localhost. */
class StatusHttpTest extends ServerFixture {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.statusAddress().getPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusAndMetricsDescribeTheRoomsAndMembers() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        server = RoomServer.start(PATIENT.withPort(0).withStatusPort(port), List.of(new RoomConfig("jam", SECRET, 16)));
        open.add(server);
        assertEquals("127.0.0.1", server.statusAddress().getAddress().getHostAddress(), "localhost by default");
        Player a = joined("Ann \"the axe\"");
        joined("Bob");
        for (int k = 0; k < 10; k++) {
            a.sendAudio(block(k), 64L * k);
        }
        Thread.sleep(200);

        HttpResponse<String> status = get("/status");
        assertEquals(200, status.statusCode());
        assertTrue(status.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode json = new ObjectMapper().readTree(status.body());
        JsonNode room = json.get("rooms").get(0);
        assertEquals("jam", room.get("name").asText());
        assertEquals("forward", room.get("mode").asText());
        assertTrue(!json.has("mix"), "no mix counters without a mix room: " + json);
        assertEquals(2, room.get("members").size());
        JsonNode ann = room.get("members").get(0);
        assertEquals("Ann \"the axe\"", ann.get("name").asText());
        assertEquals(10, ann.get("audio_packets").asInt());
        assertEquals(10, ann.get("forwarded").asInt());
        assertEquals(0, ann.get("lost").asInt());
        assertEquals("all", ann.get("listens_to").asText());
        assertTrue(ann.has("jitter_ms"));
        assertTrue(json.get("counters").get("received").asLong() >= 14);

        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        String text = metrics.body();
        assertTrue(text.matches("(?s).*\njambox_room_packets_total\\{outcome=\"received\"} [1-9][0-9]*\n.*"), text);
        assertTrue(text.contains("jambox_room_member_packets_total{room=\"jam\",member=\"1\",name=\"Ann \\\"the axe\\\"\"} "), text);
        assertTrue(text.contains("jambox_room_members{room=\"jam\"} 2\n"), text);
        assertTrue(!text.contains("jambox_room_mix_blocks_total"), text);
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                assertTrue(line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? [-+0-9.eENaIf]+"), "Prometheus text format: " + line);
            }
        }

        assertEquals(404, get("/nope").statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }
}
