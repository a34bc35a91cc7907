package jambox.dsp;

import jambox.dsp.unit.Biquad;

/** Measurement filters for tests. */
public final class Biquads {
    private Biquads() {
    }

    /** An octave-wide band around {@code hz} (two band-pass sections). */
    public static float[] band(float[] x, double hz) {
        float[] y = x.clone();
        new Biquad().setBandpass(Signals.FS, hz, 1.4).process(y, y.length);
        new Biquad().setBandpass(Signals.FS, hz, 1.4).process(y, y.length);
        return y;
    }
}
