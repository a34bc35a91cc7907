package jambox.protocol.message;

/** Text field limits, in UTF-8 bytes. */
public final class Limits {
    public static final int ROOM_NAME = 32;
    public static final int MEMBER_NAME = 32;
    public static final int CHANNEL_LABEL = 16;
    public static final int MESSAGE = 200;

    private Limits() {
    }
}
