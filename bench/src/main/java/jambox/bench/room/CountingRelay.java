package jambox.bench.room;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay in front of a server for one client, counting datagrams each way: what one member
 * of a peer's room sends and gets, where the peer's client has no counter of its own. The client
 * talks to {@link #port()}; the server sees the relay's second socket as that client. Two
 * threads, each blocking on one socket, on the clients' core.
 */
final class CountingRelay implements AutoCloseable {
    final AtomicLong up = new AtomicLong();
    final AtomicLong down = new AtomicLong();
    private final DatagramChannel front;
    private final DatagramChannel back;
    private final InetSocketAddress server;
    private volatile SocketAddress client;

    CountingRelay(int serverPort) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        server = new InetSocketAddress(lo, serverPort);
        front = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
        back = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
        front.socket().setReceiveBufferSize(1 << 20);
        back.socket().setReceiveBufferSize(1 << 20);
        start("relay-up", () -> {
            ByteBuffer b = ByteBuffer.allocateDirect(65536);
            while (true) {
                b.clear();
                client = front.receive(b);
                b.flip();
                back.send(b, server);
                up.incrementAndGet();
            }
        });
        start("relay-down", () -> {
            ByteBuffer b = ByteBuffer.allocateDirect(65536);
            while (true) {
                b.clear();
                back.receive(b);
                b.flip();
                SocketAddress to = client;
                if (to != null) {
                    front.send(b, to);
                    down.incrementAndGet();
                }
            }
        });
    }

    int port() throws IOException {
        return ((InetSocketAddress) front.getLocalAddress()).getPort();
    }

    private interface Loop {
        void run() throws IOException;
    }

    private static void start(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (ClosedChannelException e) {
                // closed at the end of the run
            } catch (IOException e) {
                System.err.println(name + ": " + e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        front.close();
        back.close();
    }
}
