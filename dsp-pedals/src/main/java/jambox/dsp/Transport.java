package jambox.dsp;

/**
 * The tempo a board's pedals keep time with, and where in the bar the block in hand begins: the
 * room's tempo in a room that has one, else the box's metronome while it runs. Tempo-synced
 * pedals (a delay set to a dotted eighth, a looper that snaps to bars) read it; without a tempo
 * they use their own times.
 *
 * <p>The box's engine writes it on the audio thread before the boards run each period
 * ({@link #set}); pedals read it on the same thread while they run. Control threads may read it
 * too, which is why the fields are volatile (written once a period, so that costs nothing).
 * That once-a-period write also hands the loopers their next action ({@link #cue}).
 */
public final class Transport {
    private volatile double bpm;
    private volatile int beatsPerBar = 4;
    private volatile double beatInBar = Double.NaN;
    private final LoopCue cue = new LoopCue();

    /**
     * Audio thread (the engine), before the boards run: {@code bpm} (0: no tempo), the bar, and the
     * beat (from 0, fractional) at which this period's first sample falls, or NaN if not known.
     */
    public void set(double bpm, int beatsPerBar, double beatInBar) {
        if (!(bpm >= 0) || beatsPerBar < 1) {
            throw new IllegalArgumentException("a transport needs bpm >= 0 and beats per bar >= 1, not " + bpm + ", " + beatsPerBar);
        }
        this.bpm = bpm;
        this.beatsPerBar = beatsPerBar;
        this.beatInBar = beatInBar;
        cue.latch();
    }

    /** No tempo: pedals use their own times. */
    public void clear() {
        bpm = 0;
        beatInBar = Double.NaN;
        cue.latch();
    }

    /**
     * The box's looper actions: posted by the control side, latched by {@link #set} or
     * {@link #clear} (the engine calls one of them once a period, before the boards run), so
     * that every looper on every board takes an action in the same period.
     */
    public LoopCue cue() {
        return cue;
    }

    public boolean hasTempo() {
        return bpm > 0;
    }

    /** Beats a minute, 0 without a tempo. */
    public double bpm() {
        return bpm;
    }

    public int beatsPerBar() {
        return beatsPerBar;
    }

    /** The beat in the bar (0 .. beatsPerBar) at the first sample of the block in hand; NaN if not known. */
    public double beatInBar() {
        return beatInBar;
    }

    /** Samples a beat lasts at {@code sampleRate}; NaN without a tempo. */
    public double samplesPerBeat(double sampleRate) {
        double b = bpm;
        return b > 0 ? 60.0 * sampleRate / b : Double.NaN;
    }
}
