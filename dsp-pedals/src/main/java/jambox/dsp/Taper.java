package jambox.dsp;

/** How a parameter's range maps onto a knob's travel (0..1), and how the page shows it. */
public enum Taper {
    /** Equal steps of the value per step of the knob. */
    LINEAR,
    /** Equal ratios per step of the knob: frequencies, times, ratios. */
    LOG,
    /** The value is in decibels; equal dB per step of the knob. */
    DB,
    /** One of a list of named choices; the value is the choice's index. */
    CHOICE
}
