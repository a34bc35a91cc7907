package jambox.room.testnet;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * UDP datagrams with any IPv4 source address and port: a raw socket ({@code IPPROTO_RAW}, so the
 * test writes the IP header itself) through JNA, as Java has none. Needs root; open it inside a
 * {@link PrivateNet} so nothing forged leaves the test.
 */
public final class RawUdp implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;
    private static final int IP_HEADER = 20;
    private static final int UDP_HEADER = 8;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int socket(int domain, int type, int protocol);

        long sendto(int fd, byte[] buf, long len, int flags, byte[] to, int toLength);

        int close(int fd);
    }

    private final int fd;
    private final byte[] datagram = new byte[65_535];
    private final byte[] to = new byte[16];
    private int id;
    /** sendto calls that failed (a full socket buffer, say). */
    public long failures;

    /** Opens the raw socket in the calling thread's network namespace. */
    public RawUdp() throws IOException {
        fd = LibC.INSTANCE.socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
        if (fd < 0) {
            throw new IOException("cannot open a raw socket: errno " + Native.getLastError());
        }
    }

    /** Sends {@code payload[0..len)} as a UDP datagram that claims to come from {@code from}. */
    public void send(InetSocketAddress from, InetSocketAddress dest, byte[] payload, int len) {
        byte[] src = ((Inet4Address) from.getAddress()).getAddress();
        byte[] dst = ((Inet4Address) dest.getAddress()).getAddress();
        int total = IP_HEADER + UDP_HEADER + len;
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) id++).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(src).put(dst);
        b.putShort(10, checksum(datagram, IP_HEADER));
        b.position(IP_HEADER);
        // UDP checksum 0: "none", which IPv4 allows.
        b.putShort((short) from.getPort()).putShort((short) dest.getPort()).putShort((short) (UDP_HEADER + len))
                .putShort((short) 0).put(payload, 0, len);
        ByteBuffer a = ByteBuffer.wrap(to);
        a.order(ByteOrder.nativeOrder()).putShort((short) AF_INET);
        a.order(ByteOrder.BIG_ENDIAN).putShort((short) dest.getPort()).put(dst);
        if (LibC.INSTANCE.sendto(fd, datagram, total, 0, to, to.length) != total) {
            failures++;
        }
    }

    private static short checksum(byte[] b, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
    }
}
