package jambox.common.midi;

/** Hears the events that arrive on a box's MIDI input, on a thread that is not the audio thread. */
@FunctionalInterface
public interface MidiListener {
    /**
     * One event: {@code length} bytes of {@code data} from index 0 (one complete message, or a whole
     * sysex), which arrived at {@code frame} on the audio clock ({@link MidiPorts#frameTime}). The array
     * is reused after the call returns: copy what is kept. Must not block for long; an exception is
     * counted and the next event is delivered as usual.
     */
    void received(long frame, byte[] data, int length);
}
