package jambox.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.sun.management.ThreadMXBean;

import jambox.protocol.Codec;

/**
 * The real-time rule: after warm-up neither side allocates, on any path the buffer takes in steady
 * state: in-order and late packets, duplicates, concealment, handing back, drift tracking, stats,
 * and a stream restart.
 */
class JitterBufferAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 30_000;

    private long offerBytes;
    private long pullBytes;

    @ParameterizedTest(name = "{0} channel(s), period {1}, packets of {2}")
    @CsvSource({"1, 64, 64", "2, 128, 64", "2, 48, 64", "1, 512, 64", "2, 32, 32", "2, 32, 64", "2, 64, 32",
            "2, 128, 32"})
    void offerAndPullAllocateNothingAfterWarmUp(int channels, int period, int packet) {
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        Sender first = new Sender(Codec.PCM16, channels, packet, 9, 0L, Sender.sine(330));
        Sender second = new Sender(Codec.PCM24, channels, packet, 1 << 30, 1L << 33, Sender.sine(550));
        JitterBuffer buffer = new JitterBuffer(channels);
        long[] clock = {0};
        buffer.setClock(() -> clock[0]); // the play position published each period, and read back below
        this.clock = clock;
        float[][] out = new float[2][period];
        JitterStats stats = new JitterStats();

        run(buffer, first, second, out, stats, 0, WARM_UP);
        long calibration = THREADS.getCurrentThreadAllocatedBytes();
        calibration = THREADS.getCurrentThreadAllocatedBytes() - calibration;
        offerBytes = 0;
        pullBytes = 0;
        run(buffer, first, second, out, stats, WARM_UP, MEASURED);

        buffer.stats(stats);
        System.out.printf("allocation, %d channel(s), period %d, packets of %d: offer %d B, pull %d B over %d ticks"
                + " (a bare counter read: %d B); %s%n", channels, period, packet, offerBytes, pullBytes, MEASURED,
                calibration, stats);
        assertTrue(stats.concealed > 500 && stats.late > 100 && stats.duplicates > 1000 && stats.restarts >= 2,
                "every path was taken: " + stats);
        assertEquals(0, offerBytes, "bytes allocated by offer");
        assertEquals(0, pullBytes, "bytes allocated by pull");
    }

    private long[] clock;
    private long sink;

    /** Ticks of a packet's length of our clock: a packet in, pulls as periods come due. */
    private void run(JitterBuffer buffer, Sender first, Sender second, float[][] out, JitterStats stats,
                     int from, int ticks) {
        int packet = first.frames();
        long pulled = (long) from * packet;
        for (int t = from; t < from + ticks; t++) {
            long now = t * packet * 1_000_000_000L / 48_000;
            Sender sender = t / 10_000 % 2 == 0 ? first : second;
            long n = t % 10_000;
            if (n % 97 != 50 && n % 389 != 200) {
                offer(buffer, sender.make(n), now);
            }
            if (n % 389 == 240) {
                offer(buffer, sender.make(n - 40), now);
            }
            if (n % 31 == 0) {
                offer(buffer, sender.make(n), now);
            }
            while (pulled + out[0].length <= (t + 1) * (long) packet) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                buffer.pull(out, out[0].length);
                pullBytes += THREADS.getCurrentThreadAllocatedBytes() - before;
                sink += buffer.localFrame(pulled + 1000); // the network thread's side, here for its paths' sake
                pulled += out[0].length;
                clock[0] = pulled;
            }
            if (t % 50 == 0) {
                buffer.stats(stats);
            }
        }
    }

    private void offer(JitterBuffer buffer, Sender sender, long now) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        sender.offerTo(buffer, now);
        offerBytes += THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
