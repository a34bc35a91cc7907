package jambox.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import jambox.protocol.message.MidiEvents;
import jambox.protocol.message.Ping;

/** The per-packet path, both ends, allocates nothing once warm. */
class AllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void sealingCheckingAndDecodingAudioMidiAndPingsAllocatesNothing() {
        MemberSession s = BundleAndSessionTest.joined();
        PacketKey key = new PacketKey(new byte[32]);
        PacketReader r = new PacketReader();
        float[][] block = new float[2][64];
        float[][] out = new float[2][64];
        long[] windows = new long[5];
        long position = 0;
        MidiEvents midi = new MidiEvents();
        byte[] note = {(byte) 0x90, 60, 100, (byte) 0x80, 60, 0};
        long sink = 0;
        for (int w = -5; w < windows.length; w++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                int len = s.audio(block, i, position += 64);
                byte[] b = s.writer().array();
                sink += key.verify(b, 0, len) ? 1 : 0;
                r.read(b, 0, len);
                Pcm.decode(r.header.codec, b, r.bodyOffset(), r.header.channels, r.header.frames, out);
                MidiEvents.begin(s.writer(), i, 2);
                MidiEvents.putEvent(s.writer(), i, position, note, 0, 3);
                MidiEvents.putEvent(s.writer(), i + 1, position + 1, note, 3, 3);
                int m = s.seal();
                r.read(s.writer().array(), 0, m);
                sink += midi.read(r).count;
                Ping.ping(s.writer(), i, i);
                int p = s.seal();
                r.read(s.writer().array(), 0, p);
                sink += r.get32();
            }
            long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (w >= 0) {
                windows[w] = bytes;
            }
        }
        // The JVM itself may allocate a little now and then (a deoptimisation); a per-packet
        // allocation would show in every window (10,000 packets: at least 160 kB).
        assertTrue(Arrays.stream(windows).anyMatch(b -> b == 0), "a window of 10,000 packets with 0 bytes: "
                + Arrays.toString(windows) + " " + sink);
    }
}
