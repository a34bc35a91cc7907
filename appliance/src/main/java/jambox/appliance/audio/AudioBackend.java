package jambox.appliance.audio;

import jambox.common.midi.MidiPorts;

/**
 * Where periods come from: {@code jack} on the box, {@code simulated} (a clock thread) anywhere else.
 * A backend owns the audio thread and the two-channel in/out buffers it hands to the callback, and
 * the MIDI ports whose events it moves on that thread.
 */
public interface AudioBackend extends AutoCloseable {
    int CHANNELS = 2;

    /** Starts calling {@code callback} once per period; returns once the first format is known. */
    void start(PeriodCallback callback) throws AudioException;

    int sampleRate();

    int periodFrames();

    /**
     * The MIDI input and output, timed on this backend's frame clock; usable before {@link #start}
     * (events then wait for the first period).
     */
    MidiPorts midi();

    /** Periods the backend could not deliver in time (JACK's xrun callback, or a late clock tick). */
    long xruns();

    /** Whether periods are flowing now (false while a JACK server is gone and being waited for). */
    boolean running();

    /** One line for logs and status, e.g. "jack (server 'default', 48000 Hz, 64 frames)". */
    String describe();

    /** Stops the audio thread; safe to call more than once. */
    @Override
    void close();
}
