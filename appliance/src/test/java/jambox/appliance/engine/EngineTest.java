package jambox.appliance.engine;

import jambox.stream.MemberSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jambox.appliance.audio.Capture;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;

/** The period's path measured on its output: levels, frequency, pan, latency of the self-monitor, allocation. */
class EngineTest {
    private static final int RATE = 48_000;
    private static final int N = 64;
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));
    private static final BoardSpec BOARD8 = new BoardSpec("board8", List.of(List.of("gate", "compressor", "overdrive",
            "eq", "cabinet", "chorus", "delay", "reverb").stream().map(t -> new PedalSpec(t, false, Map.of())).toList()));

    static float[] sine(double hz, double amplitude, int frames) {
        float[] s = new float[frames];
        for (int i = 0; i < frames; i++) {
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return s;
    }

    static double rms(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Frequency from rising zero crossings, interpolated between samples. */
    static double frequency(float[] x, int from, int to) {
        double first = -1;
        double last = -1;
        int count = 0;
        for (int i = from + 1; i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + x[i - 1] / (x[i - 1] - x[i]);
                if (first < 0) {
                    first = at;
                } else {
                    count++;
                }
                last = at;
            }
        }
        return count * (double) RATE / (last - first);
    }

    private static float[][] run(Engine engine, float[][] input, int periods) throws InterruptedException {
        return run(engine, input, periods, N);
    }

    /** {@code periods} periods of {@code n} frames. */
    private static float[][] run(Engine engine, float[][] input, int periods, int n) throws InterruptedException {
        Capture capture = new Capture(periods * n);
        SimulatedBackend backend = new SimulatedBackend(RATE, n, false, periods, new LoopedInput(input), capture);
        backend.start(engine);
        assertTrue(backend.awaitFinished(60, TimeUnit.SECONDS));
        backend.close();
        return capture.audio();
    }

    /** A source that plays a sine, standing in for a member's jitter buffer. */
    private static final class SineMember implements MemberSource {
        private final double step;
        private final double amplitude;
        private final int channels;
        private double phase;

        SineMember(double hz, double amplitude, int channels) {
            this.step = 2 * Math.PI * hz / RATE;
            this.amplitude = amplitude;
            this.channels = channels;
        }

        @Override
        public int channels() {
            return channels;
        }

        @Override
        public void pull(float[][] out, int frames) {
            for (int i = 0; i < frames; i++) {
                float v = (float) (amplitude * Math.sin(phase));
                phase += step;
                for (int c = 0; c < channels; c++) {
                    out[c][i] = v;
                }
            }
        }
    }

    /** At every period the config allows: 32 (the low-latency option), 64 and 128 frames. */
    @ParameterizedTest(name = "periods of {0} frames")
    @ValueSource(ints = {32, 64, 128})
    void aBoostOfSixDbOnTheMonitorComesOutSixDbUpAtTheSameFrequency(int n) throws Exception {
        BoardSpec boost = new BoardSpec("boost", List.of(List.of(new PedalSpec("boost", false, Map.of("gain", 6.0))),
                List.of()));
        Engine engine = new Engine(boost);
        engine.mixer().self(1).setMute(true);
        float[] in = sine(1000, 0.25, RATE);
        float[][] out = run(engine, new float[][] {in, new float[RATE]}, RATE / n, n);
        double expected = rms(in, 0, RATE) * Math.pow(10, 6 / 20.0) * Math.cos(Math.PI / 4); // centre pan
        double left = rms(out[0], RATE / 4, RATE);
        double right = rms(out[1], RATE / 4, RATE);
        System.out.printf("boost +6 dB, %d frames: in %.4f, out L %.4f R %.4f (expected %.4f), %.2f Hz%n", n,
                rms(in, 0, RATE), left,
                right, expected, frequency(out[0], RATE / 4, RATE));
        assertEquals(0, 20 * Math.log10(left / expected), 0.1, "left level in dB against expected");
        assertEquals(0, 20 * Math.log10(right / expected), 0.1, "right level in dB against expected");
        assertEquals(1000, frequency(out[0], RATE / 4, RATE), 1.0);
        assertEquals(Meter.dbfs((float) (0.25 * 2 / Math.sqrt(2))), Meter.dbfs(engine.inputMeter(0).rms()), 0.5,
                "the input meter reads the post-pedal RMS");
    }

    @ParameterizedTest(name = "periods of {0} frames")
    @ValueSource(ints = {32, 64, 128})
    void theSelfMonitorPlaysAnImpulseInTheSamePeriodAtTheSameSample(int n) throws Exception {
        Engine engine = new Engine(EMPTY);
        engine.limiter().setOn(false); // its lookahead is the one delay on the way out, and it would hold a 0 dBFS impulse at -1
        engine.mixer().self(0).setPan(-1);
        engine.mixer().self(1).setMute(true);
        // At the same time at every period (120 ms in): the pan's glide from centre settles in time, not periods.
        float[] in = new float[6400];
        in[5777] = 1f;
        float[][] out = run(engine, new float[][] {in, new float[in.length]}, in.length / n, n);
        int peak = 0;
        for (int i = 0; i < out[0].length; i++) {
            if (Math.abs(out[0][i]) > Math.abs(out[0][peak])) {
                peak = i;
            }
        }
        assertEquals(5777, peak, "no added latency: same sample index in as out");
        assertEquals(1f, out[0][peak], 1e-6f, "hard left at 0 dB is unity");
        assertEquals(0f, out[1][peak], 1e-6f);
    }

    @Test
    void membersArePannedAndMixedAndAMuteGlidesToSilenceWithoutAClick() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, N);
        engine.mixer().self(0).setMute(true);
        engine.mixer().self(1).setMute(true);
        engine.setMember(0, new SineMember(440, 0.5, 1));
        engine.setMember(5, new SineMember(660, 0.5, 2));
        engine.mixer().member(0, 0).setPan(-1);
        engine.mixer().member(5, 0).setPan(1);
        engine.mixer().member(5, 1).setMute(true);
        float[][] in = {new float[N], new float[N]};
        float[][] out = {new float[N], new float[N]};
        float[] left = new float[N * 1500];
        float[] right = new float[N * 1500];
        for (int k = 0; k < 1500; k++) {
            if (k == 750) {
                engine.mixer().member(0, 0).setMute(true);
            }
            engine.period(in, out, N);
            System.arraycopy(out[0], 0, left, k * N, N);
            System.arraycopy(out[1], 0, right, k * N, N);
        }
        // Before the mute: member 0 (440 Hz) alone on the left, member 5's first channel (660 Hz) alone on the right.
        assertEquals(440, frequency(left, N * 100, N * 700), 0.5);
        assertEquals(660, frequency(right, N * 100, N * 700), 0.5);
        assertEquals(0.5 / Math.sqrt(2), rms(left, N * 100, N * 700), 0.005);
        assertEquals(0.5 / Math.sqrt(2), rms(right, N * 100, N * 700), 0.005);
        // After: the left falls to silence within 100 ms, and no step between samples exceeds a sine's own.
        int settled = N * 750 + RATE / 10;
        assertEquals(0.0, rms(left, settled, settled + RATE / 10), 1e-7, "muted");
        double maxStep = 0;
        for (int i = N * 740; i < settled; i++) {
            maxStep = Math.max(maxStep, Math.abs(left[i] - left[i - 1]));
        }
        double sineStep = 2 * Math.PI * 440 / RATE * 0.5;
        assertTrue(maxStep <= sineStep * 1.01, "no click: largest step " + maxStep + " vs the sine's " + sineStep);
        assertEquals(660, frequency(right, settled, left.length), 0.5, "the other member plays on");
    }

    /** {@code periods} periods of {@code in} (looped), driven by hand: deterministic, no clock thread. */
    private static void play(Engine engine, float[][] in, int periods) {
        float[][] block = {new float[N], new float[N]};
        float[][] out = {new float[N], new float[N]};
        int length = in[0].length;
        for (int k = 0; k < periods; k++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < N; i++) {
                    block[c][i] = in[c][(k * N + i) % length];
                }
            }
            engine.period(block, out, N);
        }
    }

    private static float[] square(double amplitude, int frames) {
        float[] s = new float[frames];
        for (int i = 0; i < frames; i++) {
            s[i] = (float) (i % 48 < 24 ? amplitude : -amplitude); // 1 kHz
        }
        return s;
    }

    @Test
    void aFullScaleSquareClipsThePreMeterButNotThePedalsOutputTurnedDownBeforeThem() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, N);
        engine.setInputGainDb(0, -6); // the In strip's gain, before the pedals
        // 1.5 s: the first periods pass at unity while the gain glides down; their peak falls 30 dB in that time.
        play(engine, new float[][] {square(1.0, RATE), new float[RATE]}, 1125);
        double pre = Meter.dbfs(engine.preMeter(0).peak());
        double post = Meter.dbfs(engine.inputMeter(0).peak());
        int preClips = engine.preMeter(0).takeClips();
        int postClips = engine.inputMeter(0).takeClips();
        System.out.printf("full-scale square, input gain -6 dB: pre %.2f dBFS %d clipped samples, after pedals"
                + " %.2f dBFS %d clipped%n", pre, preClips, post, postClips);
        assertEquals(0.0, pre, 0.01, "the pre meter reads full scale");
        assertEquals(1125 * N, preClips, "every sample of the square is at full scale");
        assertEquals(-6.0, post, 0.05, "after the -6 dB gain");
        assertEquals(0, postClips, "the pedals' output does not clip");
        assertEquals(0, engine.preMeter(1).takeClips(), "the silent input does not clip");
    }

    @Test
    void aClipCountIsClearedByItsReadAndCountsAgainAfter() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, N);
        float[][] clipping = {square(1.0, RATE), new float[RATE]};
        float[][] quiet = {sine(1000, 0.5, RATE), new float[RATE]};
        play(engine, clipping, 10);
        assertEquals(10 * N, engine.preMeter(0).takeClips());
        assertEquals(0, engine.preMeter(0).takeClips(), "read: cleared");
        play(engine, quiet, 10);
        assertEquals(0, engine.preMeter(0).takeClips(), "a -6 dBFS sine does not clip");
        play(engine, clipping, 3);
        assertEquals(3 * N, engine.preMeter(0).takeClips(), "counts again after a read");
        assertEquals(13 * N, engine.preMeter(0).clips(), "the running total is never cleared");
    }

    @Test
    void aMemberAtPcm16FullScaleCountsAsClippingAndOneBelowItDoesNot() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, N);
        engine.setMember(0, new SineMember(997, 32767 / 32768.0, 1)); // the largest PCM16 sample, decoded
        engine.setMember(1, new SineMember(997, 0.99, 1));
        play(engine, new float[][] {new float[N], new float[N]}, 100);
        int full = engine.memberMeter(0).takeClips();
        System.out.println("member at PCM16 full scale: " + full + " clipped samples in 100 periods");
        assertTrue(full > 0, "a member sending full scale clipped on its way");
        assertEquals(0, engine.memberMeter(1).takeClips(), "0.99 (-0.09 dBFS) is not a clip");
    }

    @Test
    void aSineAtMinus20DbfsReadsMinus20OnThePreMeterWhateverTheInputGain() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, N);
        engine.setInputGainDb(0, 12);
        engine.setInputGainDb(1, -30);
        float[] tone = sine(997, Math.pow(10, -20 / 20.0), RATE); // not a divisor of the rate: every phase is hit
        play(engine, new float[][] {tone, tone}, 750);
        double left = Meter.dbfs(engine.preMeter(0).peak());
        double right = Meter.dbfs(engine.preMeter(1).peak());
        System.out.printf("-20 dBFS sine: pre %.3f / %.3f dBFS, after pedals %.3f / %.3f%n", left, right,
                Meter.dbfs(engine.inputMeter(0).peak()), Meter.dbfs(engine.inputMeter(1).peak()));
        assertEquals(-20, left, 0.1);
        assertEquals(-20, right, 0.1);
        assertEquals(-8, Meter.dbfs(engine.inputMeter(0).peak()), 0.1, "the gain shows after it, not before");
        assertEquals(0, engine.preMeter(0).takeClips());
    }

    @Test
    void theSelfMeterFollowsTheMonitorLevelAndReadsSilenceWhenMuted() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, N);
        engine.mixer().self(0).setPan(-1); // the pan must not move the meter: it reads the level, not a side
        float[] tone = sine(997, 0.5, RATE);
        float[][] in = {tone, tone};
        play(engine, in, 750);
        double unity0 = Meter.dbfs(engine.selfMeter(0).peak());
        double unity1 = Meter.dbfs(engine.selfMeter(1).peak());
        engine.mixer().self(0).setGainDb(-6);
        play(engine, in, 750); // the old peak falls at 20 dB/s: 1 s is enough
        double down = Meter.dbfs(engine.selfMeter(0).peak());
        double rmsDown = Meter.dbfs(engine.selfMeter(0).rms());
        engine.mixer().self(1).setMute(true);
        play(engine, in, 750 * 6);
        double muted = Meter.dbfs(engine.selfMeter(1).peak());
        System.out.printf("self meter: unity %.2f / %.2f dBFS, at -6 dB %.2f (rms %.2f), muted %.1f; pre %.2f%n",
                unity0, unity1, down, rmsDown, muted, Meter.dbfs(engine.preMeter(1).peak()));
        assertEquals(Meter.dbfs(0.5f), unity0, 0.05, "unity level, hard left: the signal's own peak");
        assertEquals(Meter.dbfs(0.5f), unity1, 0.05, "unity level, centre");
        assertEquals(unity0 - 6, down, 0.05, "6 dB down with the level");
        assertTrue(muted < -99, "muted reads as silence in the push (below -99 dBFS): " + muted);
        assertEquals(Meter.dbfs(0.5f), Meter.dbfs(engine.preMeter(1).peak()), 0.05, "the input itself plays on");
        assertEquals(Meter.dbfs(0.5f) - 6, Meter.dbfs(engine.selfMeter(0).peak()), 0.05, "the other strip is untouched");
    }

    /** Periods {@code from} to {@code to} of {@code guitar} (looped) on both inputs. */
    private static void playGuitar(Engine engine, float[] guitar, float[][] in, float[][] out, int from, int to) {
        int n = in[0].length;
        for (int k = from; k < to; k++) {
            System.arraycopy(guitar, (k * n) % (RATE - n), in[0], 0, n);
            System.arraycopy(guitar, (k * n) % (RATE - n), in[1], 0, n);
            engine.period(in, out, n);
        }
    }

    /** A +6 dB boost on input 1 (what the level checks hear) and the eight-pedal board on input 2. */
    private static final BoardSpec BOOST_AND_BOARD8 = new BoardSpec("boost+board8", List.of(
            List.of(new PedalSpec("boost", false, Map.of("gain", 6.0))), BOARD8.channels().get(0)));

    /** What one stretch of periods at one size did: the audio thread's bytes, and input 1 as heard. */
    private record Stretch(long bytes, float[] left) {
    }

    /**
     * {@code periods} periods of {@code n} frames of the 1 kHz sine on both inputs, on this thread
     * (the audio thread here), {@code at} samples into the sine; the allocation is read around them.
     */
    private static Stretch stretch(Engine engine, float[] sine, long at, int n, int periods) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[][] in = {new float[n], new float[n]};
        float[][] out = {new float[n], new float[n]};
        float[] left = new float[n * periods];
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int k = 0; k < periods; k++) {
            long from = at + (long) k * n;
            for (int i = 0; i < n; i++) {
                float v = sine[(int) ((from + i) % sine.length)];
                in[0][i] = v;
                in[1][i] = v;
            }
            engine.period(in, out, n);
            System.arraycopy(out[0], 0, left, k * n, n); // into an array made before: no allocation
        }
        long bytes = mx.getThreadAllocatedBytes(tid) - before; // read first: "new Stretch(...)" allocates before its arguments
        return new Stretch(bytes, left);
    }

    /** As JACK's buffer size callback does: the new format is prepared on a thread other than the audio thread. */
    private static void formatElsewhere(Engine engine, int n) throws InterruptedException {
        Thread notifier = new Thread(() -> engine.format(RATE, n), "jack-notification-stand-in");
        notifier.start();
        notifier.join();
    }

    /**
     * 64 -> 128 -> 32 frames, twice, while a sine plays through a boost and, on the other input,
     * eight pedals (a 2 s delay, an oversampled overdrive, a reverb): each new size is prepared off
     * the audio thread, and the first 100 ms of periods at it play the sine at the boost's level with
     * no step at the change. They allocate nothing on the audio thread: the second time round not a
     * byte; the first time the JVM itself may (compiled code meeting a branch it had never taken
     * deoptimizes; ~500 B seen once), so there the bound is 1 KiB, where rebuilt boards would be megabytes.
     */
    @Test
    void aNewPeriodSizeIsPreparedOffTheAudioThreadAndItsPeriodsAllocateNothing() throws Exception {
        Engine engine = new Engine(BOOST_AND_BOARD8);
        engine.mixer().self(1).setMute(true);
        float[] sine = sine(1000, 0.25, RATE); // 1 kHz: a whole number of cycles in the second, so it loops cleanly
        double expected = 0.25 / Math.sqrt(2) * Math.pow(10, 6 / 20.0) * Math.cos(Math.PI / 4); // +6 dB, centre pan
        double sineStep = 2 * Math.PI * 1000 / RATE * 0.25 * Math.pow(10, 6 / 20.0) * Math.cos(Math.PI / 4);
        long at = 0;
        StringBuilder figures = new StringBuilder();
        for (int round = 1; round <= 2; round++) {
            formatElsewhere(engine, 64);
            Stretch warm = stretch(engine, sine, at, 64, 20_000); // as long a warm-up as the allocation test's
            at += 64L * 20_000;
            float last = warm.left()[warm.left().length - 1];
            figures.append(" round ").append(round).append(':');
            for (int n : new int[] {128, 32}) {
                formatElsewhere(engine, n);
                int periods = RATE / 10 / n;
                Stretch s = stretch(engine, sine, at, n, periods);
                at += (long) n * periods;
                double level = rms(s.left(), 0, s.left().length);
                double step = Math.abs(s.left()[0] - last);
                for (int i = 1; i < s.left().length; i++) {
                    step = Math.max(step, Math.abs(s.left()[i] - s.left()[i - 1]));
                }
                last = s.left()[s.left().length - 1];
                figures.append(String.format(" %d frames %d B in %d periods, level %+.3f dB, largest step %.4f (sine's %.4f);",
                        n, s.bytes(), periods, 20 * Math.log10(level / expected), step, sineStep));
                String what = "bytes the audio thread allocated in the first " + periods + " periods of " + n
                        + " frames, round " + round;
                if (round == 1) {
                    assertTrue(s.bytes() <= 1024, what + ": " + s.bytes());
                } else {
                    assertEquals(0, s.bytes(), what);
                }
                assertEquals(0, 20 * Math.log10(level / expected), 0.1, "the sine's level in dB against expected at " + n);
                assertTrue(step <= sineStep * 1.05, "no click at the change to " + n + ": step " + step);
            }
        }
        System.out.println("size changes 64 -> 128 -> 32:" + figures);
        assertEquals(0, engine.unannouncedPeriods(), "every size was announced");
        assertEquals(0, engine.silentPeriods());
    }

    /**
     * A period of a size nobody announced (a backend without the notice, or a race) still plays,
     * at the right level and without allocating (the second time: see above), and is counted;
     * before any format the engine answers with silence, also counted.
     */
    @Test
    void anUnannouncedSizePlaysAndIsCountedAndBeforeAnyFormatThePeriodIsSilent() {
        Engine engine = new Engine(BOOST_AND_BOARD8);
        engine.mixer().self(1).setMute(true);
        float[] sine = sine(1000, 0.25, RATE);
        float[][] in = {sine.clone(), sine.clone()};
        float[][] out = {new float[RATE], new float[RATE]};
        java.util.Arrays.fill(out[0], 1f);
        engine.period(in, out, 64);
        assertEquals(0f, out[0][0]);
        assertEquals(0f, out[0][63]);
        assertEquals(1f, out[0][64], "only the period's frames");
        assertEquals(1, engine.silentPeriods());
        engine.format(RATE, 64);
        double expected = 0.25 / Math.sqrt(2) * Math.pow(10, 6 / 20.0) * Math.cos(Math.PI / 4);
        int periods = RATE / 10 / 96;
        long at = 0;
        long[] bytes = new long[2];
        for (int round = 0; round < 2; round++) {
            stretch(engine, sine, at, 64, 20_000);
            at += 64L * 20_000;
            Stretch unannounced = stretch(engine, sine, at, 96, periods);
            at += 96L * periods;
            bytes[round] = unannounced.bytes();
            double level = rms(unannounced.left(), 0, unannounced.left().length);
            System.out.printf("unannounced 96 frames, round %d: %d B, level %+.3f dB%n", round + 1, bytes[round],
                    20 * Math.log10(level / expected));
            assertEquals(0, 20 * Math.log10(level / expected), 0.1);
        }
        assertTrue(bytes[0] <= 1024, "the first time: " + bytes[0] + " B");
        assertEquals(0, bytes[1], "bytes the audio thread allocated at a size nobody announced, the second time");
        assertEquals(2L * periods, engine.unannouncedPeriods());
        assertEquals(1, engine.silentPeriods());
    }

    /** Windows the measured half of the allocation test is cut into. */
    private static final int WINDOWS = 8;

    @ParameterizedTest(name = "periods of {0} frames")
    @ValueSource(ints = {32, 64, 128})
    void aPeriodWithTwoBoardsOfEightPedalsAndSevenMembersAllocatesNothing(int n) {
        Engine engine = new Engine(BOARD8);
        engine.format(RATE, n);
        for (int s = 0; s < 7; s++) {
            engine.setMember(s, new SineMember(220 * (s + 1), 0.1, 2));
        }
        engine.setRoomMix(new SineMember(1760, 0.1, 2)); // a mix room's server mix, played at unity
        engine.mixer().member(3, 1).setPan(0.3);
        jambox.dsp.tuner.Tuner tuner = (jambox.dsp.tuner.Tuner) jambox.dsp.tuner.Tuner.TYPE.create();
        tuner.prepare(RATE, n);
        tuner.start();
        engine.setTuner(tuner); // the tuner's tap and its mute run in the period too
        float[] guitar = sine(110, 0.3, RATE);
        for (int i = 0; i < RATE / 4; i++) {
            guitar[i] = Math.signum(guitar[i]); // a quarter second clipping the ADC: the clip counts run too
        }
        float[][] in = {new float[n], new float[n]};
        float[][] out = {new float[n], new float[n]};
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int periods = 20_000 * 64 / n; // as many seconds at every period
        // Knobs turn while it plays: the glides they start must not allocate either.
        Thread knobs = new Thread(() -> {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                engine.mixer().member(i % 7, i % 2).setPan((i % 21 - 10) / 10.0);
                engine.mixer().member((i + 3) % 7, 0).setMute(i % 3 == 0);
                engine.mixer().setMasterDb(-(i % 12));
                engine.setInputGainDb(i % 2, i % 7);
                engine.setTunerMute(i % 40 < 5);
                engine.mixer().self(i % 2).setGainDb(-(i % 10));
                engine.mixer().self((i + 1) % 2).setMute(i % 5 == 0);
                engine.preMeter(i % 2).takeClips(); // the meters push reads while the audio runs
                engine.selfMeter(i % 2).takeClips();
                double drive = i % 30;
                List<PedalSpec> pedals = new java.util.ArrayList<>(BOARD8.channel(0));
                pedals.set(2, new PedalSpec("overdrive", false, Map.of("drive", drive)));
                engine.changeBoard(new BoardSpec("board8", List.of(pedals)));
                LockSupport.parkNanos(200_000);
            }
        });
        knobs.start();
        // After a warm-up half, the other half in WINDOWS windows. Allocation per period shows in
        // every window. What may show in one: the JVM resolving a class or method the first time a
        // path runs (after a deoptimization, on a loaded machine late), which it does on the calling
        // thread, once; seen here as 208 bytes of class-name strings in Click.render under load.
        long[] windows = new long[WINDOWS];
        int window = periods / 2 / WINDOWS;
        playGuitar(engine, guitar, in, out, 0, periods / 2);
        for (int w = 0; w < WINDOWS; w++) {
            long before = mx.getThreadAllocatedBytes(tid);
            playGuitar(engine, guitar, in, out, periods / 2 + w * window, periods / 2 + (w + 1) * window);
            windows[w] = mx.getThreadAllocatedBytes(tid) - before;
        }
        long allocated = java.util.Arrays.stream(windows).sum();
        long clean = java.util.Arrays.stream(windows).filter(w -> w == 0).count();
        knobs.interrupt();
        try {
            tuner.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("engine, " + n + " frames: " + allocated + " bytes over " + window * WINDOWS
                + " periods, by window " + java.util.Arrays.toString(windows));
        assertTrue(clean >= WINDOWS - 1 && allocated <= 1024, "no allocation per period: at most one window of "
                + WINDOWS + " may show the JVM's one-time linking, under 1 KiB: " + java.util.Arrays.toString(windows));
        assertTrue(engine.outputMeter(0).peak() > 0.01, "the board made sound");
        for (int c = 0; c < 2; c++) { // every meter the period runs was measuring
            assertTrue(engine.preMeter(c).peak() > 0.01 && engine.inputMeter(c).peak() > 0, "input meters " + c);
            assertTrue(engine.selfMeter(c).peak() > 0, "self meter " + c);
        }
    }
}
