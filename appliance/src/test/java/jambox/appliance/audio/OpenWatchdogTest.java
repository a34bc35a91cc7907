package jambox.appliance.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A JACK reconnect that hangs is declared wedged once, after its limit; one that returns never is. */
class OpenWatchdogTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final AtomicInteger fired = new AtomicInteger();
    private final OpenWatchdog dog = new OpenWatchdog(fired::incrementAndGet, now::get);

    @Test
    void anOpenThatNeverReturnsFiresOnceAfterTheLimit() {
        dog.opening(Duration.ofSeconds(10));
        now.addAndGet(Duration.ofMillis(9_999).toNanos());
        assertFalse(dog.check(), "not before 10 s");
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertTrue(dog.check());
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertFalse(dog.check(), "once only");
        assertEquals(1, fired.get());
    }

    @Test
    void opensThatReturnNeverFireHoweverManyThereAre() {
        for (int i = 0; i < 1000; i++) {
            dog.opening(Duration.ofSeconds(10));
            now.addAndGet(Duration.ofSeconds(9).toNanos());
            dog.opened();
            now.addAndGet(Duration.ofSeconds(5).toNanos());
            assertFalse(dog.check());
        }
        assertEquals(0, fired.get());
    }

    @Test
    void theWatchdogThreadFiresOnTheRealClock() throws InterruptedException {
        CountDownLatch wedged = new CountDownLatch(1);
        OpenWatchdog real = new OpenWatchdog(wedged::countDown, System::nanoTime);
        Thread t = real.start(() -> false);
        real.opening(Duration.ofMillis(200));
        assertTrue(wedged.await(10, TimeUnit.SECONDS), "fired within a few checks");
        t.join(5000);
        assertFalse(t.isAlive(), "the thread ends once it has fired");
    }
}
