package jambox.appliance.audio;

/**
 * JACK's frame clock as a 64-bit count. libjack reports it as a uint32, which wraps after 2^32
 * frames (24.9 hours at 48 kHz): a box left on for a weekend would see time run backwards. Each
 * reading is taken as the previous one plus the unsigned distance since it, so the count only
 * grows; readings must come at least once per 2^31 frames, which once a period does. One reader.
 */
final class FrameClock {
    private boolean started;
    private int last;
    private long frames;

    /** Extends a uint32 reading of JACK's clock; the first reading is taken as it is. */
    long extend(int reading) {
        if (!started) {
            started = true;
            frames = Integer.toUnsignedLong(reading);
        } else {
            frames += Integer.toUnsignedLong(reading - last);
        }
        last = reading;
        return frames;
    }

    /** Whether a reading has been taken. */
    boolean started() {
        return started;
    }
}
