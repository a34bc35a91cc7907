package jambox.common;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up, starting full. The
 * clock is the caller's, in the unit it names (the room server counts in microseconds, the control
 * page's sessions in nanoseconds). One thread at a time: it has no locks.
 */
public final class TokenBucket {
    private final double perTick;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double rate, double burst, long now, TimeUnit unit) {
        if (!(rate > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("a token bucket needs a rate above 0 and a burst of at least 1: "
                    + rate + ", " + burst);
        }
        this.perTick = rate / unit.convert(1, TimeUnit.SECONDS);
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Takes one token at {@code now} (the constructor's unit) if one is there. */
    public boolean take(long now) {
        tokens = Math.min(burst, tokens + Math.max(0, now - last) * perTick);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
