package jambox.appliance.audio;

/** A backend could not start: the message says what and why, in words for the log. */
public final class AudioException extends Exception {
    private final boolean noServer;

    public AudioException(String message) {
        this(message, null, false);
    }

    public AudioException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private AudioException(String message, Throwable cause, boolean noServer) {
        super(message, cause);
        this.noServer = noServer;
    }

    /** No audio server was running to take the client: one may be starting, and trying again can help. */
    static AudioException noServer(String message, Throwable cause) {
        return new AudioException(message, cause, true);
    }

    /** True when the failure was that no server was running (not a refusal, not a broken library). */
    public boolean noServer() {
        return noServer;
    }
}
