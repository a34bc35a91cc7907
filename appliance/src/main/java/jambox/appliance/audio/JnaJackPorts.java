package jambox.appliance.audio;

import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.jaudiolibs.jnajack.JackPort;

/**
 * Works around JNAJack 1.4.0 keeping a port's buffer view at the size of the period it was made
 * in: it remakes the view only when JACK's buffer address changes, and jackd2 keeps the address
 * when the period size changes, so after 64 -> 128 frames the view still holds 64 floats. Forgetting
 * the cached address makes the wrapper build a new view, of the right size, in the next cycle.
 * The same cached address is also what a MIDI port's buffer is read through ({@link JnaJackMidi}).
 */
final class JnaJackPorts {
    private static final Field BUFFER_ADDRESS;

    static {
        try {
            BUFFER_ADDRESS = JackPort.class.getDeclaredField("bufferPtr");
            BUFFER_ADDRESS.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("this JNAJack has no JackPort.bufferPtr: recheck the resize workaround");
        }
    }

    private JnaJackPorts() {
    }

    /**
     * The port's buffer for the cycle in hand, as JNAJack fetched it before calling the process
     * callback; null before the first cycle. Process thread; allocates nothing.
     */
    static Pointer buffer(JackPort port) {
        try {
            return (Pointer) BUFFER_ADDRESS.get(port);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read JNAJack's buffer of " + port.getName(), e);
        }
    }

    /** Call from the buffer size callback, when JACK runs no process cycle. */
    static void forgetBuffers(JackPort... ports) {
        for (JackPort port : ports) {
            try {
                BUFFER_ADDRESS.set(port, null);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot reset JNAJack's buffer view of " + port.getName(), e);
            }
        }
    }
}
