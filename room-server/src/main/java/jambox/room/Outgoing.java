package jambox.room;

import jambox.protocol.Bundle;
import jambox.protocol.Header;
import jambox.protocol.PacketType;

/**
 * The forwarded packets waiting for one member until the end of the current read batch, laid
 * out as the body of a BUNDLE with room for its header in front. Event-loop only.
 */
final class Outgoing {
    private final byte[] buf = new byte[Header.SIZE + Bundle.BUDGET];
    private final Header header = new Header();
    private int length = Header.SIZE;
    private int count;
    private int firstLength;

    boolean isEmpty() {
        return count == 0;
    }

    /** Whether a packet of {@code len} bytes still fits. */
    boolean fits(int len) {
        return length + Bundle.ENTRY_OVERHEAD + len <= buf.length;
    }

    void add(byte[] b, int len) {
        if (count == 0) {
            firstLength = len;
        }
        jambox.protocol.Wire.put16(buf, length, len);
        System.arraycopy(b, 0, buf, length + Bundle.ENTRY_OVERHEAD, len);
        length += Bundle.ENTRY_OVERHEAD + len;
        count++;
    }

    /** Sends what waits (one packet bare, several as a BUNDLE) and empties. */
    void flush(int room, java.net.InetSocketAddress to, RoomService.Outbox out) {
        if (count == 1) {
            out.send(to, buf, Header.SIZE + Bundle.ENTRY_OVERHEAD, firstLength);
        } else if (count > 1) {
            header.clear(PacketType.BUNDLE);
            header.room = room;
            header.bodyLength = length - Header.SIZE;
            header.write(buf, 0);
            out.send(to, buf, 0, length);
        }
        length = Header.SIZE;
        count = 0;
    }
}
