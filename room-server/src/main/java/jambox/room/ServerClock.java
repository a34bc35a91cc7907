package jambox.room;

/** The server's clock: microseconds since the server started, monotonic. */
public final class ServerClock {
    private final long origin = System.nanoTime();

    public long micros() {
        return (System.nanoTime() - origin) / 1000;
    }
}
