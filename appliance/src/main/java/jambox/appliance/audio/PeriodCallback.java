package jambox.appliance.audio;

/** The engine's side of an {@link AudioBackend}: what runs once per period on the audio thread. */
public interface PeriodCallback {
    /**
     * One period: {@code in} holds {@code frames} samples per channel ({@link AudioBackend#CHANNELS}
     * channels, arrays at least {@code frames} long), {@code out} is to be filled likewise. Runs on
     * the audio thread: must not allocate, lock, log or block, and must not throw. {@code frames}
     * is normally the last announced size, but must be coped with (without allocating) if not.
     */
    void period(float[][] in, float[][] out, int frames);

    /**
     * The format is (or is about to become) {@code sampleRate} and {@code frames} per period.
     * Called before the first period and again before the periods of a new format, never on the
     * audio thread: by the backend's opener, or by JACK's notification thread from its buffer size
     * and sample rate callbacks. It may allocate; what it builds for the audio thread it must
     * publish safely, as a period may run on the audio thread meanwhile (the simulated backend's
     * resize does not stop its clock).
     */
    void format(int sampleRate, int frames);
}
