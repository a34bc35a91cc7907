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
 * fundamental is twice the partial's. The divider has no hysteresis: the band-pass leaves no
 * noise fast enough to add a crossing, and arming each flip on a swing below a share of the
 * envelope (tried at 20 %) only made it skip a flip when hiss dented a cycle (measured with
 * white noise 3 dB under the note: the input's own pitch came back 11 dB louder).
 *
 * <p>A bank sums its bands, and a partial between two centres rings in both. The phase of a
 * band's octave up is fixed by its filters, so a bank lines its bands' up voices up once, by
 * {@link #upPhase} and {@link #setUpPolarity}.
 */
public final class OctaveBand {
    private final Biquad analysis = new Biquad();
    private final Biquad downBand = new Biquad();
    private final Biquad downLow = new Biquad();
    private final Biquad upBand = new Biquad();
    private float previous;
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
        return this;
    }

    public void reset() {
        analysis.reset();
        downBand.reset();
        downLow.reset();
        upBand.reset();
        previous = 0f;
        downSign = 1f;
        down = 0f;
        up = 0f;
    }

    /** Takes one input sample; the voices are then {@link #down()} and {@link #up()}. */
    public void process(float x) {
        float b = analysis.process(x);
        if (previous < 0f && b >= 0f) {
            downSign = -downSign;
        }
        previous = b;
        down = downLow.process(downBand.process(b * downSign));
        up = upBand.process(upPolarity * Math.abs(b));
    }

    /** Flushes denormal filter states; once a block. */
    public void flush() {
        analysis.flush();
        downBand.flush();
        downLow.flush();
        upBand.flush();
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
