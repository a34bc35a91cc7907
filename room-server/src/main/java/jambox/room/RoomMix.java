package jambox.room;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import jambox.common.MixLaw;
import jambox.protocol.message.MixStrips;
import jambox.protocol.message.Routing;

/**
 * The core of a mixing room: from one block of every member's stereo audio, each member's own mix
 * of everyone else (never their own sound), made with that member's own strips (gain, mute and
 * pan per source member and channel, the box's {@link MixLaw}) and the room's routing (who is in
 * whose mix). A member leaving someone's mix by routing glides out like a mute, so a patch change
 * does not click either.
 *
 * <p>Members are slots 0 .. {@code slots - 1}, the slot of member id {@code i} being {@code i - 1},
 * as in {@link Routing}'s masks. Every buffer and every strip exists from construction:
 * {@link #mix} allocates nothing and takes no lock. The strips are flat float arrays and each
 * strip's work is {@link MixLaw#mixInto}'s plain loops, which C2 vectorizes.
 *
 * <p>Threads. One thread (the room's tick) fills {@link #input}s, calls {@link #mix} and reads
 * {@link #output}s. Settings ({@link #setStrip}, {@link #setStrips}, {@link #setPresent},
 * {@link #setHeard}) may be
 * written from another thread, one writer at a time; the tick sees each new value within a block
 * or so (opaque accesses: no fences on the audio path) and glides to it.
 */
public final class RoomMix {
    /** A member's stream: two channels, each a strip in every other member's mix. */
    public static final int CHANNELS = 2;

    private static final VarHandle FLOATS = MethodHandles.arrayElementVarHandle(float[].class);
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int slots;
    private final int frames;
    private final float sampleRate;
    private final double glideSeconds;
    /** [slot][channel][frame]: what each member sent for this block. */
    private final float[][][] in;
    /** [listener][side][frame]: what each member hears. */
    private final float[][][] out;
    /**
     * Strip {@code (listener * slots + source) * CHANNELS + channel}: the side gains set from
     * the strip's settings, and (tick thread only) where the glide is.
     */
    private final float[] targetLeft;
    private final float[] targetRight;
    private final float[] left;
    private final float[] right;
    /** Per listener: the slots whose sound the routing lets into its mix. */
    private final long[] heard;
    private volatile long present;
    // tick thread
    private int shareFrames = -1;
    private float share;

    /** A mix for up to {@code slots} members, in blocks of up to {@code frames} at {@code sampleRate}. */
    public RoomMix(int slots, int frames, float sampleRate) {
        this(slots, frames, sampleRate, MixLaw.GLIDE_SECONDS);
    }

    /** As above with another glide time: 0 makes every change a jump (a test shows that clicks). */
    RoomMix(int slots, int frames, float sampleRate, double glideSeconds) {
        if (slots < 1 || slots > Routing.MAX_MEMBER) {
            throw new IllegalArgumentException("a mix holds 1.." + Routing.MAX_MEMBER + " members, not " + slots);
        }
        if (frames < 1) {
            throw new IllegalArgumentException("a block is at least 1 frame, not " + frames);
        }
        this.slots = slots;
        this.frames = frames;
        this.sampleRate = sampleRate;
        this.glideSeconds = glideSeconds;
        this.in = new float[slots][CHANNELS][frames];
        this.out = new float[slots][2][frames];
        int strips = slots * slots * CHANNELS;
        targetLeft = new float[strips];
        targetRight = new float[strips];
        Arrays.fill(targetLeft, MixLaw.left(0, false, 0));
        Arrays.fill(targetRight, MixLaw.right(0, false, 0));
        left = targetLeft.clone();
        right = targetRight.clone();
        heard = new long[slots];
        Arrays.fill(heard, -1L);
    }

    public int slots() {
        return slots;
    }

    public int frames() {
        return frames;
    }

    // ---- settings: any one thread at a time ----

    /**
     * {@code listener}'s strip for {@code source}'s channel {@code channel}: gain in dB
     * ({@link MixLaw#MIN_DB} .. {@link MixLaw#MAX_DB}), mute, pan (-1 .. 1). A value out of range
     * is refused and changes nothing.
     */
    public void setStrip(int listener, int source, int channel, double gainDb, boolean mute, double pan) {
        int k = strip(listener, source, channel);
        check("gain", gainDb, MixLaw.MIN_DB, MixLaw.MAX_DB);
        check("pan", pan, -1, 1);
        FLOATS.setOpaque(targetLeft, k, MixLaw.left(gainDb, mute, pan));
        FLOATS.setOpaque(targetRight, k, MixLaw.right(gainDb, mute, pan));
    }

    /**
     * Replaces all of {@code listener}'s strips with a member's MIX table: a strip the table does
     * not list goes back to 0 dB, unmuted, centred. The table is checked whole first (a strip of
     * a member beyond this room's slots is refused), so a bad one changes nothing; each strip's
     * target is then written once, so the tick never glides toward a value in between.
     */
    public void setStrips(int listener, MixStrips table) {
        checkSlot("listener", listener);
        float[] l = new float[slots * CHANNELS];
        float[] r = new float[slots * CHANNELS];
        Arrays.fill(l, MixLaw.left(0, false, 0));
        Arrays.fill(r, MixLaw.right(0, false, 0));
        for (MixStrips.Strip s : table.strips()) {
            if (s.member() > slots) {
                throw new IllegalArgumentException("a strip of member " + s.member() + ", in a room of " + slots);
            }
            int k = (s.member() - 1) * CHANNELS + s.channel();
            l[k] = MixLaw.left(s.gainDb(), s.mute(), s.panPosition());
            r[k] = MixLaw.right(s.gainDb(), s.mute(), s.panPosition());
        }
        int first = listener * slots * CHANNELS;
        for (int k = 0; k < l.length; k++) {
            FLOATS.setOpaque(targetLeft, first + k, l[k]);
            FLOATS.setOpaque(targetRight, first + k, r[k]);
        }
    }

    /** Which slots hold a member (bit {@code s} for slot {@code s}): only they are mixed and mixed for. */
    public void setPresent(long slotMask) {
        present = slotMask;
    }

    /** The slots whose sound the routing lets into {@code listener}'s mix (see {@link #heard(Routing[], int)}). */
    public void setHeard(int listener, long slotMask) {
        checkSlot("listener", listener);
        LONGS.setOpaque(heard, listener, slotMask);
    }

    /**
     * The routing rule of a forwarding room, as a mask for {@link #setHeard}: {@code listener}
     * hears slot {@code s} when the member there sends to the listener and the listener listens
     * to it. {@code routings[s]} is the routing of the member in slot {@code s}, null for none.
     */
    public static long heard(Routing[] routings, int listener) {
        Routing me = routings[listener];
        if (me == null) {
            return 0;
        }
        long mask = 0;
        for (int s = 0; s < routings.length; s++) {
            Routing them = routings[s];
            if (s != listener && them != null && them.sendsTo(listener + 1) && me.hears(s + 1)) {
                mask |= 1L << s;
            }
        }
        return mask;
    }

    private int strip(int listener, int source, int channel) {
        checkSlot("listener", listener);
        checkSlot("source", source);
        if (channel < 0 || channel >= CHANNELS) {
            throw new IllegalArgumentException("channel " + channel + " is not 0 or 1");
        }
        return (listener * slots + source) * CHANNELS + channel;
    }

    private void checkSlot(String what, int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IllegalArgumentException(what + " slot " + slot + " is outside 0.." + (slots - 1));
        }
    }

    private static void check(String what, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(what + " " + v + " is outside " + min + " .. " + max);
        }
    }

    // ---- the tick thread ----

    /** Where the tick writes {@code slot}'s channel {@code channel} for the next {@link #mix}. */
    public float[] input(int slot, int channel) {
        return in[slot][channel];
    }

    /** {@code listener}'s mix, side 0 (left) or 1 (right), after {@link #mix}. */
    public float[] output(int listener, int side) {
        return out[listener][side];
    }

    /**
     * Mixes one block of {@code n} frames (at most {@link #frames}): each present member's
     * output becomes the sum of the other present members' inputs through its strips, the
     * ones the routing keeps out gliding to silence. No allocation, no lock.
     */
    public void mix(int n) {
        if (n < 1 || n > frames) {
            throw new IllegalArgumentException("a block of " + n + " frames is outside 1.." + frames);
        }
        if (n != shareFrames) {
            shareFrames = n;
            share = MixLaw.blockShare(glideSeconds, sampleRate, n);
        }
        float a = share;
        long members = present;
        for (long ls = members; ls != 0; ls &= ls - 1) {
            int l = Long.numberOfTrailingZeros(ls);
            float[] outL = out[l][0];
            float[] outR = out[l][1];
            Arrays.fill(outL, 0, n, 0f);
            Arrays.fill(outR, 0, n, 0f);
            long routed = (long) LONGS.getOpaque(heard, l);
            long sources = members & ~(1L << l);
            for (long ss = sources; ss != 0; ss &= ss - 1) {
                int s = Long.numberOfTrailingZeros(ss);
                boolean on = (routed & (1L << s)) != 0;
                int k = (l * slots + s) * CHANNELS;
                float[][] src = in[s];
                for (int c = 0; c < CHANNELS; c++, k++) {
                    float l0 = left[k];
                    float r0 = right[k];
                    float l1 = MixLaw.glide(l0, on ? (float) FLOATS.getOpaque(targetLeft, k) : 0f, a);
                    float r1 = MixLaw.glide(r0, on ? (float) FLOATS.getOpaque(targetRight, k) : 0f, a);
                    left[k] = l1;
                    right[k] = r1;
                    MixLaw.mixInto(src[c], outL, outR, n, l0, l1, r0, r1);
                }
            }
        }
    }
}
