package jambox.protocol.message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * A member's mixer strips, for a room where the server makes each member's mix: per source member
 * and channel, the gain, the mute and the pan the member's own mixer page shows. Always the whole
 * table, never a change, so a lost datagram is healed by the next one; a strip not in the table
 * is at 0 dB, unmuted, centred.
 *
 * <p>Gain travels in hundredths of a dB (-12000 .. 1200: -120 dB, which is silence, to +12 dB),
 * pan in ten-thousandths (-10000 hard left .. 10000 hard right), so every value the box can hold
 * crosses to within 0.005 dB and 0.00005 of pan.
 */
public record MixStrips(List<Strip> strips) {
    /** Every member's two channels. */
    public static final int MAX_STRIPS = Routing.MAX_MEMBER * 2;
    public static final int MIN_CENTI_DB = -12000;
    public static final int MAX_CENTI_DB = 1200;
    public static final int PAN_SCALE = 10000;
    private static final int MUTE = 1;

    /** One strip: member {@code member}'s channel {@code channel}. */
    public record Strip(int member, int channel, int centiDb, boolean mute, int pan) {
        public Strip {
            if (member < 1 || member > Routing.MAX_MEMBER) {
                throw new IllegalArgumentException("strip of member " + member + ", outside 1.." + Routing.MAX_MEMBER);
            }
            if (channel < 0 || channel > 1) {
                throw new IllegalArgumentException("strip of channel " + channel + ", not 0 or 1");
            }
            if (centiDb < MIN_CENTI_DB || centiDb > MAX_CENTI_DB) {
                throw new IllegalArgumentException("gain " + centiDb / 100.0 + " dB is outside -120 .. 12");
            }
            if (pan < -PAN_SCALE || pan > PAN_SCALE) {
                throw new IllegalArgumentException("pan " + (double) pan / PAN_SCALE + " is outside -1 .. 1");
            }
        }

        /** A strip as the mixer holds it: gain in dB, pan from -1 to 1, each rounded to the wire's step. */
        public static Strip of(int member, int channel, double gainDb, boolean mute, double pan) {
            if (!Double.isFinite(gainDb) || !Double.isFinite(pan)) {
                throw new IllegalArgumentException("gain " + gainDb + " dB, pan " + pan + ": not numbers");
            }
            return new Strip(member, channel, (int) Math.round(gainDb * 100), mute, (int) Math.round(pan * PAN_SCALE));
        }

        public double gainDb() {
            return centiDb / 100.0;
        }

        /** -1 hard left .. 1 hard right. */
        public double panPosition() {
            return (double) pan / PAN_SCALE;
        }
    }

    public MixStrips {
        if (strips.size() > MAX_STRIPS) {
            throw new IllegalArgumentException(strips.size() + " strips, more than " + MAX_STRIPS);
        }
        Set<Integer> seen = new HashSet<>();
        for (Strip s : strips) {
            if (!seen.add(s.member() * 2 + s.channel())) {
                throw new IllegalArgumentException("member " + s.member() + "'s channel " + s.channel() + " twice");
            }
        }
        strips = List.copyOf(strips);
    }

    public void write(PacketWriter w) {
        w.begin(PacketType.MIX).put8(strips.size());
        for (Strip s : strips) {
            w.put8(s.member()).put8(s.channel()).put16(s.centiDb()).put8(s.mute() ? MUTE : 0).put16(s.pan());
        }
    }

    public static MixStrips read(PacketReader r) {
        int n = r.get8();
        if (n > MAX_STRIPS) {
            throw new MalformedPacketException(n + " strips, more than " + MAX_STRIPS);
        }
        List<Strip> strips = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                int member = r.get8();
                int channel = r.get8();
                int centiDb = (short) r.get16();
                int flags = r.get8();
                if ((flags & ~MUTE) != 0) {
                    throw new MalformedPacketException("strip flags have unknown bits");
                }
                strips.add(new Strip(member, channel, centiDb, (flags & MUTE) != 0, (short) r.get16()));
            }
            MixStrips m = new MixStrips(strips);
            r.expectEnd();
            return m;
        } catch (IllegalArgumentException e) {
            throw new MalformedPacketException(e.getMessage());
        }
    }
}
