package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.sim.Riff;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/**
 * A take recorded on the box, listed over the WebSocket and downloaded over HTTP byte for byte;
 * and nothing outside the recordings folder reachable through that route, however the path is spelled.
 */
class RecordingDownloadTest {
    private static final StreamConfig TEMPLATE = new StreamConfig("localhost", 7891, "jam", "template secret", "me",
            List.of("guitar", "voice"), Codec.PCM16, 64);
    /** Outside the recordings folder, next to it: what a traversal would be after. */
    private static final String SECRET = "RIFF-secret-not-a-recording";

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private int port;
    private TestPage page;

    @BeforeEach
    void start() throws Exception {
        Appliance box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(), new SimulatedBackend(48_000, 64,
                true, Long.MAX_VALUE, LoopedInput.firstInput(Riff.render(48_000, 2, 120)), null));
        open.add(box);
        ControlService control = new ControlService(box, new ControlService.Options(TEMPLATE, dir.resolve("recordings"),
                PresetStore.open(dir.resolve("presets")), new LastState(dir)));
        open.add(control);
        ControlServer server = ControlServer.start(control, new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(server);
        port = server.address().getPort();
        page = new TestPage(port);
        open.add(page);
        page.awaitType("state");
        Files.writeString(dir.resolve("secret.wav"), SECRET);
        Files.writeString(dir.resolve("recordings-secret.wav"), SECRET);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private JsonNode recordOneTake() throws Exception {
        assertEquals("reply", page.command("{\"v\": 1, \"cmd\": \"record\", \"on\": true}").path("type").asText());
        Thread.sleep(600);
        assertEquals("reply", page.command("{\"v\": 1, \"cmd\": \"record\", \"on\": false}").path("type").asText());
        JsonNode reply = page.command("{\"v\": 1, \"cmd\": \"recordings\"}");
        assertEquals("reply", reply.path("type").asText(), reply.toString());
        return reply;
    }

    @Test
    void aTakeIsListedWithItsFolderAndDownloadsByteForByte() throws Exception {
        JsonNode reply = recordOneTake();
        Path folder = dir.resolve("recordings").toAbsolutePath().normalize();
        assertEquals(folder.toString(), reply.path("folder").asText(), "the page can say where they are on disk");
        assertEquals(1, reply.path("takes").size(), reply.toString());
        JsonNode take = reply.path("takes").get(0);
        assertFalse(take.path("recording").asBoolean());
        List<String> names = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (JsonNode f : take.path("files")) {
            names.add(f.path("name").asText());
            Path onDisk = folder.resolve(take.path("name").asText()).resolve(f.path("name").asText());
            byte[] expected = Files.readAllBytes(onDisk);
            assertTrue(expected.length > 48_000, "half a second of 32-bit audio at least: " + expected.length);
            assertEquals(expected.length, f.path("bytes").asLong());
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + f.path("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, res.statusCode());
            assertEquals("audio/wav", res.headers().firstValue("content-type").orElse(""));
            assertTrue(res.headers().firstValue("content-disposition").orElse("").startsWith("attachment"));
            assertArrayEquals(expected, res.body(), f.path("url").asText());
        }
        assertEquals(List.of("input-1.wav", "input-2.wav", "mix.wav"), names);
    }

    @Test
    void nothingOutsideTheRecordingsFolderIsServedHoweverThePathIsSpelled() throws Exception {
        JsonNode take = recordOneTake().path("takes").get(0);
        String name = take.path("name").asText();
        String url = take.path("files").get(2).path("url").asText();
        String key = url.substring(url.indexOf("?key=") + 5);
        Path recordings = dir.resolve("recordings");
        // Links inside the folder that lead out of it: a file, and a whole take.
        Files.createSymbolicLink(recordings.resolve(name).resolve("link.wav"), dir.resolve("secret.wav"));
        Files.createDirectories(dir.resolve("outside"));
        Files.writeString(dir.resolve("outside/mix.wav"), SECRET);
        Files.createSymbolicLink(recordings.resolve("take-link"), dir.resolve("outside"));

        List<String> notFound = List.of(
                "/recordings/../secret.wav?key=" + key,
                "/recordings/" + name + "/../../secret.wav?key=" + key,
                "/recordings/%2e%2e/secret.wav?key=" + key,
                "/recordings/" + name + "/..%2F..%2Fsecret.wav?key=" + key,
                "/recordings/" + name + "/%2e%2e%2f%2e%2e%2fsecret.wav?key=" + key,
                "/recordings/%2e%2e%2fsecret.wav?key=" + key,
                "/recordings/" + name + "/..%5C..%5Csecret.wav?key=" + key,
                "/recordings/%252e%252e/secret.wav?key=" + key,
                "/recordings/..%2Frecordings-secret.wav/x.wav?key=" + key,
                "/recordings/" + name + "/mix.wav%00.txt?key=" + key,
                "/recordings/" + name + "/%ff%fe.wav?key=" + key,
                "/recordings//" + name + "/mix.wav?key=" + key,
                "/recordings/" + name + "/link.wav?key=" + key,
                "/recordings/take-link/mix.wav?key=" + key,
                "/recordings/" + name + "?key=" + key,
                "/recordings/?key=" + key,
                "/recordings/" + name + "/mix.wav",
                "/recordings/" + name + "/mix.wav?key=" + key.replace(key.charAt(0), key.charAt(0) == 'a' ? 'b' : 'a'),
                "/recordings/" + name + "/mix.wav?key=" + key + "&key=" + key);
        for (String path : notFound) {
            RawHttp.Response r = get(path);
            assertEquals(404, r.status(), path + ": " + r.head());
            assertFalse(r.body().contains("secret"), path + ": " + r.body());
        }
        for (String path : List.of("/recordings/%/mix.wav?key=" + key, "/recordings/" + name + "/mix%2.wav?key=" + key)) {
            RawHttp.Response r = get(path);
            assertEquals(400, r.status(), path + ": " + r.head());
        }
        // The same file by its own name and key still comes.
        assertEquals(200, get("/recordings/" + name + "/mix.wav?key=" + key).status());
    }

    /**
     * A take far bigger than the socket's buffers, read slowly: the download goes on past the idle
     * limit (which closes a connection that sends nothing between requests) while it moves.
     */
    @Test
    void aSlowDownloadIsNotCutByTheIdleLimit() throws Exception {
        Path take = Files.createDirectories(dir.resolve("slow/take-1"));
        byte[] big = new byte[24 << 20];
        new java.util.Random(7).nextBytes(big);
        Files.write(take.resolve("mix.wav"), big);
        ControlService control = new ControlService((Appliance) open.get(0), new ControlService.Options(TEMPLATE,
                dir.resolve("slow"), PresetStore.open(dir.resolve("presets")), null));
        open.add(control);
        ControlServer server = ControlServer.start(control, new ControlServer.Settings("127.0.0.1", 0, null, List.of(),
                new ControlServer.Limits(java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(1000), 8)));
        open.add(server);
        int slowPort = server.address().getPort();
        TestPage p = new TestPage(slowPort);
        open.add(p);
        p.awaitType("state");
        String url = p.command("{\"v\": 1, \"cmd\": \"recordings\"}").at("/takes/0/files/0/url").asText();
        try (RawHttp raw = new RawHttp(slowPort)) {
            raw.send("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:" + slowPort + "\r\n\r\n");
            String head = raw.head();
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] chunk = new byte[64 << 10]; // at most 64 KiB per 10 ms: at least 3.8 s for the file
            long start = System.nanoTime();
            while (got.size() < big.length) {
                int n = raw.socket.getInputStream().read(chunk, 0, Math.min(chunk.length, big.length - got.size()));
                if (n < 0) {
                    break;
                }
                got.write(chunk, 0, n);
                Thread.sleep(10);
            }
            assertTrue(System.nanoTime() - start > 2_000_000_000L, "the download outlasted the idle limit twice over: "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
            assertArrayEquals(big, got.toByteArray());
        }
    }

    private RawHttp.Response get(String path) throws IOException {
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").response();
            return new RawHttp.Response(r.statusLine(), r.head(),
                    r.status() == 200 ? "(" + r.header("content-length") + " bytes)" : r.body());
        }
    }
}
