package jambox.stream;

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
 * its extra latency within seconds.
 *
 * <p>A link whose worst moments come every few seconds (a busy Wi-Fi, a shared uplink) would make
 * that walk pump: down a packet or two in a quiet spell, up again at the next rough one, the
 * latency wandering by milliseconds all the time. So the calm needed before a step down is learned:
 * a rise within {@link #PUMP_FRAMES 10 s} of a step down doubles it (up to 24 s), and a step down
 * that stands for 10 s halves it again (down to 1.5 s). Such a link settles at the depth its rough
 * moments need and stays there; a link that had one burst sheds it at the fast pace.
 */
final class DepthPolicy {
    static final int MIN_PACKETS = 1;
    static final int MAX_PACKETS = 32;
    /**
     * Longer than a packet's glide (64 frames at 48 frames a second): a target that fell faster than
     * the set point can follow would leave the depth further behind it at every step.
     */
    private static final long CALM_BEFORE_LOWERING_FRAMES = 3 * JitterBuffer.SAMPLE_RATE / 2;
    /** The most calm a step down can be made to wait for, once the link has pumped. */
    static final long LONGEST_CALM_FRAMES = 24L * JitterBuffer.SAMPLE_RATE;
    /** A rise this soon after a step down means the step was a mistake. */
    static final long PUMP_FRAMES = 10L * JitterBuffer.SAMPLE_RATE;

    private int packets;
    private long calmFrames;
    private long calmNeeded = CALM_BEFORE_LOWERING_FRAMES;
    /** Frames since the last step down; -1: none since the last rise (or ever). */
    private long sinceLowered = -1;

    /**
     * The target in frames for the next {@code frames} frames to play, of a period of
     * {@code periodFrames}, given the depth in frames recent packets needed (0: not known yet).
     */
    int targetFrames(DepthMode mode, int manualPackets, int needFrames, int packetFrames, int periodFrames,
                     int frames) {
        if (mode == DepthMode.MANUAL) {
            packets = clamp(manualPackets);
            calmFrames = 0;
            calmNeeded = CALM_BEFORE_LOWERING_FRAMES;
            sinceLowered = -1;
        } else {
            int floor = floor(packetFrames, periodFrames);
            // Up when the need is nearer the next packet, down only when it fits a packet less
            // entirely (less the meter's rounding up to its bin): half a packet of hysteresis, so
            // a need that wanders about a boundary does not move the depth to and fro.
            int up = clamp(Math.max(floor, (needFrames + packetFrames / 2) / packetFrames));
            int down = clamp(Math.max(floor,
                    (Math.max(0, needFrames - NeedMeter.BIN_FRAMES) + packetFrames - 1) / packetFrames));
            if (sinceLowered >= 0 && (sinceLowered += frames) >= PUMP_FRAMES) {
                calmNeeded = Math.max(CALM_BEFORE_LOWERING_FRAMES, calmNeeded / 2);
                sinceLowered = -1;
            }
            if (up > packets) {
                if (sinceLowered >= 0) {
                    calmNeeded = Math.min(LONGEST_CALM_FRAMES, calmNeeded * 2);
                }
                sinceLowered = -1;
                packets = up;
                calmFrames = 0;
            } else if (down < packets && (calmFrames += frames) >= calmNeeded) {
                packets--;
                calmFrames = 0;
                sinceLowered = 0;
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
