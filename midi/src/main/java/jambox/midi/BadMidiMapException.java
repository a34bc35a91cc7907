package jambox.midi;

/** A midi.json that cannot drive the box; the message says where and why: {@code "<origin>: <json place>: <reason>"}. */
public final class BadMidiMapException extends Exception {

    BadMidiMapException(String message) {
        super(message);
    }

    BadMidiMapException(String message, Throwable cause) {
        super(message, cause);
    }
}
