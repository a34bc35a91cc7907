package jambox.appliance.audio;

/** Two input channels played from memory, looped: a recording or a generated riff. */
public final class LoopedInput {
    private final float[][] audio;
    private final int length;
    private int position;

    /** {@code audio} has one or two channels of equal length; one is played on both inputs. */
    public LoopedInput(float[][] audio) {
        if (audio.length < 1 || audio[0].length == 0) {
            throw new IllegalArgumentException("nothing to play");
        }
        this.audio = audio;
        this.length = audio[0].length;
    }

    /** {@code signal} on the first input, silence on the second: a guitarist with one instrument. */
    public static LoopedInput firstInput(float[] signal) {
        return new LoopedInput(new float[][] {signal, new float[signal.length]});
    }

    /** Audio thread: the next {@code frames} samples of each channel. */
    void fill(float[][] in, int frames) {
        for (int i = 0; i < frames; i++) {
            int p = position;
            for (int c = 0; c < in.length; c++) {
                in[c][i] = audio[Math.min(c, audio.length - 1)][p];
            }
            position = p + 1 == length ? 0 : p + 1;
        }
    }
}
