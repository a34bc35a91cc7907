package jambox.appliance.ir;

/**
 * An impulse response the library would not take, or a slot operation it could not do; nothing
 * changed. The message is the reason in the player's words; {@link #tooBig()} tells a file over
 * the size limit from one that is wrong.
 */
public final class IrRefused extends Exception {
    private final boolean tooBig;

    public IrRefused(String reason, boolean tooBig) {
        super(reason);
        this.tooBig = tooBig;
    }

    public IrRefused(String reason) {
        this(reason, false);
    }

    public boolean tooBig() {
        return tooBig;
    }
}
