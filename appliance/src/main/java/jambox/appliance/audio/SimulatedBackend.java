package jambox.appliance.audio;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jambox.appliance.engine.Engine;
import jambox.common.midi.MidiPorts;

/**
 * Periods from a clock thread instead of a sound card: the service, the demo and most tests run on
 * any machine with it. Inputs come from a looped recording or generator ({@link LoopedInput});
 * outputs go to a {@link Capture} or nowhere. Paced ({@code realtime}) it keeps the period rate on
 * an absolute schedule and counts a late period as an xrun; unpaced it runs a fixed number of
 * periods as fast as it can, and renders the same output for the same input every time.
 *
 * <p>Its MIDI output is looped back to its input ({@link MidiExchange#loopBack}): an event sent for
 * a frame arrives at that frame, on the clock of frames played since the start.
 *
 * <p>Formats reach the callback as JACK's do: {@link PeriodCallback#format} on a thread that is not
 * the audio thread (the caller of {@link #start} or {@link #resize}), before the periods of the new
 * size; the clock thread only ever calls {@link PeriodCallback#period}.
 */
public final class SimulatedBackend implements AudioBackend {
    private final int sampleRate;
    /** Written by {@link #resize}'s caller after the callback heard of it; read by the clock thread. */
    private volatile int frames;
    private volatile PeriodCallback callback;
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
    private volatile int realtimePriority;
    private volatile boolean raised;
    private volatile double skewPpm;
    private volatile long startNanos;
    private final MidiExchange midi = new MidiExchange();

    /**
     * @param realtime   paced at the period rate, or as fast as possible
     * @param maxPeriods stop after this many periods (Long.MAX_VALUE: until closed)
     * @param input      what the two inputs play (null: silence)
     * @param output     where the two outputs go (null: discarded)
     */
    public SimulatedBackend(int sampleRate, int frames, boolean realtime, long maxPeriods, LoopedInput input,
                            Capture output) {
        checkFormat(sampleRate, frames);
        this.sampleRate = sampleRate;
        this.frames = frames;
        this.realtime = realtime;
        this.maxPeriods = maxPeriods;
        this.input = input;
        this.output = output;
        // As long as any period can be, so that a resize allocates nothing on the clock thread.
        this.in = new float[CHANNELS][Engine.MAX_FRAMES];
        this.out = new float[CHANNELS][Engine.MAX_FRAMES];
    }

    private static void checkFormat(int sampleRate, int frames) {
        if (sampleRate < 8000 || sampleRate > 192_000 || frames < 16 || frames > Engine.MAX_FRAMES) {
            throw new IllegalArgumentException("cannot simulate " + frames + " frames at " + sampleRate + " Hz");
        }
    }

    /**
     * Changes the period size while it runs, as {@code jack_bufsize} does to a JACK server: the
     * callback's {@link PeriodCallback#format} runs here, on the caller's thread, and the periods
     * after it returns have {@code frames} frames. Control threads; not concurrently with itself.
     */
    public void resize(int frames) {
        checkFormat(sampleRate, frames);
        PeriodCallback c = callback;
        if (c != null) {
            c.format(sampleRate, frames);
        }
        this.frames = frames;
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

    /**
     * Paced only: the clock thread runs under SCHED_FIFO at {@code priority} where the process may,
     * as a sound card's JACK thread does on the box, so other work on the machine cannot hold up
     * its periods. 0 (the default) leaves it a normal thread.
     */
    public SimulatedBackend withRealtimePriority(int priority) {
        if (priority < 0 || priority > 99) {
            throw new IllegalArgumentException("a SCHED_FIFO priority is 1..99 (0: none), not " + priority);
        }
        realtimePriority = priority;
        return this;
    }

    @Override
    public void start(PeriodCallback callback) {
        if (clock != null) {
            throw new IllegalStateException("already started");
        }
        callback.format(sampleRate, frames);
        this.callback = callback;
        clock = new Thread(() -> run(callback), "audio-simulated");
        clock.setDaemon(true);
        clock.setPriority(Thread.MAX_PRIORITY);
        running = true;
        midi.start();
        clock.start();
    }

    private void run(PeriodCallback callback) {
        if (realtime && realtimePriority > 0) {
            raised = RealtimeThread.raiseCurrentThread(realtimePriority);
        }
        double sampleNanos = 1e9 / sampleRate / (1 + skewPpm * 1e-6);
        long start = System.nanoTime();
        startNanos = start;
        long played = 0; // samples before this period: sizes may change, the schedule holds
        try {
            for (long k = 0; k < maxPeriods && !stop; k++) {
                int frames = this.frames;
                if (realtime) {
                    double periodNanos = frames * sampleNanos;
                    long due = start + Math.round(played * sampleNanos);
                    long now = System.nanoTime();
                    if (now > due + periodNanos) {
                        xruns++; // a whole period late: on a sound card this would have been a dropout
                    }
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                }
                if (k == 0) {
                    midi.newClock();
                }
                midi.loopBack(played, frames);
                if (input != null) {
                    input.fill(in, frames);
                }
                try {
                    callback.period(in, out, frames);
                } catch (RuntimeException | Error e) {
                    // As with JACK: the audio goes on; this period is silent.
                    for (float[] o : out) {
                        java.util.Arrays.fill(o, 0, frames, 0f);
                    }
                }
                if (output != null) {
                    output.take(out, frames);
                }
                played += frames;
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

    /** The MIDI ports, looped back: what is sent comes in at the frame it was sent for. */
    @Override
    public MidiPorts midi() {
        return midi;
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
                + (skewPpm != 0 ? String.format(java.util.Locale.ROOT, ", clock %+.0f ppm", skewPpm) : "")
                + (raised ? ", SCHED_FIFO " + realtimePriority : "") + ")";
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
        midi.close();
    }
}
