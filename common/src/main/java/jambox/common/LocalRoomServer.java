package jambox.common;

import java.io.IOException;
import java.util.ServiceLoader;

/**
 * A room server in this process, on loopback: what {@code ./jambox demo} plays through. The box's
 * module does not compile against the server; the server's module provides this (a {@link
 * ServiceLoader} provider), and the box finds it at run time when the server's jar is on the class
 * path, as it is in the package and in {@code ./jambox}.
 */
public interface LocalRoomServer extends AutoCloseable {

    /** The UDP port the server listens on. */
    int port();

    /** Stops the server; it no longer answers when this returns. */
    @Override
    void close();

    /** What starts one: implemented by the room server's module. */
    interface Provider {
        /**
         * Starts a server on loopback, on any free port (its status page too, if it has one),
         * with one room of {@code name}, {@code secret} and at most {@code members}.
         */
        LocalRoomServer start(String name, String secret, int members) throws IOException;
    }

    /** Starts one through the provider on the class path, or says clearly that there is none. */
    static LocalRoomServer start(String name, String secret, int members) throws IOException {
        Provider provider = ServiceLoader.load(Provider.class).findFirst().orElseThrow(() -> new IOException(
                "no room server on the class path (the jambox-room-server jar): the demo needs one"));
        return provider.start(name, secret, members);
    }
}
