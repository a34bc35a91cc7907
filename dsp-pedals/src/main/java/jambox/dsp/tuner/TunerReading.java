package jambox.dsp.tuner;

import java.util.Locale;

/**
 * What the tuner heard: the pitch, the nearest note by name and octave ("E2"), and how far off
 * it is in cents (negative: flat). {@code position} is the sample count the analysis ended at.
 */
public record TunerReading(boolean pitched, double hz, String note, double cents, long position) {
    private static final String[] NAMES = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};

    public static TunerReading silence(long position) {
        return new TunerReading(false, 0, "", 0, position);
    }

    /** The reading for a pitch, against A4 = {@code referenceHz}. */
    public static TunerReading of(double hz, double referenceHz, long position) {
        double midi = 69 + 12 * Math.log(hz / referenceHz) / Math.log(2);
        long nearest = Math.round(midi);
        String note = NAMES[(int) Math.floorMod(nearest, 12)] + (Math.floorDiv(nearest, 12) - 1);
        return new TunerReading(true, hz, note, 100 * (midi - nearest), position);
    }

    @Override
    public String toString() {
        return pitched ? String.format(Locale.ROOT, "%s %+.1f cents (%.2f Hz)", note, cents, hz) : "no pitch";
    }
}
