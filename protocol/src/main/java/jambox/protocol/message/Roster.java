package jambox.protocol.message;

import java.util.ArrayList;
import java.util.List;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * Who is in the room: names, channel labels, stream formats and routing. A large room's roster is
 * sent in parts of at most {@link #PER_PART} members so each packet stays under a typical MTU;
 * the generation changes whenever the roster does.
 */
public record Roster(int generation, int part, int parts, List<Entry> entries) {
    public static final int PER_PART = 12;

    public record Entry(int member, String name, List<String> labels, Codec codec, int frames, Routing routing) {
    }

    public void write(PacketWriter w) {
        w.begin(PacketType.ROSTER).put32(generation).put8(part).put8(parts).put8(entries.size());
        for (Entry e : entries) {
            w.put16(e.member()).putString(e.name(), Limits.MEMBER_NAME).put8(e.labels().size());
            for (String l : e.labels()) {
                w.putString(l, Limits.CHANNEL_LABEL);
            }
            w.put8(e.codec().code).put16(e.frames());
            e.routing().put(w);
        }
    }

    public static Roster read(PacketReader r) {
        int generation = r.get32();
        int part = r.get8();
        int parts = r.get8();
        int n = r.get8();
        if (parts < 1 || part >= parts || n > PER_PART) {
            throw new MalformedPacketException("roster part " + part + " of " + parts + " with " + n + " members");
        }
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int member = r.get16();
            String name = r.getString(Limits.MEMBER_NAME, "member name");
            int channels = r.get8();
            if (channels < 1 || channels > Header.MAX_CHANNELS) {
                throw new MalformedPacketException("roster member with " + channels + " channels");
            }
            List<String> labels = new ArrayList<>(channels);
            for (int c = 0; c < channels; c++) {
                labels.add(r.getString(Limits.CHANNEL_LABEL, "channel label"));
            }
            Codec codec = Codec.of(r.get8());
            if (codec == null) {
                throw new MalformedPacketException("roster member with an unknown codec");
            }
            entries.add(new Entry(member, name, List.copyOf(labels), codec, r.get16(), Routing.get(r)));
        }
        r.expectEnd();
        return new Roster(generation, part, parts, List.copyOf(entries));
    }
}
