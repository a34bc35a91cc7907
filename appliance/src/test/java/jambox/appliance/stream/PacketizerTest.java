package jambox.appliance.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketizerTest {
    @Test
    void theAudioThreadsSideAllocatesNothingAndPacketsStayInOrderWhateverThePeriod() throws Exception {
        Packetizer p = new Packetizer(2, 64);
        AtomicLong received = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        Thread consumer = new Thread(() -> {
            long last = -64;
            while (!Thread.currentThread().isInterrupted()) {
                int slot;
                while ((slot = p.next()) >= 0) {
                    float[][] a = p.audio(slot);
                    long at = p.position(slot);
                    for (int i = 0; i < 64; i++) {
                        if (a[0][i] != (float) ((at + i) % 1000) || a[1][i] != -a[0][i]) {
                            wrong.incrementAndGet();
                        }
                    }
                    if (at <= last || at % 64 != 0) {
                        wrong.incrementAndGet(); // drops leave gaps, but never reorder
                    }
                    last = at;
                    p.release();
                    received.incrementAndGet();
                }
                LockSupport.park();
            }
        });
        p.consumer(consumer);
        consumer.start();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        float[][] period = new float[2][100];
        long position = 0;
        long before = 0;
        int periods = 40_000;
        for (int k = 0; k < periods; k++) {
            int n = 16 + (k * 37) % 85; // 16..100 frames: any period size against 64-frame packets
            for (int i = 0; i < n; i++) {
                period[0][i] = (float) ((position + i) % 1000);
                period[1][i] = -period[0][i];
            }
            if (k == periods / 2) {
                before = mx.getThreadAllocatedBytes(tid);
            }
            p.send(period, n);
            position += n;
            if (k % 16 == 15) {
                // Paced like an audio thread: the consumer gets time to keep up, as it does at 750 periods/s.
                long due = position / 64;
                for (int w = 0; w < 1000 && received.get() + p.dropped() < due; w++) {
                    LockSupport.parkNanos(100_000);
                }
            }
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        long sent = position / 64;
        long end = System.nanoTime() + 10_000_000_000L;
        while (received.get() + p.dropped() < sent && System.nanoTime() < end) {
            LockSupport.unpark(consumer);
            Thread.sleep(1);
        }
        consumer.interrupt();
        System.out.println("packetizer: " + allocated + " bytes on the audio side; " + received.get() + " packets, "
                + p.dropped() + " dropped");
        assertEquals(0, allocated);
        assertEquals(sent, received.get() + p.dropped(), "every packet was delivered or counted as dropped");
        assertEquals(0, wrong.get(), "delivered packets hold the right samples at the right position");
        assertTrue(p.dropped() < sent / 100, "a paced sender loses (almost) nothing: " + p.dropped());
    }

    @Test
    void whenTheSenderIsAWholeRingBehindNewPacketsAreDroppedWholeAndCounted() {
        Packetizer p = new Packetizer(1, 64);
        float[][] period = new float[1][64];
        for (int k = 0; k < 100; k++) {
            java.util.Arrays.fill(period[0], k);
            p.send(period, 64);
        }
        assertEquals(36, p.dropped());
        for (int k = 0; k < 64; k++) {
            int slot = p.next();
            assertEquals(64L * k, p.position(slot));
            assertEquals(k, p.audio(slot)[0][0]);
            assertEquals(k, p.audio(slot)[0][63]);
            p.release();
        }
        assertEquals(-1, p.next());
        java.util.Arrays.fill(period[0], 7f);
        p.send(period, 64);
        int slot = p.next();
        assertEquals(64L * 100, p.position(slot), "positions count dropped packets: the receiver sees the gap");
        assertEquals(7f, p.audio(slot)[0][0]);
    }

    /**
     * A stalled sending thread costs packets after the same time at every packet size: 85 ms of
     * audio (4096 frames) fits whole in the ring, the next packet is dropped. At 32 frames that is
     * 128 packets, not the 64 a ring counted in packets would hold (43 ms).
     */
    @ParameterizedTest(name = "packets of {0} frames")
    @ValueSource(ints = {32, 48, 64, 128})
    void theRingBridgesTheSameTimeAtEveryPacketSize(int frames) {
        Packetizer p = new Packetizer(2, frames);
        float[][] period = new float[2][16];
        int fit = Math.max(64, (4096 + frames - 1) / frames);
        long sent = 0;
        while (sent < (long) fit * frames) {
            p.send(period, 16);
            sent += 16;
        }
        assertEquals(0, p.dropped(), fit + " packets of " + frames + " frames fit");
        assertTrue(fit * frames >= 4096, "the ring holds " + fit * frames + " frames");
        for (int k = 0; k < frames / 16; k++) {
            p.send(period, 16);
        }
        assertEquals(1, p.dropped(), "the next packet is dropped whole");
    }
}
