package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.ir.IrLibrary;
import jambox.appliance.ir.TestIrs;
import jambox.dsp.ir.ImpulseResponse;

/**
 * Impulse responses uploaded over real HTTP to a real control server: what is taken is on disk
 * byte for byte and in the box's bank sample for sample, and every page hears of it; what is
 * refused gets its reason and changes nothing; a restart finds the slots again.
 */
class IrUploadTest {
    @TempDir
    Path data;
    private Appliance box;
    private ControlPlane plane;
    private TestPage page;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        box = CommandFixture.box();
        startPlane();
    }

    private void startPlane() throws Exception {
        plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, new ControlServer.Settings("127.0.0.1", 0, null));
        port = URI.create(plane.url()).getPort();
        page = new TestPage(port);
        page.awaitType("state");
    }

    @AfterEach
    void stop() {
        page.close();
        plane.close();
        box.close();
    }

    /** The upload path for {@code slot} with the page's key, from {@code ir.list}. */
    private String uploadPath(String slot) throws Exception {
        JsonNode list = page.command("{\"v\": 1, \"cmd\": \"ir.list\"}");
        assertEquals("reply", list.path("type").asText(), list.toString());
        return list.path("upload").asText().replace("{slot}", slot);
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) throws IOException {
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("content-type").orElse(null));
        return TestPage.JSON.readTree(r.body()).path("error").asText();
    }

    private Path slotFile(int slot) {
        return data.resolve("irs").resolve("slot-" + slot + ".wav");
    }

    @Test
    void aGoodUploadIsOnDiskInTheBankAndOnEveryPage() throws Exception {
        float[][] x = TestIrs.samples(2, 24_000, 11); // 500 ms stereo 24-bit at 48 kHz: 144 KB, over a WebSocket message
        byte[] wav = TestIrs.wav24(x, 48_000);
        HttpResponse<String> r = post(uploadPath("3") + "&name=" + URLEncoder.encode("Mesa 4x12 V30", StandardCharsets.UTF_8), wav);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"slot\":3,\"name\":\"Mesa 4x12 V30\",\"rate\":48000,\"channels\":2,\"seconds\":0.5}", r.body().strip());
        assertArrayEquals(wav, Files.readAllBytes(slotFile(3)));
        ImpulseResponse ir = box.engine().irs().user(2);
        assertArrayEquals(x, ir.channels());
        assertEquals("Mesa 4x12 V30", ir.name());
        JsonNode state = page.awaitState(s -> s.path("irs").path(2).path("name").asText().equals("Mesa 4x12 V30"));
        assertTrue(state.path("irs").path(0).path("empty").asBoolean());
        JsonNode list = page.command("{\"v\": 1, \"cmd\": \"ir.list\"}");
        assertEquals(48_000, list.path("slots").path(2).path("rate").asInt());
        assertEquals(IrLibrary.MAX_FILE_BYTES, list.path("maxBytes").asInt());
    }

    @Test
    void whatIsRefusedGetsItsReasonAndChangesNothing() throws Exception {
        byte[] good = TestIrs.wav24(TestIrs.samples(1, 2000, 12), 44_100);
        assertEquals(200, post(uploadPath("1") + "&name=old", good).statusCode());
        ImpulseResponse before = box.engine().irs().user(0);
        int version = box.engine().irs().version();

        HttpResponse<String> r = post(uploadPath("1") + "&name=new", Arrays.copyOf(good, good.length - 7));
        assertEquals(400, r.statusCode());
        assertTrue(error(r).startsWith("truncated data chunk"), r.body());
        r = post(uploadPath("1"), "<html>not audio</html>".getBytes());
        assertEquals(400, r.statusCode());
        assertEquals("not a WAV file", error(r));
        r = post(uploadPath("1") + "&name=%0A", good);
        assertEquals(400, r.statusCode());
        assertEquals("a name is 1 to 40 characters, none of them control characters", error(r));
        r = post(uploadPath("9"), good);
        assertEquals(400, r.statusCode());
        assertEquals("no IR slot '9': the slots are 1 .. 8", error(r));
        r = post(uploadPath("0"), good);
        assertEquals(400, r.statusCode());
        r = post("/irs/1?key=wrong", good);
        assertEquals(403, r.statusCode());
        assertEquals("no upload without the page's key: reload the page", error(r));
        r = post("/irs/1", good);
        assertEquals(403, r.statusCode());
        r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uploadPath("1"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());

        assertArrayEquals(good, Files.readAllBytes(slotFile(1)));
        assertSame(before, box.engine().irs().user(0));
        assertEquals(version, box.engine().irs().version());
        assertFalse(Files.exists(slotFile(9)));
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        String path = uploadPath("2");
        try (RawHttp raw = new RawHttp(port)) {
            // Only the head: the box answers from the declared length without waiting for a byte of the body.
            raw.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (IrLibrary.MAX_FILE_BYTES + 1)
                    + "\r\n\r\n");
            RawHttp.Response r = raw.response();
            assertEquals(413, r.status());
            assertEquals("{\"error\":\"2.1 MiB: an impulse response file is at most 2 MiB\"}", r.body().strip());
            assertTrue(raw.closedWithin(2000));
        }
        try (RawHttp raw = new RawHttp(port)) {
            // Chunked, so the length is not known ahead: refused once it passes the limit.
            raw.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = Integer.toHexString(64 * 1024) + "\r\n" + "x".repeat(64 * 1024) + "\r\n";
            for (int i = 0; i < IrLibrary.MAX_FILE_BYTES / (64 * 1024); i++) {
                raw.send(chunk);
            }
            raw.send("1\r\nx\r\n");
            RawHttp.Response r = raw.response();
            assertEquals(413, r.status());
            assertEquals("{\"error\":\"more than 2 MiB: an impulse response file is at most 2 MiB\"}", r.body().strip());
        }
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\nContent-Length: 4\r\n\r\nRIFF");
            RawHttp.Response r = raw.response();
            assertEquals(403, r.status());
            assertTrue(r.body().contains("POST from another origin"), r.body());
        }
        assertFalse(Files.exists(slotFile(2)));
        assertNull(box.engine().irs().user(1));
        // The refusals left no upload holding its place: one still goes through.
        assertEquals(200, post(path, TestIrs.wav24(TestIrs.samples(1, 100, 13), 8000)).statusCode());
    }

    @Test
    void clearEmptiesASlotAndTellsThePages() throws Exception {
        assertEquals(200, post(uploadPath("8") + "&name=gone", TestIrs.wav24(TestIrs.samples(1, 500, 14), 96_000)).statusCode());
        page.awaitState(s -> s.path("irs").path(7).path("name").asText().equals("gone"));
        assertEquals("reply", page.command("{\"v\": 1, \"cmd\": \"ir.clear\", \"slot\": 8}").path("type").asText());
        // (its state push came before the reply, which command() waited past)
        assertTrue(page.command("{\"v\": 1, \"cmd\": \"state\"}").path("state").path("irs").path(7).path("empty").asBoolean());
        assertNull(box.engine().irs().user(7));
        assertFalse(Files.exists(slotFile(8)));
        JsonNode bad = page.command("{\"v\": 1, \"cmd\": \"ir.clear\", \"slot\": 9}");
        assertEquals("error", bad.path("type").asText());
    }

    @Test
    void aRestartLoadsTheSlotsBackAndReportsACorruptFile() throws Exception {
        float[][] x = TestIrs.samples(1, 3000, 15);
        assertEquals(200, post(uploadPath("4") + "&name=kept", TestIrs.wav24(x, 44_100)).statusCode());
        assertEquals(200, post(uploadPath("5"), TestIrs.wav24(TestIrs.samples(2, 10, 16), 48_000)).statusCode());
        page.close();
        plane.close();
        box.close();
        byte[] five = Files.readAllBytes(slotFile(5));
        Files.write(slotFile(5), Arrays.copyOf(five, 70)); // the card went bad under it: cut inside the data

        box = CommandFixture.box();
        startPlane();
        ImpulseResponse kept = box.engine().irs().user(3);
        assertEquals("kept", kept.name());
        assertArrayEquals(x, kept.channels());
        assertNull(box.engine().irs().user(4));
        JsonNode list = page.command("{\"v\": 1, \"cmd\": \"ir.list\"}");
        assertEquals(1, list.path("problems").size(), list.toString());
        assertEquals(5, list.path("problems").path(0).path("slot").asInt());
        assertEquals(slotFile(5).toAbsolutePath().normalize().toString(), list.path("problems").path(0).path("file").asText());
        assertTrue(list.path("problems").path(0).path("reason").asText().startsWith("truncated"), list.toString());
        assertTrue(list.path("slots").path(4).path("empty").asBoolean());
    }
}
