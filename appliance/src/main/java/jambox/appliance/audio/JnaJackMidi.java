package jambox.appliance.audio;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackMidi;
import org.jaudiolibs.jnajack.JackPort;

/**
 * Reads incoming JACK MIDI events without allocating. JNAJack 1.4.0's {@code JackMidi.eventGet}
 * fills a JNA Structure, whose read makes a new Pointer and a new size_t for every event (280 B per
 * event, measured here); the rest of its {@code JackMidi} (count, clear, write) allocates nothing.
 * So this one call is bound here directly, into native memory kept for the purpose, and the event's
 * bytes are read through one Pointer that is moved, not remade. One reader per instance: the
 * process thread of one client.
 */
final class JnaJackMidi {
    private static final class LibJack {
        static {
            Native.register("jack");
        }

        /** {@code int jack_midi_event_get(jack_midi_event_t *event, void *port_buffer, uint32_t index)} */
        static native int jack_midi_event_get(Pointer event, Pointer portBuffer, int index);

        /** Loads and binds the library (on first use of this class). */
        static void bind() {
        }
    }

    /** {@code jack_midi_event_t}: a uint32 time, a size_t size, a data pointer, each at its natural alignment. */
    private static final int SIZE_OFFSET = Native.SIZE_T_SIZE;
    private static final int DATA_OFFSET = SIZE_OFFSET + Native.SIZE_T_SIZE;

    private final Memory event = new Memory(DATA_OFFSET + Native.POINTER_SIZE);
    private final Pointer data = new Pointer(0);
    private int time;
    private int size;

    JnaJackMidi() {
        if (Native.POINTER_SIZE != Native.SIZE_T_SIZE) {
            throw new IllegalStateException("jack_midi_event_t is laid out here for size_t as wide as a pointer");
        }
        LibJack.bind(); // now, off the audio thread
    }

    /** Events in {@code port}'s buffer for this cycle (JNAJack refreshes the buffer before each process call). */
    static int count(JackPort port) throws JackException {
        return JackMidi.getEventCount(port);
    }

    /** Loads event {@code index} of {@code port}'s buffer this cycle; false if JACK has no such event. */
    boolean load(JackPort port, int index) {
        Pointer buffer = JnaJackPorts.buffer(port);
        if (buffer == null || LibJack.jack_midi_event_get(event, buffer, index) != 0) {
            return false;
        }
        time = event.getInt(0);
        long length = Native.SIZE_T_SIZE == 8 ? event.getLong(SIZE_OFFSET) : event.getInt(SIZE_OFFSET) & 0xffffffffL;
        size = (int) Math.min(length, Integer.MAX_VALUE);
        Pointer.nativeValue(data, Native.POINTER_SIZE == 8 ? event.getLong(DATA_OFFSET) : event.getInt(DATA_OFFSET) & 0xffffffffL);
        return true;
    }

    /** The loaded event's frame within the cycle. */
    int time() {
        return time;
    }

    /** The loaded event's length in bytes. */
    int size() {
        return size;
    }

    /** Copies the loaded event's bytes (at most {@code into.length}) to {@code into} from index 0. */
    void read(byte[] into) {
        data.read(0, into, 0, Math.min(size, into.length));
    }
}
