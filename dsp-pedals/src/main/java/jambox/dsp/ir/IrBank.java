package jambox.dsp.ir;

/**
 * The impulse responses the box's {@code ir} pedals choose from: user slots that the page fills
 * with uploaded files (the shipped responses are part of the pedal itself). One bank per box,
 * shared by every board, as the {@link jambox.dsp.Transport} is.
 *
 * <p>Control threads put and clear slots; pedals notice a new {@link #version()} and pick up the
 * slot's response, prepared for their rate off the audio thread.
 */
public final class IrBank {
    /** How many uploaded responses a box holds at once. */
    public static final int USER_SLOTS = 8;

    private final ImpulseResponse[] user = new ImpulseResponse[USER_SLOTS];
    private volatile int version;

    /** Puts {@code ir} in user slot {@code slot} (0-based), or empties it with null. Control threads. */
    public synchronized void setUser(int slot, ImpulseResponse ir) {
        if (slot < 0 || slot >= USER_SLOTS) {
            throw new IllegalArgumentException("no IR slot " + (slot + 1) + "; there are " + USER_SLOTS);
        }
        user[slot] = ir;
        version++;
    }

    /** The response in user slot {@code slot}, or null if it is empty. Any thread. */
    public synchronized ImpulseResponse user(int slot) {
        return slot < 0 || slot >= USER_SLOTS ? null : user[slot];
    }

    /** Changes whenever a slot does. Any thread, never waits. */
    public int version() {
        return version;
    }
}
