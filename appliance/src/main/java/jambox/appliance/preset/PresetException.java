package jambox.appliance.preset;

/**
 * A preset operation that did not happen, with a message a player can act on ("a preset named
 * 'Lead' already exists; pick another name or delete that one first"). Nothing on disk changed.
 */
public final class PresetException extends Exception {
    public PresetException(String message) {
        super(message);
    }

    public PresetException(String message, Throwable cause) {
        super(message, cause);
    }
}
