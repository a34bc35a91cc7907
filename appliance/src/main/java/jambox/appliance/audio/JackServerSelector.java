package jambox.appliance.audio;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Points libjack at a named server. JNAJack 1.4.0 has no JackServerName option (its openClient
 * ignores extra arguments), so the one way in is libjack's JACK_DEFAULT_SERVER, read from the
 * process environment each time a client opens; Java cannot change that environment itself.
 */
public final class JackServerSelector {
    private static final String VARIABLE = "JACK_DEFAULT_SERVER";

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private static final Object LOCK = new Object();
    private static LibC libc;

    private JackServerSelector() {
    }

    /** What libjack picks when no server is named: $JACK_DEFAULT_SERVER as the JVM started, else "default". */
    static String defaultServerName() {
        String env = System.getenv(VARIABLE);
        return env != null && !env.isEmpty() ? env : "default";
    }

    /**
     * Runs {@code open} with libjack aimed at {@code serverName} (null: the default as the JVM
     * started). Opens are serialized because the environment is one per process.
     */
    public static <T, E extends Exception> T openOn(String serverName, Opener<T, E> open) throws E {
        synchronized (LOCK) {
            if (libc == null) {
                libc = Native.load("c", LibC.class);
            }
            libc.setenv(VARIABLE, serverName != null ? serverName : defaultServerName(), 1);
            return open.open();
        }
    }

    @FunctionalInterface
    public interface Opener<T, E extends Exception> {
        T open() throws E;
    }
}
