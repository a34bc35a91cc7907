package jambox.appliance.audio;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jambox.appliance.engine.Engine;

/**
 * Periods from a clock thread instead of a sound card: the service, the demo and most tests run on
 * any machine with it. Inputs come from a looped recording or generator ({@link LoopedInput});
 * outputs go to a {@link Capture} or nowhere. Paced ({@code realtime}) it keeps the period rate on
 * an absolute schedule and counts a late period as an xrun; unpaced it runs a fixed number of
 * periods as fast as it can, and renders the same output for the same input every time.
 */
public final class SimulatedBackend implements AudioBackend {
    private final int sampleRate;
    private final int frames;
    private final boolean realtime;
    private final long maxPeriods;
    private final LoopedInput input;
    private final Capture output;
    private final float[][] in;
    private final float[][] out;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stop;
    private volatile boolean running;
    private volatile long xruns;
    private volatile long periods;
    private Thread clock;
    private volatile double skewPpm;
    private volatile long startNanos;

    /**
     * @param realtime   paced at the period rate, or as fast as possible
     * @param maxPeriods stop after this many periods (Long.MAX_VALUE: until closed)
     * @param input      what the two inputs play (null: silence)
     * @param output     where the two outputs go (null: discarded)
     */
    public SimulatedBackend(int sampleRate, int frames, boolean realtime, long maxPeriods, LoopedInput input,
                            Capture output) {
        if (sampleRate < 8000 || sampleRate > 192_000 || frames < 16 || frames > Engine.MAX_FRAMES) {
            throw new IllegalArgumentException("cannot simulate " + frames + " frames at " + sampleRate + " Hz");
        }
        this.sampleRate = sampleRate;
        this.frames = frames;
        this.realtime = realtime;
        this.maxPeriods = maxPeriods;
        this.input = input;
        this.output = output;
        this.in = new float[CHANNELS][frames];
        this.out = new float[CHANNELS][frames];
    }

    /**
     * Runs this box's clock fast (positive) or slow (negative) by {@code ppm} parts per million, as
     * two sound cards' crystals differ; paced runs only.
     */
    public SimulatedBackend withClockSkew(double ppm) {
        if (!(Math.abs(ppm) <= 10_000)) {
            throw new IllegalArgumentException("clock skew " + ppm + " ppm is outside -10000 .. 10000");
        }
        skewPpm = ppm;
        return this;
    }

    @Override
    public void start(PeriodCallback callback) {
        if (clock != null) {
            throw new IllegalStateException("already started");
        }
        callback.format(sampleRate, frames);
        clock = new Thread(() -> run(callback), "audio-simulated");
        clock.setDaemon(true);
        clock.setPriority(Thread.MAX_PRIORITY);
        running = true;
        clock.start();
    }

    private void run(PeriodCallback callback) {
        double periodNanos = frames * 1e9 / sampleRate / (1 + skewPpm * 1e-6);
        long start = System.nanoTime();
        startNanos = start;
        try {
            for (long k = 0; k < maxPeriods && !stop; k++) {
                if (realtime) {
                    long due = start + Math.round(k * periodNanos);
                    long now = System.nanoTime();
                    if (now > due + periodNanos) {
                        xruns++; // a whole period late: on a sound card this would have been a dropout
                    }
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                }
                if (input != null) {
                    input.fill(in, frames);
                }
                try {
                    callback.period(in, out, frames);
                } catch (RuntimeException | Error e) {
                    // As with JACK: the audio goes on; this period is silent.
                    for (float[] o : out) {
                        java.util.Arrays.fill(o, 0f);
                    }
                }
                if (output != null) {
                    output.take(out, frames);
                }
                periods = k + 1;
            }
        } finally {
            running = false;
            finished.countDown();
        }
    }

    /** Waits until the backend has run its periods (unpaced use); false on timeout. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /** When period 0 was due ({@link System#nanoTime}): sample i of a paced run is due i / rate later. */
    public long startNanos() {
        return startNanos;
    }

    public long periods() {
        return periods;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int periodFrames() {
        return frames;
    }

    @Override
    public long xruns() {
        return xruns;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public String describe() {
        return "simulated (" + sampleRate + " Hz, " + frames + " frames, " + (realtime ? "paced" : "unpaced")
                + (skewPpm != 0 ? String.format(java.util.Locale.ROOT, ", clock %+.0f ppm", skewPpm) : "") + ")";
    }

    @Override
    public void close() {
        stop = true;
        Thread t = clock;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
