package jambox.protocol.message;

import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * Whom a member listens to and whom it sends to. Member ids 1..64 are bits 0..63 of a mask; "all"
 * follows the room as players come and go. Audio goes from A to B when A sends to B and B listens
 * to A, so a room can be patched like a modular synth as well as run as a broadcast.
 */
public record Routing(boolean listenAll, long listen, boolean sendAll, long send) {
    public static final int MAX_MEMBER = 64;
    public static final Routing ALL = new Routing(true, 0, true, 0);

    public boolean hears(int member) {
        return listenAll || (listen & bit(member)) != 0;
    }

    public boolean sendsTo(int member) {
        return sendAll || (send & bit(member)) != 0;
    }

    /** This routing with a departed member's bit cleared, so whoever takes the slot next is not patched in. */
    public Routing without(int member) {
        long keep = ~bit(member);
        return new Routing(listenAll, listen & keep, sendAll, send & keep);
    }

    public static long bit(int member) {
        return member >= 1 && member <= MAX_MEMBER ? 1L << (member - 1) : 0;
    }

    void put(PacketWriter w) {
        w.put8((listenAll ? 1 : 0) | (sendAll ? 2 : 0)).put64(listen).put64(send);
    }

    static Routing get(PacketReader r) {
        int mode = r.get8();
        if ((mode & ~3) != 0) {
            throw new jambox.protocol.MalformedPacketException("routing mode has unknown bits");
        }
        return new Routing((mode & 1) != 0, r.get64(), (mode & 2) != 0, r.get64());
    }

    public void write(PacketWriter w) {
        put(w.begin(PacketType.ROUTE));
    }

    public static Routing read(PacketReader r) {
        Routing m = get(r);
        r.expectEnd();
        return m;
    }
}
