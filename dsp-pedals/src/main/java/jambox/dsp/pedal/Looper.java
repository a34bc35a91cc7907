package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.LoopAction;
import jambox.dsp.LoopCue;
import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.Transport;
import jambox.dsp.unit.FastMath;

/**
 * A looper: records a phrase, plays it round, layers overdubs on it, takes the last layer back.
 *
 * <p>Actions come box-wide through the board's {@link Transport#cue()}, so that the two channels'
 * loopers (each board holds its own, mono, making the box's loop stereo) take every action in the
 * same period and stay sample-locked. They run at the start of the block they are latched for,
 * except where the room's tempo makes them wait for a bar line.
 *
 * <p>With a tempo, a record press arms the looper and the take starts on the next bar line; the
 * press that ends it rounds the take to whole bars: up to the next bar line, or back to the last one
 * if it came less than {@value #LATE_BARS} of a bar after it (a late foot, not a wish for one more
 * bar). Play from stopped also waits for a bar line. Without a tempo everything happens at once.
 *
 * <p>Nothing clicks: the loop's seam is crossfaded with what was played just after the take ended
 * (the phrase's natural continuation), and starting, stopping, undo and clear fade the playback out
 * and in over {@value #FADE_MS} ms; an overdub fades its input in and out as well.
 *
 * <p>Everything is allocated in {@link #onPrepare}: the loop and one undo layer, each
 * {@value #MAX_SECONDS} s at the rate (11.5 MB each at 48 kHz). Undo copies the kept layer back a
 * chunk per block (a whole loop at once would overrun a period); playback reads the kept layer where
 * the copy has not yet been, and actions wait until it is done (about 0.1 s for a full loop).
 *
 * <p>With {@code send} set to local the loop goes to the player's headphones only, through the
 * board's {@link #aside} block, and the room never hears it (the player's live playing still goes
 * to the room).
 *
 * <p>While the pedal is bypassed its loop stands still (the base class does not run a bypassed
 * pedal), and engaging it again finds the loop stopped: bypass one channel's looper only and the
 * channels' loops drift apart.
 */
public final class Looper extends Pedal {
    static final double MAX_SECONDS = 60;
    static final double FADE_MS = 5;
    static final double LATE_BARS = 1.0 / 16;
    /** Samples of the kept layer copied back per block after an undo: 128 KB, some tens of microseconds. */
    static final int RESTORE_CHUNK = 32768;

    public static final PedalType TYPE = new PedalType("looper", "Looper",
            "Records what you play and plays it round while you play over it: overdub layers, undo the last one. "
                    + "Up to a minute; in a room with a tempo the loop is whole bars and starts on the bar line. "
                    + "Send: room (everyone hears the loop) or local (only your headphones do).",
            "Ours (TarsosDSP has no looper). Both channels' loopers take each action in the same period through "
                    + "the box's clock; the seam is crossfaded with what followed the take; one undo layer.",
            List.of(ParamSpec.db("level", "Level", -40, 6, 0),
                    ParamSpec.linear("feedback", "Feedback", "%", 0, 100, 100),
                    ParamSpec.choice("send", "Send", 0, "room", "local")),
            Looper::new);

    /** What a looper is doing, as the control API names it. */
    public enum State {
        EMPTY, ARMED, RECORDING, PLAYING, OVERDUBBING, STOPPED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final State[] STATES = State.values();

    private final Param level = param("level");
    private final Param feedback = param("feedback");
    private final Param send = param("send");

    private float[] loop = new float[0];
    private float[] undo = new float[0];
    private int maxLength;
    private int fade;
    private float fadeStep;

    private State state = State.EMPTY;
    private int length;
    private int pos;
    /** Where a take ends (its whole bars), or -1 while free or not yet asked. */
    private int closeAt = -1;
    private State afterClose = State.PLAYING;
    /** A bar, in samples, when the take started with a tempo; 0 for a free take. */
    private double barLength;
    /** Play from stopped is waiting for a bar line. */
    private boolean playArmed;
    /** The first pass after a take: the seam's first {@link #fade} samples are still being blended with the live input. */
    private boolean seamOpen;

    /** Playback gain and overdub input gain: linear ramps toward 0 or 1. */
    private float play, playTarget;
    private float rec, recTarget;
    /** The loop's share that goes to the headphones only ({@code send} = local), gliding between 0 and 1 so the room hears no cut. */
    private float local;
    /** What happens once the playback has faded out. */
    private Pending pending = Pending.NONE;

    private enum Pending { NONE, REWIND, UNDO, CLEAR }

    /** The last overdub layer's backup: loop positions undoFrom .. undoFrom + undoCount (wrapping). */
    private int undoFrom, undoCount;
    private boolean restoring;
    private int restored;
    /** An action that came while the looper was busy with a fade or an undo copy; the newest wins. */
    private LoopAction deferred;
    private long seenCue;

    private volatile int publishedState;
    private volatile int publishedLength;
    private volatile int publishedPosition;
    private volatile boolean publishedUndo;

    private Looper() {
        super(TYPE);
    }

    // ---- control side ----

    /** What the looper is doing; any thread. */
    public State state() {
        return STATES[publishedState];
    }

    /** The loop's length in samples (0 while empty or recording); any thread. */
    public int lengthSamples() {
        return publishedLength;
    }

    /** Where playback is in the loop (while recording: how much is recorded), in samples; any thread. */
    public int positionSamples() {
        return publishedPosition;
    }

    /** True if there is an overdub layer to undo; any thread. */
    public boolean canUndo() {
        return publishedUndo;
    }

    /** True if the loop stays out of what goes to the room. */
    public boolean isLocal() {
        return send.get() == 1;
    }

    // ---- set-up ----

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        maxLength = (int) Math.round(MAX_SECONDS * sampleRate);
        loop = new float[maxLength];
        undo = new float[maxLength];
        fade = Math.max(1, (int) Math.round(FADE_MS * 0.001 * sampleRate));
        fadeStep = 1f / fade;
        state = State.EMPTY;
        length = 0;
        seenCue = transport().cue().latched();
    }

    /**
     * Stops, and keeps the loop: the base class resets a pedal that comes back from bypass, and a
     * bypass must not throw a take away. Nothing the looper stores can be poisoned (what it records
     * is sanitised first), so there is nothing else to clear. A take in progress is dropped.
     */
    @Override
    protected void reset() {
        switch (state) {
            case ARMED, RECORDING -> state = State.EMPTY;
            case PLAYING, OVERDUBBING -> state = State.STOPPED;
            default -> {
            }
        }
        if (state == State.EMPTY) {
            length = 0;
            undoCount = 0;
            restoring = false;
        }
        pos = 0;
        closeAt = -1;
        playArmed = false;
        seamOpen = false;
        play = playTarget = rec = recTarget = 0f;
        local = send.target();
        pending = Pending.NONE;
        deferred = null;
        publish();
    }

    // ---- audio thread ----

    @Override
    protected void processBlock(float[] buf, int n) {
        long cue = transport().cue().latched();
        if (cue != seenCue) {
            seenCue = cue;
            deferred = LoopCue.action(cue);
        }
        if (restoring) {
            restoreChunk();
        }
        if (deferred != null && pending == Pending.NONE && !restoring) {
            LoopAction a = deferred;
            deferred = null;
            act(a);
        }
        int startAt = state == State.ARMED || playArmed ? barLineIn(n) : -1;
        float[] side = aside();
        float wantLocal = send.target();
        level.latch();
        feedback.latch();
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            // Recorded samples are kept for minutes: never let a NaN or a runaway into them.
            float w = x == x ? Math.max(-OUTPUT_LIMIT, Math.min(OUTPUT_LIMIT, x)) : 0f;
            if (i == startAt) {
                startArmed();
            }
            float gain = FastMath.dbToGain(level.next());
            float keep = feedback.next() * 0.01f;
            float y = 0f;
            if (state == State.RECORDING) {
                loop[pos++] = w;
                if (pos == closeAt || pos == maxLength) {
                    closeTake();
                }
            } else if (length > 0 && (play > 0f || playTarget > 0f || rec > 0f)) {
                float s = read(pos);
                if (seamOpen) {
                    // The seam: what followed the take's end, fading into the take's beginning.
                    float t = pos * fadeStep;
                    s = s * t + w * (1f - t);
                    loop[pos] = s;
                    if (pos + 1 >= fade) {
                        seamOpen = false;
                    }
                }
                if (rec > 0f || recTarget > 0f) {
                    if (undoCount < length) {
                        undo[pos] = s;
                        undoCount++;
                    }
                    rec = ramp(rec, recTarget);
                    loop[pos] = s * (1f - rec * (1f - keep)) + rec * w;
                }
                y = s * play * gain;
                play = ramp(play, playTarget);
                if (++pos >= length) {
                    pos = 0;
                }
                if (pending != Pending.NONE && play == 0f && rec == 0f) {
                    finishPending();
                }
            }
            local = ramp(local, wantLocal);
            buf[i] = x + y * (1f - local);
            side[i] += y * local;
        }
        level.settle();
        feedback.settle();
        publish();
    }

    private float ramp(float g, float target) {
        return g < target ? Math.min(target, g + fadeStep) : g > target ? Math.max(target, g - fadeStep) : g;
    }

    /** The loop at {@code p}; after an undo, the kept layer where the copy back has not reached yet. */
    private float read(int p) {
        if (restoring) {
            int k = p - undoFrom;
            if (k < 0) {
                k += length;
            }
            if (k >= restored && k < undoCount) {
                return undo[p];
            }
        }
        return loop[p];
    }

    private void restoreChunk() {
        int todo = Math.min(RESTORE_CHUNK, undoCount - restored);
        while (todo > 0) {
            int p = undoFrom + restored;
            if (p >= length) {
                p -= length;
            }
            int run = Math.min(todo, length - p);
            System.arraycopy(undo, p, loop, p, run);
            restored += run;
            todo -= run;
        }
        if (restored >= undoCount) {
            restoring = false;
            undoCount = 0;
        }
    }

    /** Offset in this block of the next bar line (0 without a tempo or a known beat), or -1 if it is later. */
    private int barLineIn(int n) {
        Transport t = transport();
        double beat = t.beatInBar();
        if (!t.hasTempo() || Double.isNaN(beat)) {
            return 0;
        }
        double spb = t.samplesPerBeat(sampleRate);
        double until = (t.beatsPerBar() - beat) * spb;
        if (until >= t.beatsPerBar() * spb - 1e-6) {
            until = 0; // on the line, give or take rounding
        }
        int at = (int) Math.ceil(until - 1e-6);
        return at < n ? at : -1;
    }

    private void startArmed() {
        if (state == State.ARMED) {
            Transport t = transport();
            barLength = t.hasTempo() ? t.beatsPerBar() * t.samplesPerBeat(sampleRate) : 0;
            state = State.RECORDING;
            pos = 0;
            closeAt = -1;
        } else {
            playArmed = false;
            pos = 0;
            playTarget = 1f;
            state = State.PLAYING;
        }
    }

    private void act(LoopAction a) {
        switch (state) {
            case EMPTY -> {
                if (a == LoopAction.RECORD) {
                    state = State.ARMED;
                }
            }
            case ARMED -> {
                if (a == LoopAction.RECORD || a == LoopAction.CLEAR || a == LoopAction.STOP) {
                    state = State.EMPTY;
                }
            }
            case RECORDING -> {
                switch (a) {
                    case CLEAR -> {
                        state = State.EMPTY;
                        length = 0;
                    }
                    case UNDO -> {
                    }
                    default -> endTake(a == LoopAction.STOP ? State.STOPPED
                            : a == LoopAction.OVERDUB ? State.OVERDUBBING : State.PLAYING);
                }
            }
            case PLAYING, OVERDUBBING, STOPPED -> onLoop(a);
        }
    }

    private void onLoop(LoopAction a) {
        boolean dubbing = state == State.OVERDUBBING;
        switch (a) {
            case RECORD -> {
                if (state == State.STOPPED) {
                    playFromTop();
                } else if (dubbing) {
                    endOverdub();
                } else {
                    startOverdub();
                }
            }
            case OVERDUB -> {
                if (state == State.STOPPED) {
                    pos = 0;
                    playTarget = 1f;
                    startOverdub();
                } else if (!dubbing) {
                    startOverdub();
                }
            }
            case PLAY -> {
                if (state == State.STOPPED) {
                    playFromTop();
                } else if (dubbing) {
                    endOverdub();
                }
            }
            case STOP -> {
                if (state != State.STOPPED || playArmed) {
                    playArmed = false;
                    state = State.STOPPED;
                    fadeThen(Pending.REWIND);
                }
            }
            case UNDO -> {
                if (undoCount > 0) {
                    // The layer goes anyway: its write may end abruptly.
                    rec = recTarget = 0f;
                    if (dubbing) {
                        state = State.PLAYING;
                    }
                    fadeThen(Pending.UNDO);
                }
            }
            case CLEAR -> {
                playArmed = false;
                state = State.EMPTY;
                fadeThen(Pending.CLEAR);
            }
        }
    }

    private void playFromTop() {
        playArmed = true; // starts at once without a tempo: barLineIn gives 0
    }

    private void startOverdub() {
        state = State.OVERDUBBING;
        recTarget = 1f;
        undoFrom = pos;
        undoCount = 0;
    }

    private void endOverdub() {
        state = State.PLAYING;
        recTarget = 0f;
    }

    /** Fades playback (and any overdub) out; {@code then} runs once it is silent, at once if it already is. */
    private void fadeThen(Pending then) {
        playTarget = 0f;
        recTarget = 0f;
        pending = then;
        if (play == 0f && rec == 0f) {
            finishPending();
        }
    }

    private void finishPending() {
        Pending p = pending;
        pending = Pending.NONE;
        switch (p) {
            case REWIND -> pos = 0;
            case UNDO -> {
                restoring = true;
                restored = 0;
                if (state == State.PLAYING) {
                    playTarget = 1f;
                }
            }
            case CLEAR -> {
                length = 0;
                undoCount = 0;
                restoring = false;
                pos = 0;
            }
            case NONE -> {
            }
        }
    }

    /** A press that ends the take: at once when free, else at whole bars (now, if the foot was just late). */
    private void endTake(State then) {
        afterClose = then;
        if (barLength <= 0) {
            closeTake();
            return;
        }
        int bars = (int) (pos / barLength);
        double past = pos - bars * barLength;
        if (bars < 1 || past >= LATE_BARS * barLength) {
            bars++;
        }
        while (bars > 1 && Math.round(bars * barLength) > maxLength) {
            bars--;
        }
        long end = Math.round(bars * barLength);
        if (end > maxLength) {
            // A bar longer than the buffer: keep what fits, free length.
            closeAt = maxLength;
        } else if (end <= pos) {
            closeAt = (int) end;
            closeTake();
        } else {
            closeAt = (int) end;
        }
    }

    /**
     * Ends the take at {@link #closeAt} (or at what is recorded): what was recorded past the end is
     * the phrase's continuation and blends into the loop's start; the rest of the seam blends with
     * the live input as the first pass plays.
     */
    private void closeTake() {
        int end = closeAt > 0 && closeAt <= pos ? closeAt : pos;
        if (pos == maxLength && closeAt < 0 && barLength > 0) {
            // The buffer is full before a second press: whole bars still, the last ones that fit.
            int bars = (int) (maxLength / barLength);
            if (bars >= 1) {
                end = (int) Math.round(bars * barLength);
                end = Math.min(end, maxLength);
            }
        }
        if (end < 2 * fade) {
            state = State.EMPTY; // two presses in a blink: no loop
            length = 0;
            closeAt = -1;
            return;
        }
        int over = pos - end;
        int blended = Math.min(over, fade);
        for (int k = 0; k < blended; k++) {
            float t = k * fadeStep;
            loop[k] = loop[k] * t + loop[end + k] * (1f - t);
        }
        length = end;
        pos = over % end;
        closeAt = -1;
        undoCount = 0;
        restoring = false;
        state = afterClose;
        afterClose = State.PLAYING;
        play = 0f;
        if (state == State.STOPPED) {
            // No live input will follow: the rest of the seam fades in from silence instead.
            for (int k = blended; k < fade; k++) {
                loop[k] *= k * fadeStep;
            }
            seamOpen = false;
            playTarget = 0f;
            pos = 0;
        } else {
            seamOpen = blended < fade;
            playTarget = 1f;
            if (state == State.OVERDUBBING) {
                startOverdub();
            }
        }
    }

    private void publish() {
        publishedState = state.ordinal();
        // A cleared loop is gone for whoever asks, though its last 5 ms still fade out here.
        publishedLength = state == State.RECORDING || state == State.EMPTY ? 0 : length;
        publishedPosition = pos;
        publishedUndo = undoCount > 0 && !restoring;
    }
}
