package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import jambox.appliance.app.Appliance;
import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.AudioException;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.PeriodCallback;
import jambox.appliance.audio.SimulatedBackend;
import jambox.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.common.midi.MidiPorts;
import jambox.protocol.Codec;
import jambox.room.RoomServer;

/**
 * The real-time rule with Opus on, both ways: a box that sends Opus and hears an Opus member, in a
 * real room on real UDP. Its audio thread still allocates nothing per period (the engine's own
 * work, measured around each period with HotSpot's per-thread counter), while its stream threads
 * code and decode (and allocate, as Concentus does).
 */
class OpusEngineAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int RATE = 48_000;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void theAudioThreadAllocatesNothingWithOpusOn() throws Exception {
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        RoomServer server = OpusRoomTest.server(open);
        int port = server.address().getPort();
        Tapped annAudio = new Tapped(new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE,
                new LoopedInput(OpusRoomTest.tone(440)), null));
        SimulatedBackend bobAudio = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE,
                new LoopedInput(OpusRoomTest.tone(660)), null);
        Appliance ann = OpusRoomTest.box(open, port, "Ann", Codec.OPUS, annAudio);
        Appliance bob = OpusRoomTest.box(open, port, "Bob", Codec.OPUS, bobAudio);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && !(hears(ann, "Bob") && hears(bob, "Ann"))) {
            Thread.sleep(50);
        }
        assertTrue(hears(ann, "Bob") && hears(bob, "Ann"), ann.status() + "\n" + bob.status());
        Thread.sleep(2000); // warm-up: the buffers settled, the engine's paths compiled

        // Several windows of 2 s, the best kept: after a deoptimisation the JVM may allocate a few
        // hundred bytes once on any thread, which is not the engine's doing.
        long best = Long.MAX_VALUE;
        long bestPeriods = 0;
        StringBuilder windows = new StringBuilder();
        long codingBytes = -1;
        long packets0 = stats(bob, "Ann").received;
        Thread sender = thread("stream-send");
        long sent0 = sender == null ? 0 : THREADS.getThreadAllocatedBytes(sender.threadId());
        for (int w = 0; w < 4; w++) {
            long p0 = annAudio.periods;
            long b0 = annAudio.bytes;
            Thread.sleep(2000);
            long periods = annAudio.periods - p0;
            long bytes = annAudio.bytes - b0;
            windows.append(String.format(" %d B in %d periods;", bytes, periods));
            if (bytes < best) {
                best = bytes;
                bestPeriods = periods;
            }
        }
        long packets = stats(bob, "Ann").received - packets0;
        if (sender != null) {
            codingBytes = (THREADS.getThreadAllocatedBytes(sender.threadId()) - sent0) / Math.max(1, packets);
        }
        System.out.printf("Opus on: Ann's audio thread:%s best %d B; the sending threads allocate about %d B a packet"
                + " (%d packets); Ann at Bob %s; Bob at Ann %s%n", windows, best, codingBytes, packets,
                stats(bob, "Ann"), stats(ann, "Bob"));
        assertTrue(bestPeriods > 500, "the audio ran: " + bestPeriods + " periods in a window");
        assertEquals(0, best, "bytes the engine allocated on the audio thread in " + bestPeriods + " periods with Opus"
                + " on:" + windows);
        assertEquals(0, annAudio.faults, "periods that threw");
    }

    private static Thread thread(String name) {
        // Both boxes' senders share the name: any one of them codes the same packets.
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElse(null);
    }

    private static boolean hears(Appliance box, String name) {
        return box.members().members().stream().anyMatch(m -> m.name().equals(name) && m.stats() != null
                && m.stats().received > 400);
    }

    private static JitterStats stats(Appliance box, String name) {
        return box.members().members().stream().filter(m -> m.name().equals(name)).findFirst()
                .map(RoomMembers.Member::stats).orElseThrow();
    }

    /** A simulated backend whose periods are counted, and the engine's own allocation summed around each. */
    private static final class Tapped implements AudioBackend {
        private final SimulatedBackend backend;
        volatile long periods;
        volatile long bytes;
        volatile long faults;

        Tapped(SimulatedBackend backend) {
            this.backend = backend;
        }

        @Override
        public void start(PeriodCallback engine) throws AudioException {
            backend.start(new PeriodCallback() {
                @Override
                public void period(float[][] in, float[][] out, int n) {
                    long before = THREADS.getCurrentThreadAllocatedBytes();
                    try {
                        engine.period(in, out, n);
                    } catch (RuntimeException e) {
                        faults++;
                    }
                    bytes += THREADS.getCurrentThreadAllocatedBytes() - before;
                    periods++;
                }

                @Override
                public void format(int sampleRate, int frames) {
                    engine.format(sampleRate, frames);
                }
            });
        }

        @Override
        public int sampleRate() {
            return backend.sampleRate();
        }

        @Override
        public int periodFrames() {
            return backend.periodFrames();
        }

        @Override
        public MidiPorts midi() {
            return backend.midi();
        }

        @Override
        public long xruns() {
            return backend.xruns();
        }

        @Override
        public boolean running() {
            return backend.running();
        }

        @Override
        public String describe() {
            return "tapped " + backend.describe();
        }

        @Override
        public void close() {
            backend.close();
        }
    }
}
