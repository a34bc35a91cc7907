package jambox.bench.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code jacktrip} as players use it in a room: a hub server ({@code -S}) and two hub
 * clients, A and B, all on one jackd. The hub patches each client's audio to the other and not
 * back to itself ({@code -p 2}); the clients connect no system ports ({@code -D}), so the probe is
 * all they hear. Client A's JACK client is {@code jtclientA} (ports {@code send_N}, {@code
 * receive_N}); the hub's side of it is {@code jthubA}. Ports are offset at random so that runs
 * beside each other do not collide.
 */
final class JackTripHub implements AutoCloseable {
    static final String A = "jtclientA";
    static final String B = "jtclientB";

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final String server;
    private final String queue;

    /** @param queue JackTrip's {@code -q}: a packet count, or "auto" */
    JackTripHub(String server, String queue) {
        this.server = server;
        this.queue = queue;
    }

    /** The jacktrip binary's first line of {@code --version}, e.g. "JackTrip VERSION: 1.7.0". */
    static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jacktrip", "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out.lines().filter(l -> l.contains("VERSION")).findFirst().orElse(out.strip());
    }

    /** Starts the hub and both clients and waits until each client has heard from the hub. */
    void start() throws IOException, InterruptedException {
        int offset = 100 + ThreadLocalRandom.current().nextInt(800);
        String o = Integer.toString(offset);
        start("hub", List.of("jacktrip", "-S", "-p", "2", "-q", queue, "-o", o,
                "-U", Integer.toString(61002 + offset * 4)));
        Thread.sleep(1000); // the hub listens before a client knocks
        Path a = start("clientA", List.of("jacktrip", "-C", "127.0.0.1", "-q", queue, "-o", o,
                "-B", Integer.toString(20000 + offset * 4), "-J", A, "-K", "jthubA", "-D"));
        Path b = start("clientB", List.of("jacktrip", "-C", "127.0.0.1", "-q", queue, "-o", o,
                "-B", Integer.toString(20002 + offset * 4), "-J", B, "-K", "jthubB", "-D"));
        long end = System.nanoTime() + 30_000_000_000L;
        while (!Files.readString(a).contains("Received Connection from Peer")
                || !Files.readString(b).contains("Received Connection from Peer")) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    throw new IOException("jacktrip exited: " + Files.readString(logs.get(i)));
                }
            }
            if (System.nanoTime() > end) {
                throw new IOException("the jacktrip clients did not connect within 30 s: " + Files.readString(a)
                        + Files.readString(b));
            }
            Thread.sleep(100);
        }
    }

    private Path start(String role, List<String> command) throws IOException {
        Path log = Files.createTempFile("jambox-jacktrip-" + role + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JACK_DEFAULT_SERVER", server);
        builder.environment().put("JACK_NO_START_SERVER", "1");
        processes.add(builder.start());
        logs.add(log);
        return log;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (Path log : logs) {
            Files.deleteIfExists(log);
        }
    }
}
