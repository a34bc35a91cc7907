package jambox.protocol;

/** How audio samples are packed in an AUDIO body; NONE on every other packet. */
public enum Codec {
    NONE(0, 0),
    PCM16(1, 2),
    PCM24(2, 3),
    FLOAT32(3, 4),
    /** Reserved for compressed streams; not accepted yet. */
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

    /** Whether AUDIO packets may use it today. */
    public boolean isPcm() {
        return bytesPerSample > 0;
    }
}
