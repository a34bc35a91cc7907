package jambox.room;

/** A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Event-loop only. */
final class TokenBucket {
    private final double perMicro;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(double rate, double burst, long nowMicros) {
        this.perMicro = rate / 1e6;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowMicros;
    }

    boolean take(long nowMicros) {
        tokens = Math.min(burst, tokens + (nowMicros - last) * perMicro);
        last = nowMicros;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
