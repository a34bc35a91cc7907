package jambox.stream;

/** One remote member's audio as the engine pulls it: their jitter buffer, seen from the audio thread. */
public interface MemberSource {
    /** 1 or 2. */
    int channels();

    /**
     * Exactly {@code frames} samples into each of {@code out[0..channels()-1]}, concealed or resampled as
     * needed. Audio thread: no allocation, locks or blocking.
     */
    void pull(float[][] out, int frames);
}
