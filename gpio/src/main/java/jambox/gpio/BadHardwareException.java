package jambox.gpio;

/** A hardware.json that cannot drive the box; the message says where and why: {@code "<origin>: <json place>: <reason>"}. */
public final class BadHardwareException extends Exception {

    BadHardwareException(String message) {
        super(message);
    }

    BadHardwareException(String message, Throwable cause) {
        super(message, cause);
    }
}
