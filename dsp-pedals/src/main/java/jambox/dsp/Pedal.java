package jambox.dsp;

import be.tarsos.dsp.AudioEvent;
import be.tarsos.dsp.AudioProcessor;
import jambox.dsp.ir.IrBank;

/**
 * A pedal: a TarsosDSP {@link AudioProcessor} with live parameters and a click-free bypass.
 *
 * <p>Threads: {@link #prepare} runs before the pedal is put on a board (it may allocate).
 * {@link #run} runs on the audio thread and never allocates, locks or blocks. Parameters and
 * the bypass switch may be changed from any thread at any time.
 *
 * <p>Whatever the input and parameters, what leaves {@link #run} is finite, bounded to
 * +-{@value #OUTPUT_LIMIT} and free of denormals; a pedal whose state was poisoned by a
 * non-finite sample starts over from silence.
 */
public abstract class Pedal implements AudioProcessor {
    /** Output bound: +36 dBFS. Louder means a runaway, not music. */
    public static final float OUTPUT_LIMIT = 64f;
    /** Length of the bypass crossfade. */
    public static final double FADE_SECONDS = 0.010;

    private final PedalType type;
    private final Param[] params;
    private volatile boolean bypassed;
    private volatile boolean held;
    /**
     * Wet share of the output, 0 = bypassed, 1 = engaged, fading linearly between. Its target
     * comes from {@link #bypassed} and {@link #held}, and only the audio thread sets it.
     */
    private final Smoothed wet = Smoothed.linear(FADE_SECONDS, 1f);
    /** The audio thread's last {@link #wet}, published for control threads. */
    private volatile float publishedWet;
    /** No block processed since {@link #prepare}: values set meanwhile apply at once, without a glide. */
    private boolean fresh;
    private float[] dry = new float[0];
    /** The board's tempo, or one of its own (never set: no tempo) for a pedal on no board. */
    private Transport transport = new Transport();
    /** The box's uploaded impulse responses; a pedal on no board has an empty bank of its own. */
    private IrBank irs = new IrBank();
    /** The board's headphones-only block, or one of the pedal's own (heard by nobody) off a board. */
    private float[] boardAside = new float[0];
    /** What this pedal sends there this block, before the bypass crossfade; zeroed each block once used. */
    private float[] aside = new float[0];
    private boolean usesAside;
    private boolean onBoard;
    protected float sampleRate;
    private int maxBlock;

    protected Pedal(PedalType type) {
        this.type = type;
        this.params = new Param[type.params().size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = new Param(type.params().get(i));
        }
    }

    public final PedalType type() {
        return type;
    }

    /**
     * The delay this pedal adds to its input while engaged, in samples at the rate it was
     * prepared for (fractional: an oversampler's linear-phase filters delay by a quarter-sample
     * step). A bypassed pedal passes its input untouched, so {@link Board#latencySamples} counts
     * only engaged ones. Any thread.
     */
    public final double latencySamples() {
        return type.latencySamples();
    }

    /** The tempo and bar this pedal keeps time with; read it on the audio thread while processing. */
    protected final Transport transport() {
        return transport;
    }

    /** The box's uploaded impulse responses; read it off the audio thread, or its version on it. */
    protected final IrBank irs() {
        return irs;
    }

    /**
     * Where a pedal adds sound the player hears and the room does not (a looper kept local): a block
     * of its own, zeroed before each {@link #processBlock}, that {@link #run} adds to the board's
     * (through the same bypass crossfade as the output), which the engine adds to the headphones
     * after the room has taken the board's output. Sound sent here skips the pedals after this one.
     * Audio thread, while processing.
     */
    protected final float[] aside() {
        usesAside = true;
        return aside;
    }

    /** Puts the pedal on a board's clock, bank and headphones-only block: {@link Board#create} does, before the pedal runs. */
    final void attach(Transport t, IrBank bank, float[] asideBlock) {
        this.transport = t;
        this.irs = bank;
        this.boardAside = asideBlock;
        this.onBoard = true;
    }

    /** Allocates everything the pedal needs for this rate and largest block; may be called again. */
    public final void prepare(float sampleRate, int maxBlock) {
        if (!(sampleRate >= 8000 && sampleRate <= 384000) || maxBlock < 1) {
            throw new IllegalArgumentException("cannot prepare " + type.id() + " for " + sampleRate + " Hz, block " + maxBlock);
        }
        this.sampleRate = sampleRate;
        this.maxBlock = maxBlock;
        this.dry = new float[maxBlock];
        this.aside = new float[maxBlock];
        if (!onBoard) {
            boardAside = new float[maxBlock];
        }
        wet.prepare(sampleRate);
        for (Param p : params) {
            p.prepare(sampleRate);
        }
        onPrepare(sampleRate, maxBlock);
        restart();
        wet.reset(bypassed ? 0f : 1f);
        publishedWet = wet.current();
        fresh = true;
    }

    /** Sizes buffers and fixed coefficients; runs off the audio thread. */
    protected abstract void onPrepare(float sampleRate, int maxBlock);

    /** Clears the pedal's memory (delay lines, filter states, envelopes) without allocating. */
    protected abstract void reset();

    /** Processes {@code n} samples of {@code buf} in place; audio thread, no allocation. */
    protected abstract void processBlock(float[] buf, int n);

    // ---- control side ----

    public final Param param(String id) {
        for (Param p : params) {
            if (p.spec().id().equals(id)) {
                return p;
            }
        }
        type.param(id);
        throw new AssertionError();
    }

    public final Param[] params() {
        return params.clone();
    }

    /** Sets a parameter by id; a bad id or value throws and changes nothing. */
    public final void set(String id, double value) {
        param(id).set(value);
    }

    public final double get(String id) {
        return param(id).get();
    }

    public final void setBypassed(boolean bypassed) {
        this.bypassed = bypassed;
    }

    public final boolean isBypassed() {
        return bypassed;
    }

    /** The board's own mute for moving or removing the pedal, apart from the player's bypass. */
    final void hold(boolean held) {
        this.held = held;
    }

    /** Starts the pedal faded out, so that putting it on a running board fades it in. */
    final void startSilent() {
        wet.reset(0f);
        publishedWet = 0f;
    }

    /** True once the pedal's wet share has reached zero: it can be moved or dropped without a click. */
    final boolean isSilent() {
        return publishedWet == 0f;
    }

    // ---- audio thread ----

    /** One block, in place: crossfades on bypass changes, sanitises what leaves. */
    public final void run(float[] buf, int n) {
        if (fresh) {
            fresh = false;
            restart();
        }
        float target = bypassed || held ? 0f : 1f;
        if (wet.target() != target) {
            wet.setTarget(target);
        }
        wet.latch();
        float w = wet.current();
        if (usesAside) {
            java.util.Arrays.fill(aside, 0, n, 0f);
        }
        if (w == target) {
            if (target == 1f) {
                processBlock(buf, n);
                if (usesAside) {
                    for (int i = 0; i < n; i++) {
                        boardAside[i] += bound(aside[i]);
                    }
                }
            }
        } else {
            if (w == 0f) {
                restart();
            }
            System.arraycopy(buf, 0, dry, 0, n);
            processBlock(buf, n);
            boolean side = usesAside;
            for (int i = 0; i < n; i++) {
                float g = wet.next();
                buf[i] = dry[i] + (buf[i] - dry[i]) * g;
                if (side) {
                    boardAside[i] += bound(aside[i]) * g;
                }
            }
            publishedWet = wet.current();
        }
        if (!sanitize(buf, n)) {
            restart();
        }
    }

    /** What a pedal sends aside is bounded as its output is (a NaN never reaches it: it is only a pedal's own playback). */
    private static float bound(float x) {
        return Math.max(-OUTPUT_LIMIT, Math.min(OUTPUT_LIMIT, x));
    }

    private void restart() {
        for (Param p : params) {
            p.snap();
        }
        reset();
    }

    /** Replaces non-finite samples by silence, bounds the rest, flushes denormals; false if any was non-finite. */
    static boolean sanitize(float[] buf, int n) {
        // Fast pass: adding and removing 1e-30 turns denormals (and anything under ~1e-37)
        // into 0 and leaves every audible value exactly as it was; NaN fails the range check.
        boolean inRange = true;
        for (int i = 0; i < n; i++) {
            float x = (buf[i] + 1e-30f) - 1e-30f;
            buf[i] = x;
            inRange &= Math.abs(x) <= OUTPUT_LIMIT;
        }
        return inRange || clamp(buf, n);
    }

    private static boolean clamp(float[] buf, int n) {
        boolean finite = true;
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            if (x != x || x == Float.POSITIVE_INFINITY || x == Float.NEGATIVE_INFINITY) {
                buf[i] = 0f;
                finite = false;
            } else if (x > OUTPUT_LIMIT) {
                buf[i] = OUTPUT_LIMIT;
            } else if (x < -OUTPUT_LIMIT) {
                buf[i] = -OUTPUT_LIMIT;
            }
        }
        return finite;
    }

    /** TarsosDSP entry point: processes the event's whole float buffer, which must fit the prepared block. */
    @Override
    public final boolean process(AudioEvent event) {
        float[] buf = event.getFloatBuffer();
        if (buf.length > maxBlock) {
            throw new IllegalStateException(type.id() + " was prepared for blocks of " + maxBlock
                    + " samples, not " + buf.length);
        }
        run(buf, buf.length);
        return true;
    }

    @Override
    public void processingFinished() {
    }

    @Override
    public String toString() {
        return type.id();
    }
}
