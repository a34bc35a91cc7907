package jambox.bench.latency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's own jackd (dummy driver, not realtime), under a name no one else uses, so it
 * never meets the machine's default server. Stopped with SIGTERM at close or JVM exit: jackd2
 * frees its slot in the shared server registry only on a clean exit.
 */
final class JackServer implements AutoCloseable {
    private static final Pattern LATENCY = Pattern.compile("port (playback|capture) latency = \\[ (\\d+) (\\d+) \\]");

    private final String name = "jambox-latency-" + ProcessHandle.current().pid();
    private final int rate;
    private final int frames;
    private final Path log;
    private final Thread reaper = new Thread(this::stop, "jackd-reaper");
    private Process process;

    JackServer(int rate, int frames) throws IOException {
        this.rate = rate;
        this.frames = frames;
        log = Files.createTempFile(name + "-", ".log");
    }

    String name() {
        return name;
    }

    /** Starts jackd and returns once a client can connect. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("jackd", "-n", name, "-r", "-d", "dummy", "-r", Integer.toString(rate),
                "-p", Integer.toString(frames))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Runtime.getRuntime().addShutdownHook(reaper);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("jackd '" + name + "' exited: " + Files.readString(log));
            }
            if (lsp("").contains("system:playback_1")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("jackd '" + name + "' did not accept clients within 20 s: " + Files.readString(log));
    }

    /**
     * The latency the driver declares for one of its ports ({@code jack_lsp -l}), in frames: what
     * the sound card's buffers add before capture reaches the graph or after playback leaves it.
     */
    int portLatency(String port, String direction) throws IOException, InterruptedException {
        Matcher m = LATENCY.matcher(lsp(port));
        while (m.find()) {
            if (m.group(1).equals(direction)) {
                return Integer.parseInt(m.group(3));
            }
        }
        throw new IOException("jack_lsp -l reports no " + direction + " latency for " + port);
    }

    private String lsp(String port) throws IOException, InterruptedException {
        List<String> command = port.isEmpty() ? List.of("jack_lsp") : List.of("jack_lsp", "-l", port);
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

    private void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException notAddedOrExiting) {
            // Either start() never got that far or the hook is already stopping the server.
        }
    }
}
