package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.Main;
import jambox.appliance.audio.JackBackend;

/**
 * A jackd half way through starting: its socket is there and takes connections, but it answers
 * nothing yet. libjack's client open then waits for good (measured: {@code jack_lsp} against such a
 * socket is still waiting after 15 s), holding libjack's open lock, so no later open in that
 * process can work either. This is what the image's boot test met when the box started while
 * jackd was still setting up its card: the box said nothing for the 6 minutes the test waited.
 *
 * <p>The box's service, run as systemd runs it, must give up its process and exit with the status
 * that makes systemd start a fresh one (which then finds jackd ready), instead of hanging.
 */
class WedgedJackTest {
    private static final AtomicInteger SERVERS = new AtomicInteger();
    private static final long FIRST_OPEN = JackBackend.FIRST_OPEN_WEDGED_AFTER.toSeconds();

    @Test
    void theServiceExitsForARestartWhenItsFirstJackOpenHangs(@TempDir Path dir) throws Exception {
        String server = "jbwedge" + ProcessHandle.current().pid() + "x" + SERVERS.incrementAndGet();
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        // JACK2's request socket for server NAME of user UID.
        Path socket = Path.of("/dev/shm", "jack_" + server + "_" + uid + "_0");
        Files.deleteIfExists(socket);
        List<SocketChannel> held = new CopyOnWriteArrayList<>();
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // taken, never answered
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });

            Path config = dir.resolve("jambox.json");
            Files.writeString(config, "{\"version\": 1, \"audio\": {\"backend\": \"jack\", \"jackServer\": \"" + server
                    + "\"}, \"control\": {\"port\": 0, \"bind\": \"127.0.0.1\", \"data\": \"" + dir.resolve("data") + "\"}}");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path out = dir.resolve("out.txt");
            Process p = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                    "-cp", classpath, Main.class.getName(), "run", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            long start = System.nanoTime();
            // The first open's limit, plus a slow machine's start of a JVM and a second for the check.
            boolean exited = p.waitFor(FIRST_OPEN + 90, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!exited) {
                p.destroyForcibly().waitFor();
            }
            String said = Files.readString(out);
            System.out.printf("WedgedJackTest: the service exited %s after %.1f s with %s; %d connection(s) to the"
                    + " silent server; it said:%n%s%n", exited, seconds, exited ? p.exitValue() : "-", held.size(), said);
            assertTrue(exited, "the service gave up its wedged process instead of hanging:\n" + said);
            assertTrue(held.size() >= 1, "libjack reached the half-started server");
            assertEquals(RunCommand.WEDGED_EXIT, p.exitValue(), "the status for systemd to restart the box: " + said);
            assertTrue(said.contains("opening a JACK client has hung for " + FIRST_OPEN + " s"),
                    "it says why: " + said);
            assertTrue(seconds >= FIRST_OPEN, "not before the first open's limit");
            acceptor.interrupt();
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
            Files.deleteIfExists(socket);
        }
    }
}
