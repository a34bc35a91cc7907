package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/**
 * The page's server as a stranger on the network meets it, over bare sockets: the names it answers
 * to, its timeouts and connection cap (shortened here so that the tests are short), requests it
 * cannot read, and WebSocket close codes.
 */
class ControlServerHttpTest {
    private static final StreamConfig TEMPLATE = new StreamConfig("localhost", 7891, "jam", "template secret", "me",
            List.of("guitar", "voice"), Codec.PCM16, 64);

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private ControlServer server;
    private int port;

    private void start(List<String> hosts, ControlServer.Limits limits) throws Exception {
        Appliance box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
        open.add(box);
        ControlService control = new ControlService(box, new ControlService.Options(TEMPLATE, dir.resolve("recordings"),
                PresetStore.open(dir.resolve("presets")), new LastState(dir)));
        open.add(control);
        server = ControlServer.start(control, new ControlServer.Settings("127.0.0.1", 0, null, hosts, limits));
        open.add(server);
        port = server.address().getPort();
    }

    private void start(ControlServer.Limits limits) throws Exception {
        start(List.of(), limits);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private RawHttp raw() throws IOException {
        RawHttp r = new RawHttp(port);
        open.add(r);
        return r;
    }

    private TestPage readyPage() throws Exception {
        TestPage p = new TestPage(port);
        open.add(p);
        p.awaitType("state");
        return p;
    }

    private static ControlServer.Limits limits(double requestSeconds, double idleSeconds, int connections) {
        return new ControlServer.Limits(Duration.ofMillis((long) (requestSeconds * 1000)),
                Duration.ofMillis((long) (idleSeconds * 1000)), connections);
    }

    private RawHttp.Response get(String host, String path) throws IOException {
        return raw().send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").response();
    }

    @Test
    void aNameTheBoxDoesNotAnswerToGetsNeitherThePageNorTheSocket() throws Exception {
        start(List.of("box.example"), ControlServer.Limits.DEFAULT);
        // DNS rebinding: evil.example now resolves to the box; the browser sends the site's own name.
        RawHttp.Response socket = raw().upgrade("evil.example:" + port, "http://evil.example:" + port);
        assertEquals(403, socket.status(), socket.head());
        assertTrue(socket.body().contains("evil.example") && socket.body().contains("control.hosts"), socket.body());
        assertEquals(403, get("evil.example:" + port, "/").status());
        assertEquals(403, get("evil.example", "/index.html").status());
        assertEquals(403, get("jambox.local.evil.example", "/").status());
        assertEquals(403, get("evil.local", "/").status());

        // The box's own names and addresses, for the page and the socket alike.
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "jambox.local", "JamBox.Local.",
                "box.example:" + port, "[::1]:" + port)) {
            assertEquals(200, get(host, "/").status(), host);
        }
        String hostname = HostNames.kernelHostname();
        if (hostname != null) {
            assertEquals(200, get(hostname + ".local", "/").status(), hostname + ".local");
        }
        for (String host : List.of("localhost:" + port, "box.example:" + port, "jambox.local:" + port)) {
            RawHttp.Response r = raw().upgrade(host, "http://" + host);
            assertEquals(101, r.status(), host + ": " + r.head());
        }
        RawHttp.Response crossSite = raw().upgrade("jambox.local:" + port, "http://evil.example:" + port);
        assertEquals(403, crossSite.status(), "an own name with another site's origin");

        RawHttp.Response noHost = raw().send("GET / HTTP/1.1\r\n\r\n").response();
        assertEquals(400, noHost.status(), noHost.head());
        RawHttp.Response twoHosts = raw().send("GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n").response();
        assertEquals(400, twoHosts.status(), twoHosts.head());
    }

    @Test
    void aRequestSentSlowlyIsCutOffAtTheRequestTimeout() throws Exception {
        start(limits(1, 30, 64));
        RawHttp slow = raw();
        slow.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        long t0 = System.nanoTime();
        Thread dribble = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 100; i++) { // a header a byte every 100 ms, never finished
                    slow.send("X");
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // closed by the box: what the test waits for
            }
        });
        RawHttp.Response r = slow.response();
        double seconds = (System.nanoTime() - t0) / 1e9;
        dribble.interrupt();
        assertNotNull(r, "an answer before the close");
        assertEquals(408, r.status(), r.head());
        assertTrue(seconds > 0.8 && seconds < 5, seconds + " s");
        assertTrue(slow.closedWithin(3000), "closed after the 408");
        System.out.println("a request dribbled a byte at a time was answered " + r.statusLine() + " after "
                + String.format("%.1f", seconds) + " s");
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAfterTheIdleTimeout() throws Exception {
        start(limits(10, 1, 64));
        RawHttp silent = raw();
        RawHttp done = raw();
        done.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(200, done.response().status());
        assertTrue(silent.closedWithin(4000), "a connection that never sent a byte");
        assertTrue(done.closedWithin(4000), "a kept-alive connection after its request");
    }

    @Test
    void aPageLeftOpenIsKeptByPingsAndASocketThatNeverAnswersIsLetGo() throws Exception {
        start(limits(10, 1, 64));
        TestPage page = readyPage();
        RawHttp mute = raw();
        assertEquals(101, mute.upgrade("127.0.0.1:" + port, null).status());
        boolean pinged = false;
        long t0 = System.nanoTime();
        for (RawHttp.Frame f; (f = mute.frame()) != null; ) { // reads everything, answers nothing
            pinged |= f.opcode() == 0x9;
            assertTrue(System.nanoTime() - t0 < 8e9, "still open after 8 s");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(pinged, "the box pinged it");
        System.out.printf("a socket that never answered a ping was closed after %.1f s%n", seconds);
        // The page (the JDK's client answers pings, as a browser does) sent nothing itself all the while.
        Thread.sleep(1500);
        assertEquals(null, page.closeCode);
        JsonAssert.ok(page.command("{\"v\":1,\"cmd\":\"state\"}"));
    }

    @Test
    void connectionsBeyondTheCapAreRefusedWhileAnOpenPageKeepsWorking() throws Exception {
        int cap = 6;
        start(limits(30, 30, cap));
        TestPage page = readyPage();
        List<RawHttp> busy = new ArrayList<>();
        for (int i = 1; i < cap; i++) { // half a request each: busy, not idle
            busy.add(raw().send("GET / HTTP/1.1\r\n"));
        }
        Thread.sleep(200);
        for (int i = 0; i < 3; i++) {
            RawHttp extra = raw();
            RawHttp.Response r = extra.response();
            assertNotNull(r, "an answer, not just a closed socket");
            assertEquals(503, r.status(), r.head());
            assertTrue(extra.closedWithin(2000));
        }
        JsonAssert.ok(page.command("{\"v\":1,\"cmd\":\"state\"}"));
        for (RawHttp b : busy) {
            b.close();
        }
        // Idle connections (a browser keeps a few after loading the page) give way to a new one.
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<RawHttp> idle = new ArrayList<>();
        while (idle.size() < cap - 1 && System.nanoTime() < deadline) {
            RawHttp r = raw();
            if (!r.closedWithin(100)) {
                idle.add(r);
            }
        }
        assertEquals(cap - 1, idle.size(), "the busy ones' places are free again");
        assertEquals(200, get("127.0.0.1:" + port, "/").status(), "a new connection when the box is full of idle ones");
        JsonAssert.ok(page.command("{\"v\":1,\"cmd\":\"state\"}"));
    }

    @Test
    void requestsTheBoxCannotReadGetA400Or414NotASilentClose() throws Exception {
        start(ControlServer.Limits.DEFAULT);
        RawHttp.Response percent = get("127.0.0.1:" + port, "/%");
        assertNotNull(percent, "GET /% closed with no answer");
        assertEquals("HTTP/1.1 400 Bad Request", percent.statusLine());
        assertFalse(percent.body().isBlank());

        RawHttp.Response longPath = get("127.0.0.1:" + port, "/" + "a".repeat(5000));
        assertEquals("HTTP/1.1 414 Request-URI Too Long", longPath.statusLine(), longPath.head());
        assertFalse(longPath.body().contains("bad-request"), longPath.body());

        RawHttp.Response bigHeaders = raw().send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000)
                + "\r\n\r\n").response();
        assertEquals(431, bigHeaders.status(), bigHeaders.head());

        RawHttp.Response garbage = raw().send("\u0001\u0002 nonsense\r\n\r\n").response();
        assertEquals(400, garbage.status(), garbage.head());
        System.out.println("/% -> " + percent.statusLine() + ": " + percent.body().strip() + "\nlong path -> "
                + longPath.statusLine() + ": " + longPath.body().strip());
    }

    @Test
    void aCloseCodeNoEndpointMaySendIsAProtocolErrorAndAGoodOneIsEchoed() throws Exception {
        start(ControlServer.Limits.DEFAULT);
        for (int[] sentAndExpected : new int[][] {{5000, 1002}, {65535, 1002}, {1000, 1000}, {4000, 4000}}) {
            RawHttp ws = raw();
            assertEquals(101, ws.upgrade("127.0.0.1:" + port, null).status());
            ws.closeFrame(sentAndExpected[0]);
            RawHttp.Frame f;
            while ((f = ws.frame()) != null && f.opcode() != 0x8) {
                // hello, state and pushes before the answer
            }
            assertNotNull(f, "a close frame back for " + sentAndExpected[0]);
            assertEquals(sentAndExpected[1], f.closeCode(), "close code " + sentAndExpected[0]);
            assertTrue(ws.closedWithin(3000));
        }
    }
}
