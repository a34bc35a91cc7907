package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.ObjectMapper;

import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlPlane;
import jambox.appliance.control.ControlServer;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * {@code jambox status} against a real box: simulated audio, its control page on a free port,
 * joined to a real room server where a second simulated box plays a tone.
 */
class StatusCommandTest {
    private static final int RATE = 48_000;
    private static final String SECRET = "status test secret";
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));
    /** The second box's tone: a sine of this peak, sent as it is (an empty board). */
    private static final double TONE_DBFS = 20 * Math.log10(0.3);
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static Appliance box;
    private static int page;

    @TempDir
    static Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startTheBoxInARoom() throws Exception {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withBind(InetAddress.getLoopbackAddress())
                .withPort(0).withStatusPort(0), List.of(new RoomConfig("jam", SECRET, 16)));
        OPEN.add(server);
        int port = server.address().getPort();
        float[] tone = new float[RATE];
        for (int i = 0; i < RATE; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 330 * i / RATE));
        }
        OPEN.add(Appliance.start(config(port, "second box"), EMPTY,
                new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, LoopedInput.firstInput(tone), null)));
        box = Appliance.start(config(port, "me"), EMPTY, new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, null, null));
        OPEN.add(box);
        ControlPlane plane = ControlPlane.start(box, box.room(), dir.resolve("data"),
                new ControlServer.Settings("127.0.0.1", 0, null));
        OPEN.add(plane);
        page = URI.create(plane.url()).getPort();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!heard() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(heard(), "the second box is heard: " + box.status());
    }

    private static ApplianceConfig config(int roomPort, String player) {
        return new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null, new StreamConfig("127.0.0.1", roomPort, "jam",
                SECRET, player, List.of("guitar", "voice"), Codec.PCM16, 64), ApplianceConfig.Jitter.DEFAULT);
    }

    private static boolean heard() {
        return box.stream().joined() && box.members().members().stream()
                .anyMatch(m -> m.name().equals("second box") && box.engine().memberMeter(m.id() - 1).peak() > 0.1f);
    }

    @AfterAll
    static void closeAll() throws Exception {
        for (int i = OPEN.size() - 1; i >= 0; i--) {
            OPEN.get(i).close();
        }
    }

    private int status(String... args) {
        out.reset();
        err.reset();
        return StatusCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A config file whose control section is {@code control} (JSON object members). */
    private static String config(String name, String control) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "{\"version\": 1, \"control\": {" + control + "}}");
        return file.toString();
    }

    @Test
    void theSummarySaysTheRoomIsJoinedAndTheOtherBoxIsHeard() throws Exception {
        // No bind in the file: the box listens everywhere, and status asks on loopback.
        // A long timeout: a busy CI machine must not cost the CPU figure (it needs a second of room).
        assertEquals(0, status("--config", config("plain.json", "\"port\": " + page), "--timeout", "10"), err());
        System.out.print(out());
        List<String> lines = out().lines().toList();
        assertEquals("jambox " + Version.current() + ": running", lines.get(0));
        assertEquals("audio: simulated (48000 Hz, 64 frames, paced), running", lines.get(1).replaceAll(", [0-9]+ xruns?$", ""));
        assertTrue(lines.get(2).startsWith("system: ") && lines.get(2).contains("% of the CPU"), lines.get(2));
        assertTrue(lines.get(3).matches("room: joined room 'jam' as member [0-9]+ \\(127\\.0\\.0\\.1:[0-9]+\\), rtt [0-9.]+ ms"),
                lines.get(3));
        Matcher other = Pattern.compile("  [0-9]+ second box: hearing audio, peak (-[0-9.]+) dBFS, depth [0-9]+/[0-9]+ frames, lost [0-9]+.*")
                .matcher(lines.get(4));
        assertTrue(other.matches(), lines.get(4));
        assertEquals(TONE_DBFS, Double.parseDouble(other.group(1)), 1.5, "the level the second box sends");
        assertTrue(lines.get(5).matches("in: -inf / -inf dBFS, out: -[0-9.]+ / -[0-9.]+ dBFS"), lines.get(5));
        assertTrue(lines.get(6).matches("midi: [0-9]+ received, [0-9]+ sent, [0-9]+ late, 0 dropped"), lines.get(6));
        assertEquals(7, lines.size(), out());
    }

    @Test
    void jsonHoldsTheSameFacts() throws Exception {
        assertEquals(0, status("--json", "--config", config("plain.json", "\"port\": " + page), "--timeout", "10"), err());
        assertEquals(1, out().lines().count(), "one JSON object on one line");
        JsonNode f = new ObjectMapper().readTree(out());
        assertEquals(Version.current(), f.get("version").asText());
        assertEquals("127.0.0.1:" + page, f.get("address").asText());
        assertEquals(RATE, f.at("/audio/sampleRate").asInt());
        assertTrue(f.at("/audio/running").asBoolean());
        assertTrue(f.at("/room/joined").asBoolean() && f.at("/room/state").asText().startsWith("joined room 'jam'"), f.toString());
        assertEquals("joined", f.at("/room/status").asText(), f.toString());
        assertEquals("me", f.at("/room/name").asText());
        assertEquals(1, f.get("members").size(), f.toString());
        JsonNode other = f.get("members").get(0);
        assertEquals("second box", other.get("name").asText());
        assertTrue(other.get("hearing").asBoolean());
        assertEquals(TONE_DBFS, other.get("peakDbfs").asDouble(), 1.5);
        assertTrue(other.get("depth").asInt() > 0 && other.has("lost"), other.toString());
        assertTrue(f.at("/meters/in/0").isNull() && f.at("/meters/out/0").isNumber(), f.toString());
        assertTrue(f.at("/system/processCpuPercent").isNumber() && f.at("/system/cpus").asInt() > 0, f.toString());
    }

    @Test
    void withAPinItLogsInAndAWrongOrMissingPinIsExit1(@TempDir Path data) throws Exception {
        try (Appliance alone = Appliance.start(ApplianceConfig.DEFAULT, EMPTY,
                new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, null, null));
             ControlPlane plane = ControlPlane.start(alone, box.room(), data,
                     new ControlServer.Settings("127.0.0.1", 0, "4321"))) {
            String port = "\"bind\": \"127.0.0.1\", \"port\": " + URI.create(plane.url()).getPort();
            assertEquals(0, status("--config", config("pin.json", port + ", \"pin\": \"4321\"")), err());
            assertTrue(out().contains("\nroom: playing alone\n"), out());

            String wrong = config("wrong.json", port + ", \"pin\": \"0000\"");
            assertEquals(1, status("--config", wrong));
            assertEquals("jambox status: the box refused the PIN in " + wrong + ": wrong PIN\n", err());
            assertEquals("", out());

            String none = config("none.json", port);
            assertEquals(1, status("--config", none));
            assertEquals("jambox status: the box asks for a PIN, and " + none + " has none (control.pin)\n", err());
        }
    }

    @Test
    void nothingListeningIsExit3AtOnce() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        assertEquals(3, status("--config", config("off.json", "\"port\": " + free), "--timeout", "2"));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("jambox: not running (nothing answers on 127.0.0.1:" + free + ")\n", err());
        assertTrue(millis < 2000, "answered in " + millis + " ms");
    }

    @Test
    void aPortThatTakesTheConnectionAndSaysNothingIsExit1WithinTheTimeout() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            assertEquals(1, status("--config", config("mute.json", "\"port\": " + mute.getLocalPort()), "--timeout", "0.5"));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("jambox status: nothing answered on 127.0.0.1:" + mute.getLocalPort() + " within 0.5 s\n", err());
            assertTrue(millis >= 450 && millis < 2500, "gave up after " + millis + " ms");
        }
    }

    @Test
    void aPortWhoseBacklogIsFullIsExit1NotExit3() throws Exception {
        // The kernel drops connections beyond the backlog unanswered: the JDK's connect time-out,
        // which carries a ConnectException inside, must not pass for "not running".
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            boolean dropped = false;
            try {
                for (int i = 0; i < 8 && !dropped; i++) {
                    Socket s = new Socket();
                    queued.add(s);
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                    } catch (SocketTimeoutException e) {
                        dropped = true;
                    }
                }
                assumeTrue(dropped, "this kernel refuses beyond the backlog instead of dropping");
                assertEquals(1, status("--config", config("full.json", "\"port\": " + full.getLocalPort()), "--timeout", "0.5"));
                assertEquals("jambox status: nothing answered on 127.0.0.1:" + full.getLocalPort() + " within 0.5 s\n", err());
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aPortWithAnotherWebServerIsExit1() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.start();
        try {
            int port = other.getAddress().getPort();
            assertEquals(1, status("--config", config("other.json", "\"port\": " + port)));
            assertEquals("jambox status: 127.0.0.1:" + port + " answers, but not as a jambox control page (HTTP 404)\n",
                    err());
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aBadConfigOrBadUsageIsExit2AndSaysWhat() throws Exception {
        String bad = config("bad.json", "\"port\": 8080, \"pin\": \"12\"");
        assertEquals(2, status("--config", bad));
        assertEquals("jambox status: " + bad + ": control.pin: expected 4 to 12 digits\n", err());
        String host = config("host.json", "\"bind\": \"the box\", \"port\": 8080");
        assertEquals(2, status("--config", host));
        assertEquals("jambox status: " + host + ": control.bind: 'the box' is not a host name or address\n", err());
        String missing = dir.resolve("missing.json").toString();
        assertEquals(2, status("--config", missing));
        assertEquals("jambox status: " + missing + ": no such file\n", err());
        assertEquals(2, status("--timeout", "0"));
        assertTrue(err().startsWith("jambox status: --timeout: expected seconds above 0") && err().endsWith(StatusCommand.USAGE + "\n"),
                err());
        assertEquals(2, status("--verbose"));
        assertEquals("jambox status: unexpected argument --verbose\n" + StatusCommand.USAGE + "\n", err());
        String noPage = config("nopage.json", "\"port\": 0");
        assertEquals(1, status("--config", noPage));
        assertEquals("jambox status: the box serves no control page (control.port is 0 in " + noPage
                + "), so there is nothing to ask\n", err());
    }
}
