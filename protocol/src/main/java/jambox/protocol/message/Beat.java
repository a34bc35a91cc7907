package jambox.protocol.message;

import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/** One metronome tick from the server: the beat's number, its place in the bar, its server time. */
public record Beat(int number, int inBar, long serverTime) {
    public void write(PacketWriter w) {
        w.begin(PacketType.BEAT).put32(number).put8(inBar).put64(serverTime);
    }

    public static Beat read(PacketReader r) {
        Beat m = new Beat(r.get32(), r.get8(), r.get64());
        r.expectEnd();
        return m;
    }
}
