package jambox.common.midi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class MidiRingTest {
    private static boolean offer(MidiRing ring, long frame, byte... bytes) {
        byte[] slot = ring.claim();
        if (slot == null) {
            return false;
        }
        System.arraycopy(bytes, 0, slot, 0, bytes.length);
        ring.publish(frame, bytes.length);
        return true;
    }

    private static byte[] take(MidiRing ring) {
        byte[] data = ring.peek();
        byte[] copy = Arrays.copyOf(data, ring.length());
        ring.release();
        return copy;
    }

    @Test
    void eventsComeOutInOrderWithTheirFramesAndBytesAcrossManyWrapArounds() {
        MidiRing ring = new MidiRing(4, 8);
        for (int round = 0; round < 1000; round++) {
            long f = 100L * round;
            assertTrue(offer(ring, f, (byte) 0x90, (byte) (round & 0x7f), (byte) 100));
            assertTrue(offer(ring, f + 1, (byte) 0xF8));
            assertTrue(offer(ring, f + 2, (byte) 0xF0, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6,
                    (byte) 0xF7));
            assertEquals(3, ring.size());
            assertEquals(f, ring.frame());
            assertArrayEquals(new byte[] {(byte) 0x90, (byte) (round & 0x7f), 100}, take(ring));
            assertEquals(f + 1, ring.frame());
            assertArrayEquals(new byte[] {(byte) 0xF8}, take(ring));
            assertEquals(f + 2, ring.frame());
            assertEquals(8, take(ring).length);
            assertTrue(ring.isEmpty());
        }
    }

    @Test
    void aFullRingRefusesUntilTheConsumerReleases() {
        MidiRing ring = new MidiRing(2, 4);
        assertTrue(offer(ring, 1, (byte) 1));
        assertTrue(offer(ring, 2, (byte) 2, (byte) 3));
        assertNull(ring.claim());
        assertEquals(2, ring.size());
        assertEquals(1, ring.frame());
        assertArrayEquals(new byte[] {1}, take(ring));
        assertTrue(offer(ring, 3, (byte) 4));
        assertEquals(2, ring.frame());
        assertArrayEquals(new byte[] {2, 3}, take(ring));
        assertEquals(3, ring.frame());
        assertArrayEquals(new byte[] {4}, take(ring));
        assertTrue(ring.isEmpty());
        assertNull(ring.peek());
        assertThrows(IllegalStateException.class, ring::release);
    }

    @Test
    void badSizesAreRefusedClearly() {
        assertEquals("capacity must be a power of two, not 3",
                assertThrows(IllegalArgumentException.class, () -> new MidiRing(3, 4)).getMessage());
        MidiRing ring = new MidiRing(2, 4);
        ring.claim();
        assertEquals("an event of 5 bytes does not fit a slot of 4",
                assertThrows(IllegalArgumentException.class, () -> ring.publish(0, 5)).getMessage());
        assertTrue(ring.isEmpty(), "a refused publish changes nothing");
    }

    @Test
    void oneProducerAndOneConsumerThreadLoseAndReorderNothing() throws InterruptedException {
        MidiRing ring = new MidiRing(64, 3);
        int n = 200_000;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                while (!offer(ring, i, (byte) i, (byte) (i >> 8), (byte) (i >> 16))) {
                    Thread.onSpinWait();
                }
            }
        });
        producer.start();
        for (int i = 0; i < n; i++) {
            while (ring.peek() == null) {
                Thread.onSpinWait();
            }
            assertEquals(i, ring.frame());
            byte[] b = take(ring);
            assertEquals(i, (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16);
        }
        producer.join();
    }
}
