package jambox.protocol.message;

import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * The room metronome. From a member: set the tempo (0 stops it). From the server: the tempo in
 * force and the server time of beat 0, so every member can place any beat on its own.
 */
public record Tempo(int milliBpm, int beatsPerBar, long epoch) {
    /** The tempo range, here once for the wire, the box's commands, its saved state and its click. */
    public static final int MIN_BPM = 20;
    public static final int MAX_BPM = 400;
    public static final int MIN_MILLI_BPM = MIN_BPM * 1000;
    public static final int MAX_MILLI_BPM = MAX_BPM * 1000;
    public static final int MAX_BEATS_PER_BAR = 16;

    /** Whether {@code bpm} is a tempo anyone here accepts (NaN is not). */
    public static boolean validBpm(double bpm) {
        return bpm >= MIN_BPM && bpm <= MAX_BPM;
    }

    /** The one wording of a tempo out of range: "tempo 500.0 bpm is outside 20 .. 400". */
    public static String outOfRange(double bpm) {
        return "tempo " + bpm + " bpm is outside " + MIN_BPM + " .. " + MAX_BPM;
    }

    public boolean running() {
        return milliBpm != 0;
    }

    /** Microseconds per beat. */
    public double beatMicros() {
        return 60e9 / milliBpm;
    }

    public void write(PacketWriter w) {
        w.begin(PacketType.TEMPO).put32(milliBpm).put8(beatsPerBar).put64(epoch);
    }

    public static Tempo read(PacketReader r) {
        Tempo m = new Tempo(r.get32(), r.get8(), r.get64());
        r.expectEnd();
        if (m.milliBpm != 0 && (m.milliBpm < MIN_MILLI_BPM || m.milliBpm > MAX_MILLI_BPM)) {
            throw new MalformedPacketException(outOfRange(m.milliBpm / 1000.0));
        }
        if (m.beatsPerBar < 1 || m.beatsPerBar > MAX_BEATS_PER_BAR) {
            throw new MalformedPacketException(m.beatsPerBar + " beats per bar is outside 1.." + MAX_BEATS_PER_BAR);
        }
        return m;
    }
}
