package jambox.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static int takes(TokenBucket b, long now, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            n += b.take(now) ? 1 : 0;
        }
        return n;
    }

    @Test
    void aFullBucketGivesItsBurstThenTheRateInMicroseconds() {
        TokenBucket b = new TokenBucket(100, 25, 0, TimeUnit.MICROSECONDS);
        assertEquals(25, takes(b, 0, 1000), "the burst, at once");
        assertEquals(10, takes(b, 100_000, 1000), "100 a second: 10 in the next 100 ms");
        assertEquals(25, takes(b, 10_000_000, 1000), "never more than the burst saved up");
    }

    @Test
    void nanosecondsCountTheSame() {
        TokenBucket b = new TokenBucket(200, 200, 5_000_000_000L, TimeUnit.NANOSECONDS);
        assertEquals(200, takes(b, 5_000_000_000L, 1000));
        assertEquals(50, takes(b, 5_250_000_000L, 1000), "200 a second: 50 in 250 ms");
    }

    @Test
    void aClockThatStepsBackGivesNothingAndTakesNothing() {
        TokenBucket b = new TokenBucket(10, 1, 1_000, TimeUnit.MICROSECONDS);
        assertTrue(b.take(1_000));
        assertFalse(b.take(0), "no token from going back in time");
        assertTrue(b.take(100_000), "and the rate goes on from the new time");
    }

    @Test
    void aBucketThatCouldNeverGiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 5, 0, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(5, 0.5, 0, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(Double.NaN, 5, 0, TimeUnit.SECONDS));
    }
}
