package jambox.dsp.unit;

/**
 * A short delay line whose length an LFO sweeps: the voice of choruses and flangers. Reads
 * are cubic-interpolated, so the sweep is smooth (no zipper from whole-sample steps) and
 * the tone stays bright.
 */
public final class SweptDelay {
    /**
     * The fastest the delay's centre and sweep may move when their knobs move, in samples per
     * sample: a 5 % pitch bend at most, a glide rather than a chirp.
     */
    private static final float SLEW = 0.05f;

    private final DelayLine line;
    private final Lfo lfo = new Lfo();
    private float minDelay;
    private float sweep;
    private boolean started;

    /** @param maxSamples the longest delay the sweep can reach */
    public SweptDelay(int maxSamples) {
        line = new DelayLine(maxSamples + 4);
    }

    public void reset() {
        line.reset();
        lfo.reset();
        started = false;
    }

    /**
     * One sample. The delay sweeps between {@code minDelay} and {@code minDelay + sweep}
     * samples with a sine at {@code hz}; {@code feedback} (-1..1) sends the voice back in.
     * Returns the voice (the wet signal): y[t] = x[t - d] + feedback * y[t - d].
     */
    public float tick(float x, float minDelayTarget, float sweepTarget, float hz, float sampleRate, float feedback) {
        return tick(x, minDelayTarget, sweepTarget, hz / sampleRate, feedback);
    }

    /** As above, with the LFO's step per sample ({@code hz / sampleRate}) computed by the caller once a block. */
    public float tick(float x, float minDelayTarget, float sweepTarget, float cyclesPerSample, float feedback) {
        if (!started) {
            started = true;
            minDelay = minDelayTarget;
            sweep = sweepTarget;
        }
        if (minDelay != minDelayTarget || sweep != sweepTarget) {
            minDelay += Math.max(-SLEW, Math.min(SLEW, minDelayTarget - minDelay));
            sweep += Math.max(-SLEW, Math.min(SLEW, sweepTarget - sweep));
        }
        float wave = Lfo.sine((float) lfo.advance(cyclesPerSample));
        float d = minDelay + sweep * 0.5f * (1f + wave);
        // Read before writing: the newest sample in the line is then one old, so d - 1.
        float y = line.readCubic(Math.max(1f, Math.min(d - 1f, line.capacity() - 2)));
        line.write(feedback == 0f ? x : x + feedback * Mix.limit(y));
        return y;
    }
}
