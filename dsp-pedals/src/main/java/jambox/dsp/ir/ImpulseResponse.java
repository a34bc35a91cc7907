package jambox.dsp.ir;

import java.util.Arrays;

/**
 * An impulse response as it was loaded: its name, its own sample rate and its channels (one or
 * two, equal length). Immutable; the pedal resamples and partitions it for its board's rate off
 * the audio thread.
 */
public record ImpulseResponse(String name, int sampleRate, float[][] channels) {
    /** The longest an impulse response may be, at any rate. */
    public static final double MAX_SECONDS = 0.5;

    public ImpulseResponse {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an impulse response needs a name");
        }
        if (sampleRate < 8000 || sampleRate > 384000) {
            throw new IllegalArgumentException(name + ": a sample rate of " + sampleRate + " Hz is not one the box takes (8000 .. 384000)");
        }
        if (channels.length < 1 || channels.length > 2) {
            throw new IllegalArgumentException(name + ": " + channels.length + " channels; an impulse response has one or two");
        }
        int n = channels[0].length;
        if (n < 1 || n > MAX_SECONDS * sampleRate) {
            throw new IllegalArgumentException(name + ": " + n + " samples at " + sampleRate + " Hz; at most "
                    + MAX_SECONDS + " s is taken");
        }
        float[][] copy = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            if (channels[c].length != n) {
                throw new IllegalArgumentException(name + ": its channels differ in length");
            }
            copy[c] = channels[c].clone();
        }
        channels = copy;
    }

    /** Channel {@code c} (a copy); a mono response gives its one channel for both. */
    public float[] channel(int c) {
        return channels[Math.min(c, channels.length - 1)].clone();
    }

    public int length() {
        return channels[0].length;
    }

    public double seconds() {
        return length() / (double) sampleRate;
    }

    @Override
    public float[][] channels() {
        float[][] copy = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            copy[c] = channels[c].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImpulseResponse r && r.name.equals(name) && r.sampleRate == sampleRate
                && Arrays.deepEquals(r.channels, channels);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + sampleRate;
    }
}
