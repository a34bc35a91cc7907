package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.board.BoardFile;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.config.ConfigFile;
import jambox.appliance.render.DemoCommand;

/** The box's commands as a user and systemd run them. */
class CommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(List<String> args) {
        return RunCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aBadConfigIsOneClearLineAndExitStatus2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("jambox.json");
        Files.writeString(config, "{\"version\": 1, \"room\": {\"host\": \"h\", \"name\": \"j\", \"player\": \"p\", \"secret\": \"x\"}}");
        assertEquals(2, run(List.of("--config", config.toString())));
        assertEquals("jambox run: " + config + ": room: the room secret needs at least 8 characters\n",
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run(List.of("--config", dir.resolve("none.json").toString())));
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("none.json: no such file\n"), err.toString());
        err.reset();
        assertEquals(2, run(List.of("--confg", "x")));
        assertEquals(RunCommand.USAGE + "\n", err.toString(StandardCharsets.UTF_8));
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
        assertTrue(command.contains(" jambox.appliance.Main run --config /etc/jambox/jambox.json"), command);
        assertTrue(unit.contains("RestartPreventExitStatus=2"), "a bad config is not restarted in a loop");
    }

    private static int fetch(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void theLiveDemoHasAudioFlowingBothWaysAndServesItsPage(@TempDir Path dir) throws Exception {
        var page = new java.util.concurrent.CompletableFuture<Integer>();
        PrintStream said = new PrintStream(out, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                super.println(line);
                if (line.startsWith("control page: ")) {
                    // Fetched while the demo runs, from another thread: the page is really served.
                    Thread.ofVirtual().start(() -> page.complete(fetch(line.substring("control page: ".length()))));
                }
            }
        };
        int status = DemoCommand.run(List.of("--seconds", "4", "--port", "0", "--data", dir.toString()), said,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals(200, page.get(10, java.util.concurrent.TimeUnit.SECONDS), out.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        String you = lines.stream().filter(l -> l.startsWith("you:")).reduce((a, b) -> b).orElseThrow();
        String remote = lines.stream().filter(l -> l.startsWith("remote:")).reduce((a, b) -> b).orElseThrow();
        assertTrue(you.contains("joined room 'demo'") && you.contains("remote player: depth"), you);
        assertTrue(remote.contains("joined room 'demo'") && remote.contains("you: depth"), remote);
        Matcher out = Pattern.compile("out (-?[0-9.]+)/").matcher(you);
        assertTrue(out.find() && Double.parseDouble(out.group(1)) > -30, "the box's headphones hear the room: " + you);
    }
}
