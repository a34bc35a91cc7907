package jambox.appliance.audio;

/** A backend could not start: the message says what and why, in words for the log. */
public final class AudioException extends Exception {
    public AudioException(String message) {
        super(message);
    }

    public AudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
