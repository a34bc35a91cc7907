package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * The room part of the state and the stats push, with real boxes (simulated audio) and a real room
 * server on loopback: the keys the page reads, and each join state pushed to listeners as it
 * happens, with no command to prompt it.
 */
class RoomStateTest {
    private static final int RATE = 48_000;
    private static final String SECRET = "room state secret";
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Every state the control service pushed, in order. */
    private final LinkedBlockingQueue<ObjectNode> pushed = new LinkedBlockingQueue<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Appliance box(StreamConfig room) throws Exception {
        float[][] tone = {new float[RATE], new float[RATE]};
        for (int i = 0; i < RATE; i++) {
            tone[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * 330 * i / RATE));
        }
        Appliance a = Appliance.start(new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null, room,
                new ApplianceConfig.Jitter(true, 4)), EMPTY,
                new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, new LoopedInput(tone), null));
        open.add(a);
        return a;
    }

    private static StreamConfig room(int port, String secret, String name) {
        return new StreamConfig("127.0.0.1", port, "jam", secret, name, List.of("guitar", "voice"), Codec.PCM16, 64);
    }

    private ControlService control(Appliance box) throws Exception {
        ControlService c = new ControlService(box, new ControlService.Options(room(1, "template secret", "me"),
                dir.resolve("recordings"), PresetStore.open(dir.resolve("presets")), new LastState(dir)));
        open.add(c);
        c.onChange(pushed::add);
        return c;
    }

    private RoomServer server(int capacity) throws Exception {
        RoomServer s = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, capacity)));
        open.add(s);
        return s;
    }

    private static JsonNode join(ControlService c, int port, String secret, String name) throws Exception {
        return c.handle(ControlService.JSON.readTree("{\"v\":1,\"cmd\":\"room.join\",\"host\":\"127.0.0.1\",\"port\":"
                + port + ",\"room\":\"jam\",\"secret\":\"" + secret + "\",\"name\":\"" + name + "\"}"));
    }

    /** The first pushed room state that {@code wanted} accepts, within {@code millis}; fails naming the last seen. */
    private JsonNode awaitPushed(String what, long millis, Predicate<JsonNode> wanted) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        JsonNode last = null;
        while (System.nanoTime() < end) {
            ObjectNode s = pushed.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (s == null) {
                break;
            }
            last = s.get("room");
            if (wanted.test(last)) {
                return last;
            }
        }
        throw new AssertionError(what + " not pushed within " + millis + " ms; last room state pushed: " + last);
    }

    private static Predicate<JsonNode> status(String s) {
        return r -> s.equals(r.path("status").asText());
    }

    @Test
    void theRoomStateNamesItsKeysAndNeverTheSecret() throws Exception {
        ControlService c = control(box(null));
        JsonNode alone = c.state().get("room");
        assertEquals(List.of("joined", "status", "state", "reason", "mix"), fieldNames(alone), alone.toString());
        assertEquals("alone", alone.get("status").asText());
        assertEquals("playing alone", alone.get("state").asText());
        assertFalse(alone.get("joined").asBoolean());

        RoomServer s = server(16);
        int port = s.address().getPort();
        join(c, port, SECRET, "Ann");
        JsonNode joined = awaitPushed("joined", 10_000, status("joined"));
        assertEquals(List.of("joined", "status", "state", "reason", "mix", "host", "port", "room", "name"), fieldNames(joined));
        assertTrue(joined.get("joined").asBoolean(), joined.toString());
        assertEquals("127.0.0.1", joined.get("host").asText());
        assertEquals(port, joined.get("port").asInt());
        assertEquals("jam", joined.get("room").asText());
        assertEquals("Ann", joined.get("name").asText());
        assertTrue(joined.get("reason").isNull());
        assertEquals("box", joined.get("mix").asText(), "a forwarding room: the box mixes");
        assertFalse(c.state().toString().contains(SECRET), "the secret is never in the state");
    }

    @Test
    void theStatsPushCarriesRttLossDriftAndTheBufferInMilliseconds() throws Exception {
        RoomServer s = server(16);
        int port = s.address().getPort();
        box(room(port, SECRET, "Ann"));
        Appliance bob = box(room(port, SECRET, "Bob"));
        ControlService c = control(bob);
        JsonNode stats = null;
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            stats = c.stats();
            if (stats.at("/room/rttMs").isNumber() && stats.at("/members/0/depthMs").isNumber()) {
                break;
            }
            Thread.sleep(100);
        }
        System.out.println("stats: " + stats);
        assertTrue(stats.at("/room/rttMs").isNumber(), stats.toString());
        assertTrue(stats.at("/room/rttMs").asDouble() > 0, stats.toString());
        JsonNode ann = stats.at("/members/0");
        assertEquals("Ann", ann.get("name").asText());
        for (String key : List.of("lossPercent", "driftPpm", "depthMs", "targetMs", "lost", "concealed", "late", "dropouts")) {
            assertTrue(ann.path(key).isNumber(), key + " in " + ann);
        }
        double loss = ann.get("lossPercent").asDouble();
        assertTrue(loss >= 0 && loss <= 100, ann.toString());
        assertEquals(ann.get("depth").asDouble() * 1000 / RATE, ann.get("depthMs").asDouble(), 1e-9, "frames -> ms");
        assertEquals(ann.get("target").asDouble() * 1000 / RATE, ann.get("targetMs").asDouble(), 1e-9);
    }

    @Test
    void aWrongSecretIsPushedWithinTwoSecondsAndSaidOnce() throws Exception {
        int port = server(16).address().getPort();
        ControlService c = control(box(null));
        long t0 = System.nanoTime();
        join(c, port, "not the secret", "Eve");
        JsonNode r = awaitPushed("wrongSecret", 2_000, status("wrongSecret"));
        System.out.printf("wrong secret pushed after %.0f ms: %s%n", (System.nanoTime() - t0) / 1e6, r);
        assertFalse(r.get("joined").asBoolean());
        assertTrue(r.get("reason").isTextual() && !r.get("reason").asText().isEmpty(), r.toString());
        // The box retries every 5 s; the page must not flicker back to "joining" meanwhile.
        Thread.sleep(6_000);
        assertEquals("wrongSecret", c.state().at("/room/status").asText());
        for (ObjectNode later : pushed) {
            assertEquals("wrongSecret", later.at("/room/status").asText(), "nothing else pushed: " + later.get("room"));
        }
    }

    @Test
    void aFullRoomSaysSoAndLetsTheBoxInWhenAPlaceFrees() throws Exception {
        RoomServer s = server(1);
        int port = s.address().getPort();
        Appliance first = box(room(port, SECRET, "Ann"));
        long end = System.nanoTime() + 10_000_000_000L;
        while (!(first.stream().joined()) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        ControlService c = control(box(null));
        join(c, port, SECRET, "Bob");
        awaitPushed("roomFull", 5_000, status("roomFull"));
        first.leave();
        awaitPushed("joined once Ann left", 10_000, status("joined"));
    }

    @Test
    void noServerIsUnreachableAndAServerComingUpIsJoined() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free once closed: nothing answers there
        }
        ControlService c = control(box(null));
        join(c, port, SECRET, "Ann");
        JsonNode r = awaitPushed("unreachable", 5_000, status("unreachable"));
        assertTrue(r.get("state").asText().contains("127.0.0.1:" + port), r.toString());
        RoomServer later = RoomServer.start(ServerConfig.defaults().withPort(port).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
        open.add(later);
        awaitPushed("joined once the server is up", 10_000, status("joined"));
    }

    @Test
    void leavingSaysLeftAndKeepsTheRoomForTheForm() throws Exception {
        int port = server(16).address().getPort();
        ControlService c = control(box(null));
        join(c, port, SECRET, "Ann");
        awaitPushed("joined", 10_000, status("joined"));
        c.handle(ControlService.JSON.readTree("{\"v\":1,\"cmd\":\"room.leave\"}"));
        JsonNode left = awaitPushed("left", 2_000, status("left"));
        assertFalse(left.get("joined").asBoolean());
        assertEquals("playing alone", left.get("state").asText());
        assertEquals("127.0.0.1", left.get("host").asText());
        assertEquals(port, left.get("port").asInt());
        assertEquals("jam", left.get("room").asText());
        assertEquals("Ann", left.get("name").asText());
    }

    @Test
    void aHostThatCannotBeFoundIsRefusedAndTheRoomPlayedInIsKept() throws Exception {
        int port = server(16).address().getPort();
        Appliance box = box(null);
        ControlService c = control(box);
        join(c, port, SECRET, "Ann");
        awaitPushed("joined", 10_000, status("joined"));
        var before = box.stream();
        BadCommandException e = assertThrows(BadCommandException.class, () -> c.handle(ControlService.JSON.readTree(
                "{\"v\":1,\"cmd\":\"room.join\",\"host\":\"no-such-host.invalid\",\"port\":7891,\"room\":\"jam\","
                        + "\"secret\":\"a long enough secret\",\"name\":\"Ann\"}")));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        assertEquals(before, box.stream(), "still in the room");
        assertTrue(box.stream().joined());
        assertNull(c.state().at("/room/reason").textValue());
    }

    /** The page has words for every status the box can send, and the API doc lists each. */
    @Test
    void everyJoinStatusIsSaidOnThePageAndDocumented() throws Exception {
        String page;
        try (var in = RoomStateTest.class.getResourceAsStream("/jambox/web/js/room.js")) {
            page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String doc = java.nio.file.Files.readString(Path.of("..", "docs", "control-api.md"));
        List<String> codes = new ArrayList<>(List.of("alone", "left"));
        for (jambox.appliance.stream.StreamClient.Status s : jambox.appliance.stream.StreamClient.Status.values()) {
            codes.add(StateJson.status(s));
        }
        assertEquals("wrongSecret", StateJson.status(jambox.appliance.stream.StreamClient.Status.WRONG_SECRET));
        for (String code : codes) {
            assertTrue(page.contains("\n  " + code + ": (r) =>") || page.contains("\n  " + code + ": () =>"),
                    "room.js says " + code);
            assertTrue(doc.contains("| `" + code + "` |"), "control-api.md lists " + code);
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
