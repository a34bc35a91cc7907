package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.config.ConfigFile;
import jambox.appliance.control.TestPage;
import jambox.appliance.preset.LastState;

/** The box's commands as a user and systemd run them. */
class CommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(List<String> args) {
        return RunCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badUsageIsOneLineAndExitStatus2() {
        for (List<String> args : List.of(List.of("--confg", "x"), List.of("--config"), List.<String>of())) {
            err.reset();
            assertEquals(2, run(args), args.toString());
            assertEquals(RunCommand.USAGE + "\n", err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aBadConfigIsSaidOnceAndTheBoxStillServesItsPageOnTheConfigsPortTouchingNothingSaved(@TempDir Path dir)
            throws Exception {
        // What the player has saved: a preset of their own, and the board as they left it.
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("presets"));
        Files.copy(Path.of("..", "examples", "boards", "crunch.json"), data.resolve("presets").resolve("mine.json"));
        BoardSpec left = BoardFile.read(Path.of("..", "examples", "boards", "crunch.json"));
        Files.write(data.resolve(LastState.FILE), BoardFile.write(left));
        List<String> saved = listing(data);
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path config = dir.resolve("jambox.json");
        Files.writeString(config, "{\"version\": 1, \"room\": {\"host\": \"h\", \"name\": \"j\", \"player\": \"p\","
                + " \"secret\": \"x\"}, \"control\": {\"port\": " + port + ", \"bind\": \"127.0.0.1\", \"data\": \"data\"}}");
        String mistake = config + ": room: the room secret needs at least 8 characters";

        try (RunCommand.Running box = RunCommand.Running.start(config, new PrintStream(err, true, StandardCharsets.UTF_8));
             TestPage page = new TestPage(port)) {
            List<String> said = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(config.toString())).toList();
            assertEquals(List.of("jambox run: " + mistake + "; the box starts with its built-in settings (no room) and"
                    + " its page says what is wrong"), said);
            assertEquals(200, fetch("http://127.0.0.1:" + port + "/"), "the page, on the config's port");
            JsonNode system = page.command("{\"v\":1,\"cmd\":\"system\"}").get("system");
            assertEquals(mistake, system.get("configError").asText(), system.toString());
            JsonNode state = page.command("{\"v\":1,\"cmd\":\"state\"}").get("state");
            assertEquals("playing alone", state.at("/room/state").asText(), "no room: the config's is not used");
            assertEquals(left.name(), state.at("/board/name").asText(), "the board the player left, from the data folder");
            assertNull(box.box().room());
        }
        assertEquals(saved, listing(data), "the data folder as it was");
        System.out.println(err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theFirstAudioPeriodIsSaidOnceItHasRun(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("jambox.json");
        Files.writeString(config, "{\"version\": 1, \"audio\": {\"backend\": \"simulated\"}, \"control\": {\"port\": 0,"
                + " \"data\": \"data\"}}");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try (RunCommand.Running box = RunCommand.Running.start(config, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8))) {
            RunCommand.firstPeriod(box.box(), new java.util.concurrent.CountDownLatch(1),
                    new PrintStream(said, true, StandardCharsets.UTF_8));
            assertTrue(box.box().engine().periods() > 0, "the box has played");
        }
        assertTrue(said.toString(StandardCharsets.UTF_8).matches("jambox: first audio period \\d+ ms after the JVM started\\R"),
                said.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBoardFileWithAMistakeStartsTheBoxOnItsBuiltInSettingsToo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("board.json"), "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"fuzz\"}]}]}");
        Path config = dir.resolve("jambox.json");
        Files.writeString(config, "{\"version\": 1, \"board\": \"board.json\", \"control\": {\"port\": 0}}");
        Startup s = Startup.read(config);
        assertTrue(s.configError().startsWith(dir.resolve("board.json").toString()), s.configError());
        assertEquals(DefaultBoard.load(), s.board());
        assertEquals(0, s.config().control().port(), "the control section, right by itself, is kept");
        assertNull(s.config().room());
    }

    @Test
    void aBoardOfMorePedalsThanAChainHoldsIsSaidAndTheBoxPlaysItsOwnBoard(@TempDir Path dir) throws Exception {
        Path board = dir.resolve("board.json");
        Files.writeString(board, jambox.appliance.board.Boards.ofDelays("Echoes", 3000));
        Path config = dir.resolve("jambox.json");
        Files.writeString(config, "{\"version\": 1, \"board\": \"board.json\", \"audio\": {\"backend\": \"simulated\"},"
                + " \"control\": {\"port\": 0, \"data\": \"data\"}}");
        try (RunCommand.Running box = RunCommand.Running.start(config, new PrintStream(err, true, StandardCharsets.UTF_8))) {
            assertEquals("jambox run: " + board + ": channels[0].pedals: 3000 pedals; a chain holds at most 16; the box"
                    + " starts with its built-in settings (no room) and its page says what is wrong",
                    err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""));
            assertEquals(DefaultBoard.load(), box.box().engine().board());
            assertEquals(DefaultBoard.load().channel(0).size(), box.box().engine().runningBoard(0).size());
        }
    }

    @Test
    void aConfigWithSomethingAfterItsJsonIsAMistakeNotAConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("jambox.json");
        Files.writeString(config, "{\"version\": 1, \"room\": {\"host\": \"h\", \"name\": \"jam\", \"player\": \"p\","
                + " \"secret\": \"a long secret\"}, \"control\": {\"port\": 0}} }}} garbage");
        Startup s = Startup.read(config);
        assertEquals(config + ": not valid JSON: more follows the end of the JSON (line 1, column 120)", s.configError());
        assertNull(s.config().room(), "the room of a file that is not quite JSON is not joined");
    }

    private static List<String> listing(Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            List<String> out = new java.util.ArrayList<>();
            for (Path f : files.sorted().toList()) {
                out.add(folder.relativize(f) + (Files.isRegularFile(f) ? ":" + Arrays.hashCode(Files.readAllBytes(f)) : "/"));
            }
            return out;
        }
    }

    @Test
    void theExampleConfigAndItsBoardLoad() throws Exception {
        ApplianceConfig c = ConfigFile.read(Path.of("..", "examples", "jambox.json"));
        assertEquals("auto", c.audio().backend());
        assertEquals("jam", c.room().room());
        assertTrue(!BoardFile.read(c.board()).channels().isEmpty(), "the board it names: " + c.board());
    }

    @Test
    void theUnitRunsTheServiceWithTheConfigInEtc() throws Exception {
        String unit = Files.readString(Path.of("..", "systemd", "jambox.service"));
        Matcher exec = Pattern.compile("(?m)^ExecStart=((?:.*\\\\\\n)*.*)$").matcher(unit);
        assertTrue(exec.find(), "an ExecStart line");
        String command = exec.group(1).replace("\\\n", " ");
        assertEquals("/usr/bin/jambox run --config /etc/jambox/jambox.json", command);
        assertTrue(unit.contains("RestartPreventExitStatus=2"), "bad usage is not restarted in a loop");
        // The packaged launcher hands its arguments to this Main.
        String launcher = Files.readString(Path.of("..", "packaging", "src", "deb", "bin", "jambox"));
        assertTrue(launcher.contains(" jambox.appliance.Main \"$@\""), launcher);
    }

    @Test
    void thePackagedConfigPlaysOnJackAndServesThePageOnPort80() throws Exception {
        ApplianceConfig c = ConfigFile.read(Path.of("..", "packaging", "src", "deb", "jambox", "jambox.json"));
        assertEquals("jack", c.audio().backend());
        assertEquals(80, c.control().port());
        assertEquals(Path.of("/var/lib/jambox"), c.control().data());
        assertEquals(null, c.room(), "no room until the player names one");
    }

    private static int fetch(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
