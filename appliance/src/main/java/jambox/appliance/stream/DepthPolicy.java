package jambox.appliance.stream;

/**
 * Audio thread: the target depth, a whole number of the sender's packets.
 *
 * <p>In {@link DepthMode#AUTO} the buffer must cover, beyond the measured jitter, one packet (a
 * packet is usable only once all of it is here), one of our periods (we take a period at a time)
 * and a small margin for the interpolator's look-ahead and the control loop's wobble. The target
 * rises at once when that need grows, since an underrun is audible, but falls one packet at a time
 * and only after the need has stayed lower for five seconds: a buffer that shrinks on every quiet
 * moment would pump, and each change costs a few seconds of slightly shifted pitch.
 */
final class DepthPolicy {
    static final int MIN_PACKETS = 1;
    static final int MAX_PACKETS = 32;
    private static final int MARGIN_FRAMES = 48;
    private static final long CALM_BEFORE_LOWERING_FRAMES = 5 * JitterBuffer.SAMPLE_RATE;

    private int packets;
    private long calmFrames;

    /**
     * The target in frames for the next {@code frames} frames to play, of a period of
     * {@code periodFrames}.
     */
    int targetFrames(DepthMode mode, int manualPackets, int jitterUs, int packetFrames, int periodFrames,
                     int frames) {
        if (mode == DepthMode.MANUAL) {
            packets = clamp(manualPackets);
            calmFrames = 0;
        } else {
            long jitterFrames = ((long) jitterUs * JitterBuffer.SAMPLE_RATE + 999_999) / 1_000_000;
            long need = jitterFrames + packetFrames + periodFrames + MARGIN_FRAMES;
            int wanted = clamp((int) Math.min(MAX_PACKETS, (need + packetFrames - 1) / packetFrames));
            if (wanted > packets) {
                packets = wanted;
                calmFrames = 0;
            } else if (wanted < packets && (calmFrames += frames) >= CALM_BEFORE_LOWERING_FRAMES) {
                packets--;
                calmFrames = 0;
            } else if (wanted == packets) {
                calmFrames = 0;
            }
        }
        return packets * packetFrames;
    }

    private static int clamp(int p) {
        return Math.max(MIN_PACKETS, Math.min(MAX_PACKETS, p));
    }
}
