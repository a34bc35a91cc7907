package jambox.stream;

/** How a jitter buffer chooses its depth. */
public enum DepthMode {
    /** From the measured arrival jitter, with hysteresis. */
    AUTO,
    /** A fixed number of the sender's packets, set by the player. */
    MANUAL
}
