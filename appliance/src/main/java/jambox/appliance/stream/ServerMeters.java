package jambox.appliance.stream;

import java.util.concurrent.atomic.AtomicIntegerArray;

import jambox.common.MixLaw;
import jambox.protocol.message.Levels;
import jambox.protocol.message.Routing;

/**
 * The members' meters a mix room's server sends (LEVELS, about 20 a second): in such a room the box
 * receives one mixed stream, so it cannot measure each member itself. Written by the receiving
 * thread only, read by the page's: each member's last peak, and a running count of the windows in
 * which it clipped, which the reader takes the difference of, as {@code engine.Meter} does.
 */
public final class ServerMeters {
    /** Older than this, the levels are gone (the server stopped sending them, or the room changed). */
    static final long STALE_NANOS = 500_000_000L;
    private final AtomicIntegerArray peakBits = new AtomicIntegerArray(Routing.MAX_MEMBER + 1);
    private final AtomicIntegerArray clips = new AtomicIntegerArray(Routing.MAX_MEMBER + 1);
    private final int[] clipsTaken = new int[Routing.MAX_MEMBER + 1];
    private volatile long heard;

    /** A LEVELS received now: members it does not list are silent. Receiving thread. */
    void update(Levels l, long nowNanos) {
        for (int m = 1; m <= Routing.MAX_MEMBER; m++) {
            peakBits.setRelease(m, 0);
        }
        for (Levels.Level level : l.levels()) {
            // As a linear amplitude, the mixer's way: -120 dB (silence) is exactly 0.
            float peak = MixLaw.fromDb(level.centiDb() / 100.0);
            peakBits.setRelease(level.member(), Float.floatToRawIntBits(peak));
            if (level.clipped()) {
                clips.setRelease(level.member(), clips.getPlain(level.member()) + 1); // single writer
            }
        }
        heard = nowNanos;
    }

    /** Whether LEVELS arrived lately: then they are this box's member meters. */
    public boolean live() {
        long h = heard;
        return h != 0 && System.nanoTime() - h < STALE_NANOS;
    }

    /** Member {@code member}'s last peak, linear (1 is full scale), 0 when silent or not listed. */
    public float peak(int member) {
        return Float.intBitsToFloat(peakBits.getAcquire(member));
    }

    /** The windows in which {@code member} clipped since the last call; one reader (the page's meters). */
    public synchronized int takeClips(int member) {
        int now = clips.getAcquire(member);
        int n = now - clipsTaken[member];
        clipsTaken[member] = now;
        return n;
    }
}
