package jambox.appliance.stream;

/**
 * Audio thread: the target depth, a whole number of the sender's packets.
 *
 * <p>In {@link DepthMode#AUTO} the target starts at its floor, the least that can play at all (one
 * of our periods plus the packet that completes it), and grows on evidence: the depth the packets
 * that actually arrived needed ({@link NeedMeter}): up to the nearest packet, down only to a
 * packet the need fits in whole. A player who
 * joins hears the smallest latency the link allows within a second or two, instead of a generous
 * guess that takes minutes to walk down. The target rises at once when the need grows (an underrun
 * is audible; widening reaches it within a second or two) and falls one packet per 1.5 s of
 * lower need, each step a glide of the read rate that nobody hears, so a calm link sheds
 * its extra latency within seconds and a link that is calm only now and then does not pump.
 */
final class DepthPolicy {
    static final int MIN_PACKETS = 1;
    static final int MAX_PACKETS = 32;
    /**
     * Longer than a packet's glide (64 frames at 48 frames a second): a target that fell faster than
     * the set point can follow would leave the depth further behind it at every step.
     */
    private static final long CALM_BEFORE_LOWERING_FRAMES = 3 * JitterBuffer.SAMPLE_RATE / 2;

    private int packets;
    private long calmFrames;

    /**
     * The target in frames for the next {@code frames} frames to play, of a period of
     * {@code periodFrames}, given the depth in frames recent packets needed (0: not known yet).
     */
    int targetFrames(DepthMode mode, int manualPackets, int needFrames, int packetFrames, int periodFrames,
                     int frames) {
        if (mode == DepthMode.MANUAL) {
            packets = clamp(manualPackets);
            calmFrames = 0;
        } else {
            int floor = floor(packetFrames, periodFrames);
            // Up when the need is nearer the next packet, down only when it fits a packet less
            // entirely (less the meter's rounding up to its bin): half a packet of hysteresis, so
            // a need that wanders about a boundary does not move the depth to and fro.
            int up = clamp(Math.max(floor, (needFrames + packetFrames / 2) / packetFrames));
            int down = clamp(Math.max(floor,
                    (Math.max(0, needFrames - NeedMeter.BIN_FRAMES) + packetFrames - 1) / packetFrames));
            if (up > packets) {
                packets = up;
                calmFrames = 0;
            } else if (down < packets && (calmFrames += frames) >= CALM_BEFORE_LOWERING_FRAMES) {
                packets--;
                calmFrames = 0;
            } else if (down >= packets) {
                calmFrames = 0;
            }
        }
        return packets * packetFrames;
    }

    /** A period is taken at once, and a packet is usable only when all of it is here. */
    static int floor(int packetFrames, int periodFrames) {
        return 1 + (periodFrames + packetFrames - 1) / packetFrames;
    }

    private static int clamp(int p) {
        return Math.max(MIN_PACKETS, Math.min(MAX_PACKETS, p));
    }
}
