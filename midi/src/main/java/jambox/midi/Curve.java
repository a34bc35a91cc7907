package jambox.midi;

import java.util.Locale;

/**
 * How a fader's travel spreads over a {@link Range}: equal steps, equal ratios (frequencies, times),
 * or the target's own taper, as its knob on the page turns (an expression pedal's heel..toe).
 */
public enum Curve {
    LINEAR, LOG, TAPER;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
