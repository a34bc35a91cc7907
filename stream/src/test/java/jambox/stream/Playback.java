package jambox.stream;

/**
 * A listener in simulated time: each tick is one packet's worth (64 frames) of our clock. Packets
 * are offered at the tick's time, then the buffer is pulled in periods of the listener's size as
 * the tick's frames come due, and everything played is recorded.
 */
final class Playback {
    static final int TICK_FRAMES = 64;

    final JitterBuffer buffer;
    final float[][] played;
    private final float[][] out;
    private final int period;
    private int frames;
    private long tick;
    private long pulledUpTo;

    Playback(JitterBuffer buffer, int outChannels, int period, int capacity) {
        this.buffer = buffer;
        this.period = period;
        out = new float[outChannels][period];
        played = new float[outChannels][capacity];
    }

    /** Offers the given packets of {@code sender} at this tick, then plays the tick. */
    Playback tick(Sender sender, long... packets) {
        for (long n : packets) {
            sender.make(n).offerTo(buffer, now());
        }
        return tick();
    }

    /** Plays one tick without offering anything. */
    Playback tick() {
        tick++;
        while (pulledUpTo + period <= tick * TICK_FRAMES) {
            buffer.pull(out, period);
            for (int c = 0; c < out.length; c++) {
                System.arraycopy(out[c], 0, played[c], frames, period);
            }
            frames += period;
            pulledUpTo += period;
        }
        return this;
    }

    /** Our clock now, in nanoseconds. */
    long now() {
        return tick * TICK_FRAMES * 1_000_000_000L / JitterBuffer.SAMPLE_RATE;
    }

    /** Frames played so far. */
    int frames() {
        return frames;
    }

    /** The first frame played that is not silence, or -1. */
    int firstSound() {
        for (int i = 0; i < frames; i++) {
            if (played[0][i] != 0f) {
                return i;
            }
        }
        return -1;
    }

    JitterStats stats() {
        return buffer.stats(new JitterStats());
    }
}
