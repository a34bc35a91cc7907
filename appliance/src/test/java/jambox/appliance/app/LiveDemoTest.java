package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.Main;
import jambox.appliance.audio.JackdProcess;
import jambox.appliance.render.DemoCommand;

/** {@code ./jambox demo} as a person runs it: what its terminal shows, and which audio it plays on. */
class LiveDemoTest {
    /** libjack's own words when it finds no server: they must not reach the demo's terminal. */
    private static final Pattern LIBJACK = Pattern.compile("Cannot connect to server|jack server is not running");

    @Test
    void theStatusIsAShortLinePerMemberInWordsWithTheRiffReachingThePedals(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        var page = new CompletableFuture<Integer>();
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
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals(200, page.get(10, TimeUnit.SECONDS), text);
        List<String> status4 = lastSecond(text);
        for (String line : text.lines().toList()) {
            assertTrue(line.length() <= 110, "a line a terminal shows whole: " + line.length() + " chars: " + line);
        }
        assertEquals(3, status4.size(), "a line for the room, one for the box, one for the one other member:\n" + text);
        String room = status4.get(0), you = status4.get(1), remote = status4.get(2);
        assertTrue(room.matches("room 'demo': joined, [0-9.]+ ms round trip to the server"), room);
        // Simulated audio by default, and the riff reaches the pedals: the input is heard.
        Matcher in = Pattern.compile("you: simulated audio, in (-?[0-9]+) dBFS \\((good|hot|quiet|clipping)\\), out (-?[0-9]+) dBFS"
                + " \\((good|hot|quiet|clipping)\\)").matcher(you);
        assertTrue(in.find(), you);
        assertTrue(Integer.parseInt(in.group(1)) > -30, "the riff is on the input: " + you);
        assertTrue(Integer.parseInt(in.group(3)) > -30, "the headphones hear something: " + you);
        // The remote player as you hear them: level, latency and loss in words.
        Matcher member = Pattern.compile("remote player: (-?[0-9]+) dBFS \\((good|hot|quiet|clipping)\\), ([0-9]+) ms mouth to ear"
                + " \\((tight|fine|late|too late)\\), (no loss|no packets|[0-9.]+ % loss( \\((crackles|choppy)\\))?)(, gaps)?$")
                .matcher(remote);
        assertTrue(member.find(), remote);
        assertTrue(Integer.parseInt(member.group(1)) > -30, "their riff comes through: " + remote);
        assertFalse(text.contains("concealed") || text.contains("depth"), "no counters unless --verbose:\n" + text);
    }

    @Test
    void verboseShowsEveryCounter(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = DemoCommand.run(List.of("--seconds", "3", "--port", "0", "--data", dir.toString(), "--verbose"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        for (String counter : List.of("xruns", "depth", "jitter", "received", "lost", "concealed", "late", "duplicates",
                "overruns", "restarts", "skipped", "widened", "dropouts", "drift")) {
            assertTrue(text.contains(counter), counter + " missing:\n" + text);
        }
    }

    /**
     * A jackd running on the machine (here the default server of the demo's process) is left
     * alone unless {@code --jack} asks for it: the riff still reaches the pedals.
     */
    @Test
    void aRunningJackdIsUsedOnlyWithJack(@TempDir Path dir) throws Exception {
        try (JackdProcess jackd = JackdProcess.startedForTests()) {
            Demo plain = demo(jackd.name(), dir, "--seconds", "3");
            assertEquals(0, plain.status, plain.all());
            String you = lastSecond(plain.out).get(1);
            assertTrue(you.startsWith("you: simulated audio, in ") && !you.contains("in silent"), plain.all());

            Demo jack = demo(jackd.name(), dir, "--seconds", "3", "--jack");
            assertEquals(0, jack.status, jack.all());
            String onJack = lastSecond(jack.out).get(1);
            assertTrue(onJack.startsWith("you: JACK, in silent"), "JACK's dummy capture is silent: " + jack.all());
        }
    }

    /** With {@code --jack} and no server, the demo says so in its own words; libjack's are hidden unless --verbose. */
    @Test
    void libjacksOwnMessagesAreHiddenUnlessVerbose(@TempDir Path dir) throws Exception {
        String nobody = "jbtest-nobody-" + ProcessHandle.current().pid();
        Demo quiet = demo(nobody, dir, "--seconds", "1", "--jack");
        assertEquals(1, quiet.status, quiet.all());
        assertTrue(quiet.err.contains("no JACK server '" + nobody + "' is running"), quiet.all());
        assertFalse(LIBJACK.matcher(quiet.all()).find(), quiet.all());

        Demo verbose = demo(nobody, dir, "--seconds", "1", "--jack", "--verbose");
        assertEquals(1, verbose.status, verbose.all());
        assertTrue(LIBJACK.matcher(verbose.all()).find(), "libjack does speak (else the check above proves nothing): "
                + verbose.all());
    }

    private record Demo(int status, String out, String err) {
        String all() {
            return "stdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /**
     * The demo in a process of its own, with {@code server} as its default JACK server: libjack
     * writes to the process's stderr, which no Java stream in this JVM catches.
     */
    private static Demo demo(String server, Path dir, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-cp", classpath,
                Main.class.getName(), "demo", "--port", "0", "--data", dir.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder b = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        b.environment().put("JACK_DEFAULT_SERVER", server);
        b.environment().put("JACK_NO_START_SERVER", "1");
        Process p = b.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new Demo(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The status lines of the last second printed: the last line starting with a time, and those under it. */
    private static List<String> lastSecond(String text) {
        List<String> lines = text.lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(" *[0-9]+ s .*")) {
                start = i;
            }
        }
        List<String> last = new ArrayList<>();
        for (int i = start; start >= 0 && i < lines.size() && (i == start || lines.get(i).startsWith("      ")); i++) {
            last.add(lines.get(i).replaceFirst("^ *([0-9]+ s)? *", ""));
        }
        return last;
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
