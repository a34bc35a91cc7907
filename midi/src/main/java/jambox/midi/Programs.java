package jambox.midi;

/**
 * What a program change that no binding claims does: loads a preset by its place in the list.
 * Program {@code first} loads the first preset, {@code first + 1} the second, and so on; programs
 * below {@code first} or past the end of the list do nothing.
 *
 * @param on      false: program changes load nothing (bindings still fire)
 * @param channel 1..16, or {@link Source#ANY}
 * @param first   the program number (0..127, as sent) that loads the first preset
 */
public record Programs(boolean on, int channel, int first) {

    /** Every channel, program 0 is the first preset. */
    public static final Programs DEFAULT = new Programs(true, Source.ANY, 0);
    public static final Programs OFF = new Programs(false, Source.ANY, 0);

    /** The preset index (0 is the first) program {@code number} on {@code channel} loads, or -1 for none. */
    int presetIndex(int number, int channel) {
        if (!on || this.channel != Source.ANY && this.channel != channel || number < first) {
            return -1;
        }
        return number - first;
    }
}
