package jambox.stream;

/** What a jitter buffer did with an offered packet. */
public enum Arrival {
    /** Stored, to be played in its turn. */
    ACCEPTED,
    /** Stored, but the buffer was overfull and was flushed to make this packet the new start. */
    OVERRUN,
    /** Already here: dropped. */
    DUPLICATE,
    /** Its turn to play has passed (it was concealed): dropped. */
    LATE,
    /** Malformed, of the wrong shape for this member, or off the stream's timeline: dropped. */
    BAD
}
