package jambox.stream;

/**
 * A snapshot of one member's jitter buffer, filled by {@link JitterBuffer#stats}. Depths are in
 * frames at 48 kHz (one 64-frame packet is 1.33 ms). Counts are of the sender's packets since the
 * buffer was made.
 */
public final class JitterStats {
    public DepthMode mode;
    /** Buffered audio ahead of the play position, smoothed over 0.3 s; the raw fill while priming; never below 0. */
    public int depthFrames;
    /** What the depth is steered to. */
    public int targetFrames;
    /**
     * The arrival jitter in microseconds (transit spread, {@link JitterMeter}): shown to the player; the
     * automatic depth follows what the packets needed instead ({@link NeedMeter}).
     */
    public int jitterMicros;
    /** Well-formed packets offered, whatever became of them. */
    public long received;
    /** Concealed packets that never turned up, not even late. */
    public long lost;
    /** Packets played as concealment because they were missing when due. */
    public long concealed;
    /**
     * Packets that were missing and were filled from a copy carried by a later packet (the
     * sender's redundancy) before their turn: not concealed. A packet that turns up after all
     * before its turn was not lost and is not counted.
     */
    public long recovered;
    /** Packets that came after their turn to play. */
    public long late;
    public long duplicates;
    /** Malformed packets, wrong channel count or size, or off the stream's timeline. */
    public long bad;
    /** Packets that found the buffer full (each flushes it). */
    public long overruns;
    /** Times the sender's stream restarted and the buffer primed again. */
    public long restarts;
    /**
     * Packets skipped to catch up: after a burst left far more queued than the target, or on
     * priming again after the sender paused and resumed further on.
     */
    public long skipped;
    /** Packets' worth of repetition inserted to grow the depth to a raised target. */
    public long widened;
    /**
     * Gaps longer than concealment can bridge (about 15 ms of packets missing in a row): the
     * repetition faded out and the member fell silent until sound came back. Random loss of a few
     * per cent practically never does this; a stalled sender, network or machine does.
     */
    public long dropouts;
    /** How much faster the sender's clock runs than ours, in parts per million. */
    public double driftPpm;

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%s depth %d/%d frames, jitter %d us, drift %+.1f ppm, received %d, lost %d, concealed %d, recovered %d,"
                        + " late %d, duplicates %d, bad %d, overruns %d, restarts %d, skipped %d, widened %d,"
                        + " dropouts %d",
                mode, depthFrames, targetFrames, jitterMicros, driftPpm, received, lost, concealed, recovered, late,
                duplicates, bad, overruns, restarts, skipped, widened, dropouts);
    }
}
