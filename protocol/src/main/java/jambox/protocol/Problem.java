package jambox.protocol;

/** Why a packet's header was refused; {@link #NONE} when it is well formed. */
public enum Problem {
    NONE("well formed"),
    TOO_SHORT("shorter than a header"),
    BAD_MAGIC("not a jambox packet (magic)"),
    BAD_VERSION("protocol version not supported"),
    UNKNOWN_TYPE("unknown packet type"),
    BAD_LENGTH("length does not match the header"),
    BAD_AUDIO_FORMAT("codec, channels or frames out of range"),
    RESERVED_NOT_ZERO("reserved field not zero"),
    BAD_REDUNDANCY("REDUNDANT flag on a packet that is not AUDIO, or an AUDIO body that is not 2 or 3 whole packets' samples"),
    BAD_OPUS("not one 2.5 ms Opus frame"),
    OPUS_REDUNDANT("REDUNDANT flag on an Opus packet: copies are for PCM only");

    public final String reason;

    Problem(String reason) {
        this.reason = reason;
    }
}
