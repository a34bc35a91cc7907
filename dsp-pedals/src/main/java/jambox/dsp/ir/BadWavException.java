package jambox.dsp.ir;

/**
 * A file refused as an impulse response. The message is the reason in a player's words ("8-bit
 * PCM is not taken"), meant to be shown as it is, after the file's name.
 */
public final class BadWavException extends Exception {
    public BadWavException(String reason) {
        super(reason);
    }
}
