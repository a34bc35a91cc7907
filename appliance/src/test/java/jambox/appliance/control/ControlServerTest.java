package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.AudioInterface;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.stream.StreamConfig;
import jambox.dsp.Board;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/** The control server over real WebSockets, against a running (simulated-clock) box. */
class ControlServerTest {
    private static final int RATE = 48_000;
    private static final StreamConfig TEMPLATE = new StreamConfig("localhost", 7891, "jam", "template secret", "me",
            List.of("guitar", "voice"), Codec.PCM16, 64);

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Appliance box;
    private ControlService control;
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        start(null);
    }

    private void start(String pin) throws Exception {
        float[] a4 = new float[RATE];
        for (int i = 0; i < RATE; i++) {
            a4[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / RATE));
        }
        box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, LoopedInput.firstInput(a4), null));
        open.add(box);
        control = new ControlService(box, new ControlService.Options(TEMPLATE, dir.resolve("recordings"),
                PresetStore.open(dir.resolve("presets")), new LastState(dir)));
        open.add(control);
        server = ControlServer.start(control, new ControlServer.Settings("127.0.0.1", 0, pin));
        open.add(server);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    private TestPage page() throws Exception {
        TestPage p = new TestPage(server.address().getPort());
        open.add(p);
        return p;
    }

    private TestPage readyPage() throws Exception {
        TestPage p = page();
        p.awaitType("state");
        return p;
    }

    @Test
    void aPageIsGreetedWithTheWholeStateBuiltFromTheDescriptors() throws Exception {
        TestPage p = page();
        JsonNode hello = p.awaitType("hello");
        assertFalse(hello.get("pinRequired").asBoolean());
        JsonNode state = p.awaitType("state").get("state");
        assertEquals(box.engine().board().name(), state.at("/board/name").asText());
        assertEquals(box.engine().board().channel(0).size(), state.at("/board/channels/0/pedals").size());
        assertEquals(jambox.dsp.Catalog.ALL.size(), state.get("catalog").size());
        JsonNode drive = null;
        for (JsonNode t : state.get("catalog")) {
            if (t.get("id").asText().equals("overdrive")) {
                drive = t.get("params").get(0);
            }
        }
        assertNotNull(drive, "overdrive in the catalog");
        assertTrue(drive.get("max").asDouble() > drive.get("min").asDouble() && drive.has("taper"), drive.toString());
        assertFalse(state.toString().contains("secret"), "no secret in the state");
    }

    @Test
    void aKnobTurnedOnOnePageChangesTheRunningPedalAndShowsOnTheOther() throws Exception {
        TestPage a = readyPage();
        TestPage b = readyPage();
        int index = indexOf("overdrive");
        JsonNode reply = a.command("{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index
                + ",\"param\":\"drive\",\"value\":31.5}");
        assertEquals("reply", reply.get("type").asText(), reply.toString());
        JsonNode seen = b.awaitState(s -> s.at("/board/channels/0/pedals/" + index + "/params/drive").asDouble() == 31.5);
        assertNotNull(seen);
        for (int c = 0; c < 2; c++) { // one chain feeds both inputs: both running boards follow
            Board running = box.engine().runningBoard(c);
            assertEquals(31.5, running.get(index).get("drive"), 1e-9, "input " + c);
        }
        assertEquals(31.5, box.engine().board().channel(0).get(index).params().get("drive"), 1e-9);

        long[] micros = changeLatenciesMicros(a, b, index, 41);
        System.out.printf("a change on one page reaches another in %.1f ms (median of %d; worst %.1f ms)%n",
                micros[micros.length / 2] / 1000.0, micros.length, micros[micros.length - 1] / 1000.0);
        assertTrue(micros[micros.length / 2] < 50_000, "median " + micros[micros.length / 2] + " us; the aim is 50 ms");
    }

    @Test
    void pedalsAreBypassedInsertedMovedAndRemovedOnTheRunningBoard() throws Exception {
        TestPage p = readyPage();
        int n = box.engine().board().channel(0).size();
        ok(p.command("{\"v\":1,\"cmd\":\"bypass\",\"channel\":0,\"index\":0,\"on\":true}"));
        assertTrue(box.engine().runningBoard(0).get(0).isBypassed());
        ok(p.command("{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":1,\"type\":\"tremolo\"}"));
        assertEquals(List.of(n + 1, "tremolo"), List.of(box.engine().runningBoard(1).size(),
                box.engine().runningBoard(1).get(1).type().id()));
        ok(p.command("{\"v\":1,\"cmd\":\"move\",\"channel\":0,\"from\":1,\"to\":" + n + "}"));
        assertEquals("tremolo", box.engine().runningBoard(0).get(n).type().id());
        ok(p.command("{\"v\":1,\"cmd\":\"remove\",\"channel\":0,\"index\":" + n + "}"));
        assertEquals(n, box.engine().runningBoard(0).size());
        assertEquals(types(box.engine().runningBoard(0)), box.engine().board().channel(0).stream()
                .map(s -> s.type()).toList(), "the running board and the spec agree");
        JsonNode state = p.command("{\"v\":1,\"cmd\":\"state\"}").get("state");
        assertTrue(state.at("/board/channels/0/pedals/0/bypass").asBoolean());
        assertEquals(n, state.at("/board/channels/0/pedals").size());
    }

    @Test
    void mixerCommandsReachTheStrips() throws Exception {
        TestPage p = readyPage();
        ok(p.command("{\"v\":1,\"cmd\":\"mixer.self\",\"channel\":1,\"gainDb\":-6,\"mute\":true,\"pan\":0.5}"));
        ok(p.command("{\"v\":1,\"cmd\":\"mixer.member\",\"member\":3,\"channel\":0,\"pan\":-0.25}"));
        ok(p.command("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-3}"));
        ok(p.command("{\"v\":1,\"cmd\":\"mixer.input\",\"channel\":0,\"gainDb\":6}"));
        var m = box.engine().mixer();
        assertEquals(List.of(-6.0, true, 0.5), List.of(m.self(1).gainDb(), m.self(1).mute(), m.self(1).pan()));
        assertEquals(-0.25, m.member(2, 0).pan());
        assertEquals(-3.0, m.masterDb());
        assertEquals(6.0, box.engine().inputGainDb(0));
        JsonNode state = p.command("{\"v\":1,\"cmd\":\"state\"}").get("state");
        assertEquals(-3.0, state.at("/mixer/master").asDouble());
        assertTrue(state.at("/mixer/self/1/mute").asBoolean());
    }

    @Test
    void everyKindOfBadInputGetsAnErrorAndChangesNothing() throws Exception {
        TestPage p = readyPage();
        String before = p.command("{\"v\":1,\"cmd\":\"state\"}").get("state").toString();
        int index = indexOf("overdrive");
        String[] bad = {
            "{\"v\":2,\"cmd\":\"state\"}",
            "{\"cmd\":\"state\"}",
            "{\"v\":1}",
            "{\"v\":1,\"cmd\":\"explode\"}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index + ",\"param\":\"drive\",\"value\":1e9}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index + ",\"param\":\"gain\",\"value\":1}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index + ",\"param\":\"drive\",\"value\":\"loud\"}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":99,\"param\":\"drive\",\"value\":1}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":1,\"index\":0,\"param\":\"drive\",\"value\":1}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index + ",\"param\":\"drive\"}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0.5,\"index\":0,\"param\":\"drive\",\"value\":1}",
            "{\"v\":1,\"cmd\":\"bypass\",\"channel\":0,\"index\":0,\"on\":\"yes\"}",
            "{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":0,\"type\":\"fuzzmaster\"}",
            "{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":-1,\"type\":\"tremolo\"}",
            "{\"v\":1,\"cmd\":\"remove\",\"channel\":0,\"index\":42}",
            "{\"v\":1,\"cmd\":\"move\",\"channel\":0,\"from\":0,\"to\":42}",
            "{\"v\":1,\"cmd\":\"state\",\"extra\":1}",
            "{\"v\":1,\"cmd\":\"mixer.self\",\"channel\":0,\"gainDb\":-6,\"pan\":7}",
            "{\"v\":1,\"cmd\":\"mixer.self\",\"channel\":0}",
            "{\"v\":1,\"cmd\":\"mixer.member\",\"member\":0,\"channel\":0,\"mute\":true}",
            "{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":40}",
            "{\"v\":1,\"cmd\":\"mixer.input\",\"channel\":2,\"gainDb\":0}",
            "{\"v\":1,\"cmd\":\"room.join\",\"host\":\"127.0.0.1\",\"port\":70000,\"room\":\"jam\",\"secret\":\"long enough\",\"name\":\"x\"}",
            "{\"v\":1,\"cmd\":\"room.join\",\"host\":\"127.0.0.1\",\"port\":7000,\"room\":\"jam\",\"secret\":\"short\",\"name\":\"x\"}",
            "{\"v\":1,\"cmd\":\"tempo\",\"bpm\":1000}",
            "{\"v\":1,\"cmd\":\"tuner\"}",
            "{\"v\":1,\"cmd\":\"record\",\"on\":1}",
            "[1,2,3]",
            "\"state\"",
        };
        for (String b : bad) {
            if (!b.startsWith("{")) {
                p.sendText(b);
                JsonNode e = p.awaitType("error");
                assertTrue(e.get("error").asText().length() > 5, b + " -> " + e);
                continue;
            }
            JsonNode r = p.command(b);
            assertEquals("error", r.get("type").asText(), b + " -> " + r);
            assertTrue(r.get("error").asText().length() > 5, b + " -> " + r);
            System.out.println(b + "\n  -> " + r.get("error").asText());
        }
        p.sendText("{not json");
        assertTrue(p.awaitType("error").get("error").asText().startsWith("not valid JSON"));
        p.sendBinary(new byte[] {1, 2, 3});
        assertTrue(p.awaitType("error").get("error").asText().contains("binary"));
        assertEquals(before, p.command("{\"v\":1,\"cmd\":\"state\"}").get("state").toString(), "state unchanged");
        ok(p.command("{\"v\":1,\"cmd\":\"state\"}"));
    }

    /** Sends {@code text} as it is (no id added) and returns the reply or error to it. */
    private static JsonNode answer(TestPage p, String text) throws Exception {
        p.sendText(text);
        return p.await(m -> m.path("type").asText().equals("reply") || m.path("type").asText().equals("error"));
    }

    @Test
    void numbersAreCheckedAsWrittenSoNoneWrapsIntoRange() throws Exception {
        TestPage p = readyPage();
        String before = p.command("{\"v\":1,\"cmd\":\"state\"}").get("state").toString();
        int index = indexOf("overdrive");
        String twoTo64 = "18446744073709551616"; // a long's wrap makes it 0
        String[] bad = {
            "{\"v\":1,\"cmd\":\"insert\",\"channel\":" + twoTo64 + ",\"index\":0,\"type\":\"boost\"}",
            "{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":" + twoTo64 + ",\"type\":\"boost\"}",
            "{\"v\":1,\"cmd\":\"remove\",\"channel\":" + twoTo64 + ",\"index\":0}",
            "{\"v\":1,\"cmd\":\"bypass\",\"channel\":" + twoTo64 + ",\"index\":0,\"on\":true}",
            "{\"v\":1,\"cmd\":\"mixer.member\",\"member\":18446744073709551617,\"channel\":0,\"mute\":true}",
            "{\"v\":1,\"cmd\":\"mixer.self\",\"channel\":-18446744073709551616,\"mute\":true}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + (new java.math.BigInteger(twoTo64).add(
                    java.math.BigInteger.valueOf(index))) + ",\"param\":\"drive\",\"value\":1}",
            "{\"v\":1,\"cmd\":\"move\",\"channel\":0,\"from\":4294967296,\"to\":0}",
            "{\"v\":1,\"cmd\":\"room.join\",\"host\":\"127.0.0.1\",\"port\":18446744073709559507,\"room\":\"jam\","
                    + "\"secret\":\"long enough\",\"name\":\"x\"}",
            "{\"v\":1,\"cmd\":\"bypass\",\"channel\":0.0,\"index\":0,\"on\":true}",
            "{\"v\":1,\"cmd\":\"bypass\",\"channel\":0,\"index\":0e0,\"on\":true}",
            "{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-1e300}",
            "{\"v\":1,\"cmd\":\"mixer.input\",\"channel\":0,\"gainDb\":1e300}",
            "{\"v\":1,\"cmd\":\"mixer.self\",\"channel\":0,\"gainDb\":" + twoTo64 + "}",
            "{\"v\":1,\"cmd\":\"tempo\",\"bpm\":" + twoTo64 + "}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index + ",\"param\":\"drive\",\"value\":1e300}",
            "{\"v\":1,\"id\":" + twoTo64 + ",\"cmd\":\"state\"}",
            "{\"v\":1,\"id\":-9223372036854775808,\"cmd\":\"state\"}",
            "{\"v\":18446744073709551617,\"cmd\":\"state\"}",
        };
        for (String b : bad) {
            JsonNode r = answer(p, b);
            assertEquals("error", r.get("type").asText(), b + " -> " + r);
            assertTrue(r.get("error").asText().length() < 100, "in a few words: " + r);
            System.out.println(b + "\n  -> " + r.get("error").asText());
        }
        assertTrue(answer(p, bad[0]).get("error").asText().contains("found " + twoTo64), "the number as written");
        assertFalse(box.engine().mixer().member(0, 0).mute(), "member 1 untouched");
        assertEquals(before, p.command("{\"v\":1,\"cmd\":\"state\"}").get("state").toString(), "state unchanged");
    }

    @Test
    void aNumberTooLargeForTheBoxIsRefusedInOneSentenceWhereverItStands() throws Exception {
        TestPage p = readyPage();
        String before = p.command("{\"v\":1,\"cmd\":\"state\"}").get("state").toString();
        int index = indexOf("overdrive");
        String[] bad = {
            "{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":1e400}",
            "{\"v\":1,\"cmd\":\"mixer.input\",\"channel\":0,\"gainDb\":1e400}",
            "{\"v\":1,\"cmd\":\"mixer.self\",\"channel\":0,\"pan\":1e400}",
            "{\"v\":1,\"cmd\":\"tempo\",\"bpm\":1e400}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index + ",\"param\":\"drive\",\"value\":1e400}",
            "{\"v\":1,\"cmd\":\"set\",\"channel\":1e400,\"index\":" + index + ",\"param\":\"drive\",\"value\":1}",
            "{\"v\":1,\"cmd\":\"preset.import\",\"preset\":{\"version\":1,\"name\":\"Big\",\"channels\":[{\"pedals\":"
                    + "[{\"type\":\"overdrive\",\"params\":{\"drive\":1e400}}]}]}}",
            "{\"v\":1,\"id\":1e400,\"cmd\":\"state\"}",
            "{\"v\":1,\"cmd\":\"state\",\"extra\":1e400}",
        };
        java.util.Set<String> messages = new java.util.TreeSet<>();
        for (String b : bad) {
            JsonNode r = answer(p, b);
            assertEquals("error", r.get("type").asText(), b + " -> " + r);
            messages.add(r.get("error").asText());
        }
        assertEquals(java.util.Set.of("the number 1e400 is too large for the box"), messages);
        assertEquals("the number -1e400 is too large for the box",
                answer(p, "{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-1e400}").get("error").asText());
        assertEquals(before, p.command("{\"v\":1,\"cmd\":\"state\"}").get("state").toString(), "state unchanged");
    }

    @Test
    void aMessageIsOneStrictJsonObjectAndItsErrorsAreInPlainWords() throws Exception {
        TestPage p = readyPage();
        String deep = "[".repeat(Messages.MAX_DEPTH + 8) + "]".repeat(Messages.MAX_DEPTH + 8);
        String[] bad = {
            "{\"v\":1,\"cmd\":\"tap\"} junk",
            "{\"v\":1,\"cmd\":\"tap\"}{\"v\":1,\"cmd\":\"tap\"}",
            "{\"v\":1,\"cmd\":\"tap\"} 7",
            "{\"v\":1,\"cmd\":\"state\",\"cmd\":\"tap\"}",
            "{\"v\":1,\"cmd\":\"preset.import\",\"preset\":{\"version\":1,\"name\":\"A\",\"name\":\"B\",\"channels\":[]}}",
            "{\"v\":1,\"cmd\":\"preset.import\",\"preset\":{\"deep\":" + deep + "}}",
            "[".repeat(ControlServer.MAX_MESSAGE_BYTES - 10),
            "{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":NaN}",
            "{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-Infinity}",
            "{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":" + "1".repeat(500) + "}",
            "{\"v\":1,\"cmd\":\"tap\",}",
            "{\"v\":1,\"cmd\":\"tap\"",
            "{'v':1}",
            "{\"v\":1,\"cmd\":\"tap" + (char) 7 + "\"}",
            "",
        };
        for (String b : bad) {
            JsonNode r = answer(p, b);
            assertEquals("error", r.get("type").asText(), b + " -> " + r);
            String why = r.get("error").asText();
            System.out.println(b.substring(0, Math.min(b.length(), 90)) + "\n  -> " + why);
            for (String jackson : List.of("`", "REDACTED", "Feature", "Source", "Jackson", "StreamRead", "JsonToken")) {
                assertFalse(why.contains(jackson), "in the project's words, not Jackson's: " + why);
            }
            assertTrue(why.length() < 200, why);
        }
        assertTrue(answer(p, bad[3]).get("error").asText().contains("'cmd' appears twice"));
        assertTrue(answer(p, bad[5]).get("error").asText().contains("nested more than " + Messages.MAX_DEPTH));
        // None of the taps above ran: this one is the first.
        assertEquals(1, p.command("{\"v\":1,\"cmd\":\"tap\"}").get("taps").asInt());
    }

    @Test
    void aMessageOverTheLimitClosesThatPageOnly() throws Exception {
        TestPage big = readyPage();
        TestPage other = readyPage();
        big.sendText("{\"v\":1,\"cmd\":\"state\",\"pad\":\"" + "x".repeat(ControlServer.MAX_MESSAGE_BYTES) + "\"}");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (big.closeCode == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1009, big.closeCode, "closed as too big");
        ok(other.command("{\"v\":1,\"cmd\":\"state\"}"));
    }

    @Test
    void aPageThatStopsReadingIsDroppedAndSlowsNoOtherPage() throws Exception {
        int port = server.address().getPort();
        try (java.net.Socket stuck = new java.net.Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            stuck.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = stuck.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            // From here the stuck page reads nothing, like a phone that went to sleep with the page open.

            TestPage busy = readyPage();
            TestPage watcher = readyPage();
            int index = indexOf("overdrive");
            int meters = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) { // ~10 MB of state pushes for every page, within the rate limit
                busy.sendText("{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index
                        + ",\"param\":\"drive\",\"value\":" + (i % 40) + "}");
                if (i % 10 == 9) {
                    Thread.sleep(60);
                }
                for (JsonNode m; (m = watcher.received.poll()) != null; ) {
                    meters += m.path("type").asText().equals("meters") ? 1 : 0;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("during %.1f s of changes a reading page got %d meter frames (%.1f/s)%n", seconds, meters,
                    meters / seconds);
            assertTrue(meters > 5 * seconds, meters + " meter frames in " + seconds + " s");
            long[] latencies = changeLatenciesMicros(busy, watcher, index, 21);
            long median = latencies[latencies.length / 2];
            assertTrue(median < 50_000, "a change still reaches a reading page in " + median + " us");

            // Still reading nothing: the box lets the page go once it has taken nothing for
            // ControlServer.STUCK_NANOS (10 s), and what was on its way is all the page will get.
            Thread.sleep(ControlServer.STUCK_NANOS / 1_000_000 + 3000);
            stuck.setSoTimeout(5_000);
            byte[] sink = new byte[65536];
            long drained = 0;
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int n; (n = in.read(sink)) >= 0; ) {
                drained += n;
                assertTrue(System.nanoTime() < deadline, "the stuck page was not let go: " + drained + " bytes and counting");
            }
            System.out.println("the stuck page was closed by the box after " + drained + " bytes had reached it");
        }
    }

    /**
     * How soon another page sees a change, {@code n} times, sorted: from sending the drive's new
     * value on {@code from} to {@code to} holding the state that has it.
     */
    private static long[] changeLatenciesMicros(TestPage from, TestPage to, int index, int n) throws Exception {
        long[] micros = new long[n];
        for (int i = 0; i < micros.length; i++) {
            double v = i % 40 + 0.5; // each differs from the last, and from the whole numbers of any flood before
            long t0 = System.nanoTime();
            from.sendText("{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index + ",\"param\":\"drive\",\"value\":" + v + "}");
            to.awaitState(s -> s.at("/board/channels/0/pedals/" + index + "/params/drive").asDouble() == v);
            micros[i] = (System.nanoTime() - t0) / 1000;
        }
        java.util.Arrays.sort(micros);
        return micros;
    }

    @Test
    void aWebSocketFromAnotherOriginIsRefusedAndTheBoxsOwnIsLetIn() throws Exception {
        int port = server.address().getPort();
        Exception refused = null;
        try {
            new TestPage(port, "http://evil.example").close();
        } catch (Exception e) {
            refused = e;
        }
        assertNotNull(refused, "a foreign origin was let in");
        assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException h
                && h.getResponse().statusCode() == 403, String.valueOf(refused));
        TestPage own = new TestPage(port, "http://127.0.0.1:" + port);
        open.add(own);
        own.awaitType("state");
    }

    @Test
    void withAPinNothingButLoginIsAcceptedUntilTheRightPin() throws Exception {
        closeAll();
        start("4321");
        TestPage p = page();
        assertTrue(p.awaitType("hello").get("pinRequired").asBoolean());
        JsonNode r = p.command("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-20}");
        assertTrue(r.get("error").asText().contains("PIN"), r.toString());
        r = p.command("{\"v\":1,\"cmd\":\"login\",\"pin\":\"0000\"}");
        assertEquals("wrong PIN", r.get("error").asText());
        assertEquals(0.0, box.engine().mixer().masterDb());
        ok(p.command("{\"v\":1,\"cmd\":\"login\",\"pin\":\"4321\"}"));
        p.awaitType("state");
        ok(p.command("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-20}"));
        assertEquals(-20.0, box.engine().mixer().masterDb());
    }

    /**
     * Guessing is slowed box-wide: after five wrong PINs the sixth locks login, and while it is
     * locked even the right PIN is refused, on a new connection too; nothing changes meanwhile.
     */
    @Test
    void wrongPinsLockLoginForEveryPage() throws Exception {
        closeAll();
        start("4321");
        TestPage p = page();
        p.awaitType("hello");
        for (int i = 0; i < PinGuard.FREE_TRIES + 1; i++) {
            JsonNode r = p.command("{\"v\":1,\"cmd\":\"login\",\"pin\":\"000" + i + "\"}");
            assertEquals("wrong PIN", r.get("error").asText(), "try " + (i + 1));
        }
        TestPage other = page();
        other.awaitType("hello");
        JsonNode r = other.command("{\"v\":1,\"cmd\":\"login\",\"pin\":\"4321\"}");
        assertEquals("too many wrong PINs: try again in 1 s", r.get("error").asText());
        assertTrue(other.command("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-20}").has("error"));
        assertEquals(0.0, box.engine().mixer().masterDb());
        Thread.sleep(1100);
        ok(other.command("{\"v\":1,\"cmd\":\"login\",\"pin\":\"4321\"}"));
    }

    @Test
    void aFloodOfCommandsIsCutOffAtTheRateLimit() throws Exception {
        TestPage p = readyPage();
        int n = 3 * PageSession.RATE;
        for (int i = 0; i < n; i++) {
            p.sendText("{\"v\":1,\"id\":" + i + ",\"cmd\":\"mixer.master\",\"gainDb\":" + (-(i % 10)) + "}");
        }
        int replies = 0;
        int limited = 0;
        while (replies + limited < n) {
            JsonNode m = p.await(x -> x.has("id"));
            if (m.get("type").asText().equals("reply")) {
                replies++;
            } else if (m.get("error").asText().startsWith("too many")) {
                limited++;
            }
        }
        System.out.println(n + " commands at once: " + replies + " applied, " + limited + " refused by the limit");
        assertTrue(limited > 0 && replies >= PageSession.RATE, replies + " applied, " + limited + " refused");
    }

    @Test
    void theTunerHearsTheInputsA440AndCanMuteTheBox() throws Exception {
        TestPage p = readyPage();
        ok(p.command("{\"v\":1,\"cmd\":\"tuner\",\"on\":true,\"mute\":true}"));
        JsonNode reading = p.await(m -> m.path("type").asText().equals("tuner") && m.path("note").isTextual());
        assertEquals("A4", reading.get("note").asText(), reading.toString());
        assertEquals(0, reading.get("cents").asDouble(), 5, reading.toString());
        assertTrue(box.engine().tunerMute());
        // The peak meter falls at 20 dB/s: silence shows as null once the last peak has fallen away.
        p.await(m -> m.path("type").asText().equals("meters") && m.get("in").get(0).isNull()
                && m.get("out").get(0).isNull());
        JsonNode still = p.await(m -> m.path("type").asText().equals("tuner") && m.path("note").isTextual());
        assertEquals("A4", still.get("note").asText(), "the tuner hears the input while the box is muted");
        ok(p.command("{\"v\":1,\"cmd\":\"tuner\",\"on\":false}"));
        assertFalse(box.engine().tunerMute());
        p.await(m -> m.path("type").asText().equals("meters") && !m.get("in").get(0).isNull());
    }

    @Test
    void metersComeAboutTwentyTimesASecondAndStatsOnce() throws Exception {
        TestPage p = readyPage();
        p.awaitType("stats");
        long t0 = System.nanoTime();
        int meters = 0;
        while (System.nanoTime() - t0 < 2_000_000_000L) {
            JsonNode m = p.received.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (m != null && m.get("type").asText().equals("meters")) {
                meters++;
            }
        }
        System.out.println("meter frames in 2 s: " + meters);
        assertTrue(meters >= 10 && meters <= 60, meters + " meter frames in 2 s");
    }

    @Test
    void tempoAndTapTempoSetTheMetronome() throws Exception {
        TestPage p = readyPage();
        ok(p.command("{\"v\":1,\"cmd\":\"tempo\",\"bpm\":96}"));
        assertEquals(96.0, p.command("{\"v\":1,\"cmd\":\"state\"}").at("/state/tempo/bpm").asDouble());
        for (int i = 0; i < 4; i++) {
            ok(p.command("{\"v\":1,\"cmd\":\"tap\"}"));
            Thread.sleep(500);
        }
        double bpm = p.command("{\"v\":1,\"cmd\":\"state\"}").at("/state/tempo/bpm").asDouble();
        System.out.println("four taps 500 ms apart: " + bpm + " bpm");
        assertTrue(bpm > 80 && bpm < 130, bpm + " bpm"); // 120 by the taps, less however late the VM ran them
    }

    @Test
    void recordingWritesWavFilesOfTheTake() throws Exception {
        TestPage p = readyPage();
        ok(p.command("{\"v\":1,\"cmd\":\"record\",\"on\":true}"));
        Thread.sleep(1000);
        ok(p.command("{\"v\":1,\"cmd\":\"record\",\"on\":false}"));
        JsonNode state = p.command("{\"v\":1,\"cmd\":\"state\"}").get("state");
        assertFalse(state.get("recording").asBoolean());
        Path take = Path.of(state.get("lastRecording").asText());
        try (Stream<Path> files = Files.list(take)) {
            List<Path> wavs = files.filter(f -> f.toString().endsWith(".wav")).toList();
            assertTrue(wavs.size() >= 3, "inputs and mix: " + wavs);
            for (Path w : wavs) {
                assertTrue(Files.size(w) > 44 + RATE / 4, w + " holds " + Files.size(w) + " bytes");
            }
        }
    }

    /**
     * The box's own latency from the state, with known settings: 48 kHz, 64 frames, 3 periods
     * (4 ms each way) and the default board, whose one oversampled pedal (the overdrive) both
     * inputs run; bypassing it takes its 15 samples off at once.
     */
    @Test
    void theStateSaysTheBoxsOwnLatencyFromItsSettingsAndBoard() throws Exception {
        control.setAudioInterface(new AudioInterface("alsa", "CODEC", "USB Audio CODEC", "usb", "the only card", null,
                RATE, 64, 3));
        TestPage p = readyPage();
        JsonNode l = p.command("{\"v\":1,\"cmd\":\"state\"}").at("/state/latency");
        assertEquals(RATE, l.get("sampleRate").asInt(), l.toString());
        assertEquals(64, l.get("periodFrames").asInt());
        assertEquals(3, l.get("periods").asInt());
        assertEquals(4.0, l.get("soundCardMs").asDouble(), 1e-9);
        assertEquals(15.0, l.at("/boardSamples/0").asDouble(), 1e-9);
        assertEquals(15.0, l.at("/boardSamples/1").asDouble(), 1e-9);
        assertEquals(0.313, l.at("/boardMs/0").asDouble(), 1e-9);
        // The safety limiter, on by default, adds its lookahead.
        int lookahead = box.engine().limiter().lookaheadSamples();
        assertEquals(lookahead, l.get("limiterSamples").asInt());
        assertEquals(4 + 15.0 / 48 + lookahead / 48.0 + 4, l.get("inputToOutputMs").asDouble(), 0.001);
        assertEquals(0, l.get("members").size(), "playing alone");

        int index = indexOf("overdrive");
        ok(p.command("{\"v\":1,\"cmd\":\"bypass\",\"channel\":0,\"index\":" + index + ",\"on\":true}"));
        l = p.command("{\"v\":1,\"cmd\":\"state\"}").at("/state/latency");
        assertEquals(0.0, l.at("/boardSamples/0").asDouble(), 1e-9, l.toString());
        assertEquals(8.0 + lookahead / 48.0, l.get("inputToOutputMs").asDouble(), 0.001);

        // The catalog carries each type's figure, so the page can sum a board itself.
        JsonNode catalog = p.command("{\"v\":1,\"cmd\":\"state\"}").at("/state/catalog");
        for (JsonNode t : catalog) {
            assertEquals(jambox.dsp.Catalog.byId(t.get("id").asText()).latencySamples(), t.get("latencySamples").asDouble());
        }
    }

    @Test
    void joiningAndLeavingARoomFromThePage() throws Exception {
        RoomServer room = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", "page room secret", 16)));
        open.add(room);
        TestPage p = readyPage();
        ok(p.command("{\"v\":1,\"cmd\":\"room.join\",\"host\":\"127.0.0.1\",\"port\":" + room.address().getPort()
                + ",\"room\":\"jam\",\"secret\":\"page room secret\",\"name\":\"Phone\"}"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(box.stream() != null && box.stream().joined()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(box.stream().joined(), box.status());
        JsonNode stats = p.await(m -> m.path("type").asText().equals("stats")
                && m.at("/room/state").asText().contains("member"));
        System.out.println("stats push: " + stats);
        // Without JACK's card probe the box assumes JACK's default of 2 periods: 2.667 ms each way.
        assertEquals(2, stats.at("/latency/periods").asInt(), stats.toString());
        assertEquals(2 * 2.667 + stats.at("/latency/boardMs/0").asDouble() + stats.at("/latency/limiterMs").asDouble(),
                stats.at("/latency/inputToOutputMs").asDouble(), 0.002);
        ok(p.command("{\"v\":1,\"cmd\":\"room.leave\"}"));
        assertEquals(null, box.stream());
        assertEquals("playing alone", p.command("{\"v\":1,\"cmd\":\"state\"}").at("/state/room/state").asText());
    }

    @Test
    void presetsAreListedSavedLoadedRenamedExportedImportedAndDeleted() throws Exception {
        TestPage p = readyPage();
        JsonNode list = p.command("{\"v\":1,\"cmd\":\"preset.list\"}");
        List<String> factory = new ArrayList<>();
        list.get("presets").forEach(n -> factory.add(n.asText()));
        assertTrue(factory.contains("Clean") && factory.contains("Lead"), "factory presets: " + factory);
        assertEquals(0, list.get("problems").size());

        int index = indexOf("overdrive");
        ok(p.command("{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + index
                + ",\"param\":\"drive\",\"value\":27}"));
        ok(p.command("{\"v\":1,\"cmd\":\"preset.save\",\"name\":\"My tone\"}"));
        JsonNode state = p.command("{\"v\":1,\"cmd\":\"state\"}").get("state");
        assertEquals("My tone", state.get("preset").asText());
        assertFalse(state.get("presetEdited").asBoolean());
        assertTrue(Files.exists(dir.resolve("presets").resolve("my-tone.json")), "the file on disk");

        ok(p.command("{\"v\":1,\"cmd\":\"preset.load\",\"name\":\"Clean\"}"));
        assertEquals("Clean", box.engine().board().name());
        assertEquals(box.engine().board().channel(0).size(), box.engine().runningBoard(0).size(), "the running board is Clean's");

        ok(p.command("{\"v\":1,\"cmd\":\"preset.rename\",\"from\":\"My tone\",\"to\":\"Stage tone\"}"));
        JsonNode exported = p.command("{\"v\":1,\"cmd\":\"preset.export\",\"name\":\"Stage tone\"}").get("preset");
        assertEquals("Stage tone", exported.get("name").asText());
        ok(p.command("{\"v\":1,\"cmd\":\"preset.delete\",\"name\":\"Stage tone\"}"));
        assertTrue(p.command("{\"v\":1,\"cmd\":\"preset.load\",\"name\":\"Stage tone\"}").has("error"));
        JsonNode imported = p.command("{\"v\":1,\"cmd\":\"preset.import\",\"preset\":" + exported + "}");
        assertEquals("Stage tone", imported.get("name").asText(), imported.toString());
        ok(p.command("{\"v\":1,\"cmd\":\"preset.load\",\"name\":\"Stage tone\"}"));
        assertEquals(27.0, box.engine().runningBoard(0).get(index).get("drive"), 1e-9, "the saved drive came back");

        // Bad presets: reported, nothing changes on disk.
        List<String> before = listing(dir.resolve("presets"));
        String[] bad = {
            "{\"v\":1,\"cmd\":\"preset.import\",\"preset\":{\"version\":1,\"name\":\"X\",\"channels\":[{\"pedals\":[{\"type\":\"fuzzmaster\"}]}]}}",
            "{\"v\":1,\"cmd\":\"preset.import\",\"preset\":{\"version\":1,\"name\":\"X\",\"channels\":[{\"pedals\":[{\"type\":\"overdrive\",\"params\":{\"gain\":3}}]}]}}",
            "{\"v\":1,\"cmd\":\"preset.import\",\"preset\":{\"version\":9,\"name\":\"X\",\"channels\":[]}}",
            "{\"v\":1,\"cmd\":\"preset.import\",\"preset\":[1]}",
            "{\"v\":1,\"cmd\":\"preset.import\",\"preset\":" + exported + "}",
            "{\"v\":1,\"cmd\":\"preset.save\",\"name\":\"\\u0007bell\"}",
            "{\"v\":1,\"cmd\":\"preset.save\",\"name\":\"" + "x".repeat(65) + "\"}",
            "{\"v\":1,\"cmd\":\"preset.rename\",\"from\":\"Clean\",\"to\":\"Lead\"}",
            "{\"v\":1,\"cmd\":\"preset.delete\",\"name\":\"../../etc/passwd\"}",
            "{\"v\":1,\"cmd\":\"preset.export\",\"name\":\"nobody\"}",
        };
        for (String b : bad) {
            JsonNode r = p.command(b);
            assertEquals("error", r.get("type").asText(), b + " -> " + r);
            System.out.println(b.substring(0, Math.min(90, b.length())) + "\n  -> " + r.get("error").asText());
        }
        assertEquals(before, listing(dir.resolve("presets")), "the preset folder is as it was");
    }

    @Test
    void theSystemPanelReportsAudioCpuAndNetwork() throws Exception {
        TestPage p = readyPage();
        JsonNode system = p.command("{\"v\":1,\"cmd\":\"system\"}").get("system");
        assertEquals(RATE, system.at("/audio/sampleRate").asInt(), system.toString());
        assertEquals(64, system.at("/audio/periodFrames").asInt());
        assertEquals(jambox.appliance.app.Version.current(), system.get("version").asText());
        assertTrue(system.has("processCpuPercent") && system.has("temperatureC") && system.at("/network/xruns").isNumber(),
                system.toString());
        assertTrue(system.get("audioInterface").isNull(), "JACK not started by jambox-jack: nothing to say");
        assertTrue(system.get("configError").isNull(), system.toString());
    }

    private static List<String> listing(Path folder) throws Exception {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path f : s.sorted().toList()) {
                files.add(f.getFileName() + ":" + java.util.Arrays.hashCode(Files.readAllBytes(f)));
            }
        }
        return files;
    }

    @Test
    void thePageIsServedAndNothingOutsideItsFolder() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.address().getPort();
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(index.body().contains("<html"), index.body());
        for (String path : List.of("/../pom.xml", "/%2e%2e/jambox/default-board.json", "/jambox/default-board.json",
                "/nothing.html", "/.hidden")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), path + " -> " + r.body());
        }
    }

    private static void ok(JsonNode reply) {
        JsonAssert.ok(reply);
    }

    private int indexOf(String type) {
        return jambox.appliance.board.Boards.indexOf(box.engine().board(), type);
    }

    private static List<String> types(Board b) {
        return b.pedals().stream().map(x -> x.type().id()).toList();
    }
}
