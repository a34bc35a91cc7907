package jambox.appliance.audio;

/** The engine's side of an {@link AudioBackend}: what runs once per period on the audio thread. */
public interface PeriodCallback {
    /**
     * One period: {@code in} holds {@code frames} samples per channel ({@link AudioBackend#CHANNELS}
     * channels, arrays at least {@code frames} long), {@code out} is to be filled likewise. Runs on
     * the audio thread: must not allocate, lock, log or block, and must not throw.
     */
    void period(float[][] in, float[][] out, int frames);

    /**
     * The format is (or has become) {@code sampleRate} and {@code frames} per period. Called before
     * the first period and again, between periods, whenever JACK changes either; may allocate.
     */
    void format(int sampleRate, int frames);
}
