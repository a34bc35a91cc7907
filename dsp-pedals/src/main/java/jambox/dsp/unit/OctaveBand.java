package jambox.dsp.unit;

/**
 * One band of a polyphonic octave: a narrow band-pass that should hold one partial, and from
 * that partial an octave down and an octave up, each band-limited again to where it belongs.
 *
 * <p>Both voices are the band's own signal times a sign that changes only where that signal
 * crosses zero, so neither ever steps. The octave down flips the sign at each upward crossing:
 * the sign then repeats every two cycles, and a sine times it is a wave of half its frequency
 * with nothing left at the original one (its next partial, at 3/2, is filtered off). The
 * octave up flips it at every crossing, which is the full-wave rectified band: its
 * fundamental is twice the partial's. A flip of the octave down is armed only once the band
 * has swung below a share of its own envelope, so noise riding on a crossing cannot flip it
 * twice in one cycle.
 *
 * <p>A bank sums its bands, and a partial between two centres rings in both. The phase of a
 * band's octave up is fixed by its filters, so a bank lines its bands' up voices up once, by
 * {@link #upPhase} and {@link #setUpPolarity}.
 */
public final class OctaveBand {
    /** A flip arms once the band has gone this far below zero, relative to its envelope. */
    private static final float ARM_SHARE = 0.2f;
    /** Below this the band is silence: its divider holds still instead of dividing noise. */
    private static final float FLOOR = 1e-5f;

    private final Biquad analysis = new Biquad();
    private final Biquad downBand = new Biquad();
    private final Biquad downLow = new Biquad();
    private final Biquad upBand = new Biquad();
    private float release;
    private float envelope;
    private float previous;
    private boolean armed;
    private float downSign = 1f;
    private float upPolarity = 1f;
    private float down, up;

    /**
     * Designs the band around {@code hz}: the analysis band-pass of quality {@code q}, the
     * octave-down voice band-limited around {@code hz / 2} (a low-pass takes off the 3/2
     * partial the sign flips leave), the octave-up voice around {@code 2 hz} (the band-pass
     * also takes off the rectifier's DC and its 4x partial).
     */
    public OctaveBand design(double fs, double hz, double q) {
        analysis.setBandpass(fs, hz, q);
        downBand.setBandpass(fs, hz / 2, 1.2);
        downLow.setLowpass(fs, hz * 0.75, Math.sqrt(0.5));
        upBand.setBandpass(fs, hz * 2, 1.5);
        // The envelope must follow a note's decay, yet hold across one period of the slowest partial.
        release = (float) Math.exp(-1 / (0.02 * fs));
        return this;
    }

    public void reset() {
        analysis.reset();
        downBand.reset();
        downLow.reset();
        upBand.reset();
        envelope = 0f;
        previous = 0f;
        armed = false;
        downSign = 1f;
        down = 0f;
        up = 0f;
    }

    /** Takes one input sample; the voices are then {@link #down()} and {@link #up()}. */
    public void process(float x) {
        float b = analysis.process(x);
        float a = Math.abs(b);
        envelope = a > envelope ? a : envelope * release;
        if (b < -ARM_SHARE * envelope && envelope > FLOOR) {
            armed = true;
        }
        if (armed && previous < 0f && b >= 0f) {
            armed = false;
            downSign = -downSign;
        }
        previous = b;
        down = downLow.process(downBand.process(b * downSign));
        up = upBand.process(upPolarity * a);
    }

    /** Flushes denormal filter states; once a block. */
    public void flush() {
        analysis.flush();
        downBand.flush();
        downLow.flush();
        upBand.flush();
        envelope = (envelope + 1e-18f) - 1e-18f;
    }

    /**
     * The phase of the octave up that a partial at {@code hz} gets through this band: twice its
     * phase through the analysis band-pass (rectifying doubles it), plus the up voice's filter's.
     */
    public double upPhase(double fs, double hz) {
        return 2 * analysis.phase(fs, hz) + upBand.phase(fs, 2 * hz);
    }

    /** Sets the sign of the octave-up voice, +1 or -1; before the band plays, since a flip mid-note would step. */
    public void setUpPolarity(float polarity) {
        upPolarity = polarity;
    }

    public float down() {
        return down;
    }

    public float up() {
        return up;
    }
}
