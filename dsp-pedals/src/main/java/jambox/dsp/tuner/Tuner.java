package jambox.dsp.tuner;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.Yin;
import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.Smoothed;

/**
 * The tuner. On the audio thread it only copies the signal into a ring (and mutes the output
 * if asked, with a short fade); a worker thread runs TarsosDSP's Yin on the newest 2048
 * samples about 15 times a second and publishes a {@link TunerReading}. Start the worker with
 * {@link #start()}; the pedal passes audio whether or not it runs.
 */
public final class Tuner extends Pedal {
    /** Yin's window: two periods of low E (82 Hz) at 48 kHz need 2048 samples. */
    public static final int WINDOW = 2048;
    static final double LOWEST_HZ = 70;
    static final double HIGHEST_HZ = 1500;
    /** Yin's answer counts only when it is this sure (1 - the normalised difference at the dip). */
    static final double MIN_PROBABILITY = 0.85;
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(66);
    private static final double MUTE_FADE_SECONDS = 0.01;

    public static final PedalType TYPE = new PedalType("tuner", "Tuner",
            "Shows the note you play and how many cents sharp or flat, E2 to E6; can mute the output while you tune.",
            "TarsosDSP's Yin (2048-sample window) on a worker thread, fed through a lock-free ring; the audio thread "
                    + "only copies samples. The note, cents and Hz are computed from Yin's pitch against the reference A.",
            List.of(ParamSpec.linear("reference", "Reference A4", "Hz", 430, 450, 440),
                    ParamSpec.choice("mute", "Mute", 0, "off", "on")),
            Tuner::new);

    private final Param reference = param("reference");
    private final Param mute = param("mute");
    private SampleRing ring = new SampleRing(2 * WINDOW);
    /** The output's gain, fading linearly between 1 and 0 (muted); only the audio thread sets its target. */
    private final Smoothed gain = Smoothed.linear(MUTE_FADE_SECONDS, 1f);
    private volatile TunerReading reading = TunerReading.silence(0);
    private Thread worker;

    private Tuner() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        ring = new SampleRing(4 * WINDOW);
        gain.prepare(sampleRate);
    }

    @Override
    protected void reset() {
        gain.reset(mute.target() == 0f ? 1f : 0f);
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        ring.write(buf, n);
        float target = mute.target() == 0f ? 1f : 0f;
        if (gain.target() != target) {
            gain.setTarget(target);
        }
        gain.applyGain(buf, n);
    }

    /** The latest reading; any thread. */
    public TunerReading reading() {
        return reading;
    }

    /** Starts the analysing thread (idempotent). */
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        worker = new Thread(this::analyseLoop, "jambox-tuner");
        worker.setDaemon(true);
        worker.start();
    }

    /** Stops the analysing thread and waits for it. */
    public synchronized void stop() throws InterruptedException {
        if (worker == null) {
            return;
        }
        worker.interrupt();
        worker.join();
        worker = null;
    }

    private void analyseLoop() {
        float[] window = new float[WINDOW];
        Yin yin = null;
        float yinRate = 0;
        long analysed = -1;
        while (!Thread.currentThread().isInterrupted()) {
            long end = ring.readLatest(window);
            if (end >= 0 && end != analysed) {
                if (yin == null || yinRate != sampleRate) {
                    yinRate = sampleRate;
                    yin = new Yin(yinRate, WINDOW);
                }
                reading = analyse(yin, window, end);
                analysed = end;
            }
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    private TunerReading analyse(Yin yin, float[] window, long end) {
        PitchDetectionResult r = yin.getPitch(window);
        double hz = r.getPitch();
        if (!r.isPitched() || r.getProbability() < MIN_PROBABILITY || hz < LOWEST_HZ || hz > HIGHEST_HZ) {
            return TunerReading.silence(end);
        }
        return TunerReading.of(hz, reference.get(), end);
    }
}
