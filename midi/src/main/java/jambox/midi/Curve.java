package jambox.midi;

import java.util.Locale;

/** How a fader's travel spreads over a {@link Range}: equal steps, or equal ratios (frequencies, times). */
public enum Curve {
    LINEAR, LOG;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
