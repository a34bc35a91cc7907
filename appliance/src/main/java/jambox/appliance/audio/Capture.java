package jambox.appliance.audio;

import java.util.Arrays;

/**
 * The two outputs kept in memory, up to a fixed length allocated up front, so the audio thread
 * only copies; what it holds is read (or written to a file) after the run, off the audio thread.
 */
public final class Capture {
    private final float[][] audio;
    private volatile int length;

    public Capture(int maxFrames) {
        audio = new float[AudioBackend.CHANNELS][maxFrames];
    }

    /** Audio thread: appends a period; what does not fit is dropped. */
    void take(float[][] out, int frames) {
        int at = length;
        int n = Math.min(frames, audio[0].length - at);
        for (int c = 0; c < audio.length; c++) {
            System.arraycopy(out[c], 0, audio[c], at, n);
        }
        length = at + n;
    }

    public int frames() {
        return length;
    }

    /** A copy of what was captured so far, one array per channel. */
    public float[][] audio() {
        int n = length;
        return new float[][] {Arrays.copyOf(audio[0], n), Arrays.copyOf(audio[1], n)};
    }
}
