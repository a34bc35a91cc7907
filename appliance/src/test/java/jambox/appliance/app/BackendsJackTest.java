package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.AudioException;
import jambox.appliance.audio.JackBackend;
import jambox.appliance.audio.JackdProcess;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.engine.Engine;

/**
 * The box's service starts beside jambox-jack.service, whose jackd comes up only after the card
 * probe: the box waits for that jackd instead of exiting (which cost a second JVM start at every
 * boot, systemd restarting the box), and a box told to use JACK still fails clearly when none comes.
 */
class BackendsJackTest {
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));

    private static ApplianceConfig.Audio jackOn(String server, String client) {
        return new ApplianceConfig.Audio("jack", server, client, List.of(), List.of(), "riff", 48_000, 64, null, 2);
    }

    @Test
    void theServiceWaitsForAJackdThatStartsAfterIt() throws Exception {
        Assumptions.assumeTrue(JackdProcess.installed(), "jackd is not installed (apt-get install jackd2)");
        try (JackdProcess jackd = new JackdProcess()) {
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(said, true, StandardCharsets.UTF_8);
            Engine engine = new Engine(EMPTY);
            CompletableFuture<AudioBackend> started = CompletableFuture.supplyAsync(() -> {
                try {
                    return Backends.starter(jackOn(jackd.name(), "jambox-waits"), log, () -> { }, Duration.ofSeconds(60))
                            .start(engine);
                } catch (AudioException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            assertTrue(!started.isDone(), "the box is still waiting, not failed: " + said);
            assertTrue(said.toString(StandardCharsets.UTF_8).contains("no JACK server '" + jackd.name()
                    + "' is running yet: waiting up to 60 s for it"), said.toString(StandardCharsets.UTF_8));
            jackd.start();
            try (AudioBackend backend = started.get(30, TimeUnit.SECONDS)) {
                JackBackend jack = assertInstanceOf(JackBackend.class, backend, "the box plays on JACK, not a stand-in");
                long periods = engine.periods();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (engine.periods() < periods + 750 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(engine.periods() >= periods + 750, "a second of periods on the late jackd: " + jack.describe());
                assertEquals(48_000, backend.sampleRate());
            }
        }
    }

    @Test
    void withNoJackdAtAllTheWaitEndsInTheSameClearFailure() {
        Assumptions.assumeTrue(JackdProcess.installed(), "jackd is not installed (apt-get install jackd2)");
        String none = "jbtest-absent-" + ProcessHandle.current().pid();
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        AudioException e = assertThrows(AudioException.class, () -> Backends.starter(jackOn(none, "jambox-gives-up"), log,
                () -> { }, Duration.ofSeconds(1)).start(new Engine(EMPTY)));
        double waited = (System.nanoTime() - t0) / 1e9;
        assertEquals("no JACK server '" + none + "' is running", e.getMessage());
        assertTrue(e.noServer());
        assertTrue(waited >= 1.0, "it tried for the second it was given: " + waited + " s");
    }
}
