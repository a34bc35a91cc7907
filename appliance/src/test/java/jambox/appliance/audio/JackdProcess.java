package jambox.appliance.audio;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

/**
 * A real jackd (dummy driver, 48 kHz, 64 frames or as asked, not realtime unless asked) under a server name of its own, so
 * tests never meet the machine's default server or each other. Stopped at close and at JVM exit.
 * jackd2 keeps at most 8 servers in its shared registry and frees a slot only on a clean exit (or
 * when a server of the same name starts again), so the end is SIGTERM, not SIGKILL.
 */
public final class JackdProcess implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name = "jbtest-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    private final Path log;
    private final List<String> driver;
    private final Thread reaper = new Thread(this::stop, "jackd-reaper");
    private Process process;
    private boolean realtime;

    public JackdProcess() throws IOException {
        this(64);
    }

    /** {@code frames}: the period it starts with, as {@code jackd -d dummy -p FRAMES}. */
    public JackdProcess(int frames) throws IOException {
        this(List.of("-d", "dummy", "-r", "48000", "-p", Integer.toString(frames)));
    }

    /**
     * {@code driver}: jackd's driver arguments as {@code jambox jack-probe} prints them for the
     * jambox-jack unit ({@code -d dummy -r 48000 -p 32}); the dummy driver only, on a machine with no card.
     */
    public JackdProcess(List<String> driver) throws IOException {
        if (driver.size() < 2 || !driver.get(0).equals("-d") || !driver.get(1).equals("dummy")) {
            throw new IllegalArgumentException("tests run jackd on its dummy driver only, not " + driver);
        }
        this.driver = List.copyOf(driver);
        log = Files.createTempFile(name + "-", ".log");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    public static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "jackd"))) {
                return true;
            }
        }
        return false;
    }

    /** A started server for a test class, or the class is skipped where jackd is not installed. */
    public static JackdProcess startedForTests() throws IOException, InterruptedException {
        return startedForTests(64);
    }

    /** As {@link #startedForTests()}, at a period of {@code frames}. */
    public static JackdProcess startedForTests(int frames) throws IOException, InterruptedException {
        Assumptions.assumeTrue(installed(), "jackd is not installed (apt-get install jackd2)");
        JackdProcess jackd = new JackdProcess(frames);
        jackd.start();
        return jackd;
    }

    /**
     * Before {@link #start()}: run jackd and its clients' process threads under SCHED_FIFO ({@code jackd
     * -R}), as the box's jambox-jack unit does on the Pi, instead of the tests' plain scheduling ({@code
     * -r}). Only for measurements: on a shared 2-core machine realtime threads can starve the tests' own.
     */
    public JackdProcess realtime(boolean on) {
        realtime = on;
        return this;
    }

    /** Whether this machine lets us run threads under SCHED_FIFO (root, or an rtprio limit). */
    public static boolean realtimeAllowed() {
        try {
            Process p = new ProcessBuilder("chrt", "-f", "1", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String name() {
        return name;
    }

    /** Starts the server and returns once a client can connect to it. */
    public void start() throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(realtime ? List.of("jackd", "-n", name, "-R", "-P", "70") : List.of("jackd", "-n", name, "-r"));
        command.addAll(driver);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("jackd '" + name + "' exited: " + Files.readString(log));
            }
            if (tool(List.of("jack_lsp")).contains("system:playback_1")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("jackd '" + name + "' did not accept clients within 20 s: " + Files.readString(log));
    }

    /** SIGKILL, as when jackd crashes: no goodbye to its clients. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM, then SIGKILL if jackd has not exited within 10 s. */
    private void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    /** Asks the server for a new period size with jack_bufsize, which is silent when it works. */
    public void bufferSize(int frames) throws IOException, InterruptedException {
        String said = tool(List.of("jack_bufsize", Integer.toString(frames)));
        String now = tool(List.of("jack_bufsize")).strip();
        if (!now.equals(Integer.toString(frames))) {
            throw new IOException("jack_bufsize " + frames + " said '" + said + "'; the size is now '" + now + "'");
        }
    }

    /** Runs a JACK tool against this server and returns what it printed. */
    public String tool(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JACK_DEFAULT_SERVER", name);
        builder.environment().put("JACK_NO_START_SERVER", "1");
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyExiting) {
            // The hook is running or about to: it kills the server itself.
        }
    }
}
