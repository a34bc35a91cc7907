package jambox.room;

import java.net.InetAddress;
import java.nio.file.Path;

/**
 * How the server runs. {@code bind} null means every address, IPv4 and IPv6; {@code statusPort} 0
 * turns the status page off.
 */
public record ServerConfig(InetAddress bind, int port, InetAddress statusBind, int statusPort, int timeoutMillis,
                           Path recordDir, int maxPacketsPerSecond, int batchMicros) {
    public static final int DEFAULT_PORT = 7891;
    public static final int DEFAULT_STATUS_PORT = 7892;
    public static final int DEFAULT_TIMEOUT_MILLIS = 1000;
    /** Per member: audio at 32 frames is 1,500 packets a second; the rest is headroom for pings and bursts. */
    public static final int DEFAULT_MAX_PPS = 4000;
    /**
     * A pause after each read batch lets the next one gather more packets (fewer wake-ups and
     * larger bundles) at the cost of up to that much latency. Off by default: bundles already
     * grow by themselves when the server is busy, and latency is what players feel.
     */
    public static final int DEFAULT_BATCH_MICROS = 0;

    public static ServerConfig defaults() {
        return new ServerConfig(null, DEFAULT_PORT, InetAddress.getLoopbackAddress(), DEFAULT_STATUS_PORT,
                DEFAULT_TIMEOUT_MILLIS, Path.of("recordings"), DEFAULT_MAX_PPS, DEFAULT_BATCH_MICROS);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bind, p, statusBind, statusPort, timeoutMillis, recordDir, maxPacketsPerSecond, batchMicros);
    }

    public ServerConfig withStatusPort(int p) {
        return new ServerConfig(bind, port, statusBind, p, timeoutMillis, recordDir, maxPacketsPerSecond, batchMicros);
    }

    public ServerConfig withTimeoutMillis(int t) {
        return new ServerConfig(bind, port, statusBind, statusPort, t, recordDir, maxPacketsPerSecond, batchMicros);
    }

    public ServerConfig withRecordDir(Path d) {
        return new ServerConfig(bind, port, statusBind, statusPort, timeoutMillis, d, maxPacketsPerSecond, batchMicros);
    }

    public ServerConfig withMaxPacketsPerSecond(int n) {
        return new ServerConfig(bind, port, statusBind, statusPort, timeoutMillis, recordDir, n, batchMicros);
    }

    public ServerConfig withBatchMicros(int us) {
        return new ServerConfig(bind, port, statusBind, statusPort, timeoutMillis, recordDir, maxPacketsPerSecond, us);
    }

    public ServerConfig withBind(InetAddress a) {
        return new ServerConfig(a, port, statusBind, statusPort, timeoutMillis, recordDir, maxPacketsPerSecond, batchMicros);
    }

    public ServerConfig withStatusBind(InetAddress a) {
        return new ServerConfig(bind, port, a, statusPort, timeoutMillis, recordDir, maxPacketsPerSecond, batchMicros);
    }
}
