package jambox.appliance.audio;

import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * libjack's own messages ("Cannot connect to server socket", "jack server is not running or cannot
 * be started", ...) go straight to the process's stderr, past Java's logging. Where a person reads
 * the terminal (the demo) they only confuse: {@link #quiet} counts them instead; the box's own
 * lines already say what went wrong in words.
 */
public final class JackMessages {
    private interface LibJack extends Library {
        void jack_set_error_function(Message f);

        void jack_set_info_function(Message f);
    }

    /** {@code void (*)(const char *)}, as libjack calls it. */
    private interface Message extends Callback {
        void invoke(String text);
    }

    private static final AtomicLong SWALLOWED = new AtomicLong();
    /** Held for the life of the process: libjack keeps the pointer, and a collected callback would crash it. */
    private static final Message COUNT = text -> SWALLOWED.incrementAndGet();
    private static volatile boolean quiet;

    private JackMessages() {
    }

    /**
     * From now on libjack's error and info messages are counted, not printed. Returns false (and
     * changes nothing) when libjack cannot be loaded: then it has nothing to say either.
     */
    public static synchronized boolean quiet() {
        if (quiet) {
            return true;
        }
        try {
            LibJack jack = Native.load("jack", LibJack.class);
            jack.jack_set_error_function(COUNT);
            jack.jack_set_info_function(COUNT);
            quiet = true;
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** libjack's messages swallowed since {@link #quiet}. */
    public static long swallowed() {
        return SWALLOWED.get();
    }
}
