package jambox.protocol;

/** A packet whose body does not parse. Thrown for control packets only; the audio path returns a {@link Problem}. */
public final class MalformedPacketException extends RuntimeException {
    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
