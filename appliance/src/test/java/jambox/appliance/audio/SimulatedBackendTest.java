package jambox.appliance.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.appliance.engine.Engine;
import jambox.appliance.sim.Riff;

class SimulatedBackendTest {
    private static final BoardSpec CRUNCH = new BoardSpec("crunch", List.of(List.of(
            new PedalSpec("overdrive", false, Map.of("drive", 24.0)), new PedalSpec("delay", false, Map.of()),
            new PedalSpec("reverb", false, Map.of()))));

    private static float[][] render() throws InterruptedException {
        float[] riff = Riff.render(48_000, 2, 110);
        Capture capture = new Capture(48_000 * 3);
        SimulatedBackend b = new SimulatedBackend(48_000, 64, false, 2000, new LoopedInput(new float[][] {riff}), capture);
        b.start(new Engine(CRUNCH));
        assertTrue(b.awaitFinished(60, TimeUnit.SECONDS));
        b.close();
        assertEquals(2000, b.periods());
        return capture.audio();
    }

    @Test
    void unpacedRunsRenderTheSameOutputEveryTime() throws Exception {
        float[][] first = render();
        float[][] second = render();
        assertEquals(2000 * 64, first[0].length);
        assertArrayEquals(first[0], second[0]);
        assertArrayEquals(first[1], second[1]);
        double energy = 0;
        for (float v : first[0]) {
            energy += v * v;
        }
        assertTrue(energy > 1, "the riff came through the board: " + energy);
    }

    @Test
    void aPacedClockNeverRunsAheadOfTime() throws Exception {
        SimulatedBackend b = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null);
        long start = System.nanoTime();
        b.start(new Engine(new BoardSpec("empty", List.of(List.of()))));
        Thread.sleep(1000);
        b.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        long periods = b.periods();
        System.out.printf("paced: %d periods in %.3f s (%.1f/s), %d xruns%n", periods, seconds, periods / seconds,
                b.xruns());
        assertTrue(periods <= seconds * 750 + 2, periods + " periods in " + seconds + " s");
        assertTrue(periods > 100, "it ran: " + periods);
        assertTrue(!b.running());
    }

    /** The clock thread's policy and priority, read from the kernel, where the process may raise it. */
    @Test
    void aPacedClockCanRunUnderSchedFifoAsJacksThreadDoes() throws Exception {
        SimulatedBackend b = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null).withRealtimePriority(60);
        boolean allowed = JackdProcess.realtimeAllowed();
        try {
            b.start(new Engine(new BoardSpec("empty", List.of(List.of()))));
            String seen = null;
            for (int tries = 0; tries < 200 && (seen == null || !b.describe().contains("FIFO") && allowed); tries++) {
                Thread.sleep(10);
                seen = schedulingOf("audio-simulated");
            }
            assertEquals(allowed ? "policy 1 priority 60" : "policy 0 priority 0", seen,
                    "SCHED_FIFO is policy 1; " + b.describe());
            assertEquals(allowed, b.describe().contains("SCHED_FIFO 60"), b.describe());
        } finally {
            b.close();
        }
        assertThrows(IllegalArgumentException.class, () -> b.withRealtimePriority(100));
    }

    /** "policy P priority N" of this process's thread named {@code name}, from /proc; null if none. */
    private static String schedulingOf(String name) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(
                java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                try {
                    if (!java.nio.file.Files.readString(task.resolve("comm")).strip().equals(name)) {
                        continue;
                    }
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    // Fields after the name in parentheses start at field 3; rt_priority is 40, policy 41.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return "policy " + f[41 - 3] + " priority " + f[40 - 3];
                } catch (java.io.IOException gone) {
                    // a thread that ended while we looked
                }
            }
        }
        return null;
    }

    @Test
    void aSkewedClockRunsSlowerByItsPartsPerMillion() throws Exception {
        SimulatedBackend b = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null).withClockSkew(-10_000);
        long start = System.nanoTime();
        b.start(new Engine(new BoardSpec("empty", List.of(List.of()))));
        Thread.sleep(2000);
        b.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        // An unskewed clock would reach 750/s; 1 % slow it cannot pass 742.5/s (the bound holds however slow the machine).
        assertTrue(b.periods() <= seconds * 750 * 0.99 + 2, b.periods() + " periods in " + seconds + " s");
        assertTrue(b.describe().contains("-10000 ppm"), b.describe());
    }

    @Test
    void aCallbackThatThrowsCostsOnePeriodOfSilenceNotTheAudio() throws Exception {
        Capture capture = new Capture(64 * 10);
        float[][] ones = {new float[64], new float[64]};
        java.util.Arrays.fill(ones[0], 1f);
        java.util.Arrays.fill(ones[1], 1f);
        SimulatedBackend b = new SimulatedBackend(48_000, 64, false, 10, new LoopedInput(ones), capture);
        int[] calls = {0};
        b.start(new PeriodCallback() {
            @Override
            public void period(float[][] in, float[][] out, int frames) {
                if (calls[0]++ == 3) {
                    throw new IllegalStateException("a bug");
                }
                System.arraycopy(in[0], 0, out[0], 0, frames);
                System.arraycopy(in[1], 0, out[1], 0, frames);
            }

            @Override
            public void format(int sampleRate, int frames) {
            }
        });
        assertTrue(b.awaitFinished(10, TimeUnit.SECONDS));
        float[][] out = capture.audio();
        assertEquals(10, calls[0]);
        assertEquals(0f, out[0][3 * 64 + 10]);
        assertEquals(1f, out[0][2 * 64 + 10]);
        assertEquals(1f, out[0][4 * 64 + 10]);
    }
    /**
     * A resize goes the way JACK's buffer size change does: the callback hears the new format on the
     * resizing thread, never the clock's, before the first period of that size; every sample of the
     * input comes out (half gain on channel 1) across 64 -> 128 -> 32 frames, none lost or repeated.
     */
    @Test
    void aResizeIsAnnouncedOffTheClockThreadAndNoSampleIsLostAcrossIt() throws Exception {
        float[] ramp = new float[4801]; // not a multiple of any period size: every period straddles the loop
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (i + 1) / (float) ramp.length;
        }
        Capture capture = new Capture(48_000 * 20);
        SimulatedBackend b = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE,
                new LoopedInput(new float[][] {ramp, ramp}), capture);
        GainInvertEngine engine = new GainInvertEngine();
        b.start(engine);
        for (int frames : new int[] {128, 32}) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (engine.periods < 100 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            b.resize(frames);
            assertEquals(frames, b.periodFrames());
            while (engine.lastFrames != frames && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(frames, engine.lastFrames, "periods of " + frames);
            engine.periods = 0;
        }
        Thread.sleep(100);
        b.close();
        float[][] out = capture.audio();
        System.out.println("simulated resize: formats " + engine.formats + ", " + out[0].length + " samples captured");
        assertEquals(List.of("48000/64", "48000/128", "48000/32"), engine.formats);
        assertEquals(0, engine.formatsOnAudioThread, "formats announced on the clock thread");
        assertTrue(out[0].length > 3 * 100 * 32, "it ran: " + out[0].length);
        for (int i = 0; i < out[0].length; i++) {
            assertEquals(0.5f * ramp[i % ramp.length], out[0][i], 0f, "sample " + i);
        }
    }
}
