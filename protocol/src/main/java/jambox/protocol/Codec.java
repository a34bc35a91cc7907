package jambox.protocol;

/** How audio samples are packed in an AUDIO body; NONE on every other packet. */
public enum Codec {
    NONE(0, 0),
    PCM16(1, 2),
    PCM24(2, 3),
    FLOAT32(3, 4),
    /** One 2.5 ms Opus frame per packet ({@link Opus}): a body of varying length. */
    OPUS(4, 0);

    private static final Codec[] BY_CODE = new Codec[256];

    static {
        for (Codec c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    public final int code;
    public final int bytesPerSample;

    Codec(int code, int bytesPerSample) {
        this.code = code;
        this.bytesPerSample = bytesPerSample;
    }

    /** The codec for a wire code, or null when none has it. */
    public static Codec of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether samples travel as they are, a fixed number of bytes each. */
    public boolean isPcm() {
        return bytesPerSample > 0;
    }

    /** Whether AUDIO packets may use it. */
    public boolean isAudio() {
        return this != NONE;
    }

    /**
     * Why a stream of this codec cannot travel in packets of {@code frames} frames, in words, or
     * null when it can: PCM takes 32 .. 256, Opus exactly its 2.5 ms frame.
     */
    public String framesProblem(int frames) {
        if (this == OPUS) {
            return frames == Opus.FRAMES ? null : "Opus travels in 2.5 ms frames: " + Opus.FRAMES
                    + " frames per packet, not " + frames;
        }
        return frames >= Header.MIN_FRAMES && frames <= Header.MAX_FRAMES ? null
                : "frames per packet " + frames + " is outside " + Header.MIN_FRAMES + ".." + Header.MAX_FRAMES;
    }
}
