package jambox.appliance.control;

/** A command that cannot be carried out, phrased for the player; nothing was changed. */
public final class BadCommandException extends Exception {
    public BadCommandException(String message) {
        super(message);
    }
}
