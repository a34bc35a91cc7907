package jambox.protocol.message;

import java.util.ArrayList;
import java.util.List;

import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * A mix room's meters, from the server to every member about 20 times a second: for each member
 * whose audio the server mixes, the peak of what it received from that member (both channels,
 * before anyone's strips) since the last LEVELS, and whether it clipped. In a forwarding room a
 * box measures each member's stream itself; in a mix room it receives only its own mix, so these
 * are what its mixer page shows.
 *
 * <p>The peak travels in hundredths of a dB of full scale, -12000 (-120 dB: silence) to 1200 (a
 * float stream may go over full scale); the server writes from {@link #begin} and {@link #put},
 * which allocate nothing.
 */
public record Levels(List<Level> levels) {
    public static final int MIN_CENTI_DB = MixStrips.MIN_CENTI_DB;
    public static final int MAX_CENTI_DB = MixStrips.MAX_CENTI_DB;
    private static final int CLIPPED = 1;

    /** Member {@code member}'s peak, in hundredths of dBFS, and whether it reached full scale. */
    public record Level(int member, int centiDb, boolean clipped) {
        public Level {
            if (member < 1 || member > Routing.MAX_MEMBER) {
                throw new IllegalArgumentException("level of member " + member + ", outside 1.." + Routing.MAX_MEMBER);
            }
            if (centiDb < MIN_CENTI_DB || centiDb > MAX_CENTI_DB) {
                throw new IllegalArgumentException("peak " + centiDb / 100.0 + " dBFS is outside -120 .. 12");
            }
        }
    }

    public Levels {
        if (levels.size() > Routing.MAX_MEMBER) {
            throw new IllegalArgumentException(levels.size() + " levels, more than " + Routing.MAX_MEMBER);
        }
        levels = List.copyOf(levels);
    }

    /** A linear peak in hundredths of dBFS, clamped to what the wire carries. */
    public static int centiDb(float peak) {
        if (!(peak > 0)) {
            return MIN_CENTI_DB;
        }
        double c = Math.round(2000 * Math.log10(peak));
        return (int) Math.max(MIN_CENTI_DB, Math.min(MAX_CENTI_DB, c));
    }

    public void write(PacketWriter w) {
        begin(w, levels.size());
        for (Level l : levels) {
            put(w, l.member(), l.centiDb(), l.clipped());
        }
    }

    /** Begins a LEVELS of {@code count} members; {@link #put} each of them next. */
    public static void begin(PacketWriter w, int count) {
        w.begin(PacketType.LEVELS).put8(count);
    }

    public static void put(PacketWriter w, int member, int centiDb, boolean clipped) {
        w.put8(member).put16(centiDb).put8(clipped ? CLIPPED : 0);
    }

    public static Levels read(PacketReader r) {
        int n = r.get8();
        if (n > Routing.MAX_MEMBER) {
            throw new MalformedPacketException(n + " levels, more than " + Routing.MAX_MEMBER);
        }
        List<Level> levels = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                int member = r.get8();
                int centiDb = (short) r.get16();
                int flags = r.get8();
                if ((flags & ~CLIPPED) != 0) {
                    throw new MalformedPacketException("level flags have unknown bits");
                }
                levels.add(new Level(member, centiDb, flags == CLIPPED));
            }
            r.expectEnd();
            return new Levels(levels);
        } catch (IllegalArgumentException e) {
            throw new MalformedPacketException(e.getMessage());
        }
    }
}
