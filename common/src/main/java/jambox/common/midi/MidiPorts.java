package jambox.common.midi;

/**
 * A box's MIDI input and output, timed on its audio clock: frame times count samples since the
 * audio clock began (JACK's frame clock on the box, the simulated backend's period count elsewhere).
 * An incoming event carries the frame at which it arrived; an outgoing event is played at the frame
 * it is sent for. The audio thread moves events in and out of preallocated rings and allocates
 * nothing; listeners and senders are on other threads.
 */
public interface MidiPorts {
    /** The longest event (a sysex, usually) carried either way; longer ones are dropped and counted. */
    int MAX_EVENT_BYTES = 256;

    /** As a frame time for {@link #send}: at the start of the next period, and not counted late. */
    long NOW = Long.MIN_VALUE;

    /**
     * Adds a listener for incoming events; each is called, in order, on one delivery thread that is
     * not the audio thread. Any thread.
     */
    void addListener(MidiListener listener);

    void removeListener(MidiListener listener);

    /**
     * Queues {@code length} bytes of {@code data} from {@code offset} (one complete message) to be
     * played at {@code frame}, or {@link #NOW}. Events leave in the order they are queued: queue them
     * in time order. An event whose frame has passed when its period comes leaves at the start of
     * that period and is counted late. Any thread except the audio thread; never blocks for long.
     *
     * @return false if the event was dropped (and counted): longer than {@link #MAX_EVENT_BYTES}, or
     *         the queue is full
     */
    boolean send(long frame, byte[] data, int offset, int length);

    /** {@link #send(long, byte[], int, int)} of a whole array, e.g. {@code send(f, 0x90, 60, 100)}. */
    default boolean send(long frame, int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0 || bytes[i] > 0xff) {
                throw new IllegalArgumentException("byte " + i + " is " + bytes[i] + ", outside 0..255");
            }
            data[i] = (byte) bytes[i];
        }
        return send(frame, data, 0, data.length);
    }

    /**
     * A queue of its own for one producer (the room's clock, remote members' notes), merged with
     * every other by frame time on the audio thread. Lanes are few and live as long as the ports;
     * asking again for a name gives the same lane back (for a producer that restarts: a lane has
     * one producer at a time). Any thread.
     *
     * @throws IllegalStateException when every lane is taken
     */
    MidiLane lane(String name);

    /**
     * The frame at which the latest period began (0 before the first): what "now" is on the audio
     * clock, at most one period behind. A new JACK server starts a new clock.
     */
    long frameTime();

    MidiCounters counters();
}
