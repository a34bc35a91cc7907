package jambox.midi;

/**
 * How an endless encoder sends a turn in a relative CC's value: controllers use one of three
 * common schemes, all with 0 meaning "no change". The value is always 0..127.
 */
public enum Encoding {
    /** 1..63 up by that many, 127..65 down by 1..63 (value - 128); 64 is -64. */
    TWOS_COMPLEMENT("twosComplement"),
    /** 1..63 up by that many; 65..127 down by value - 64 (bit 6 is the sign); 64 is no change. */
    SIGNED_BIT("signedBit"),
    /** 64 is no change; 65.. up, ..63 down, by the distance from 64. */
    BINARY_OFFSET("binaryOffset");

    private final String jsonName;

    Encoding(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The steps a value means: positive up, negative down, 0 none. */
    public int steps(int value) {
        return switch (this) {
            case TWOS_COMPLEMENT -> value < 64 ? value : value - 128;
            case SIGNED_BIT -> value < 64 ? value : -(value - 64);
            case BINARY_OFFSET -> value - 64;
        };
    }
}
