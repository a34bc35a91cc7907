package jambox.dsp;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import jambox.dsp.pedal.Boost;

class BoardTest {

    private static Pedal boost(Board board, double db) {
        Pedal p = board.create(Boost.TYPE);
        p.set("gain", db);
        return p;
    }

    /** Plays a 110 Hz sine through a board on its own thread, recording what comes out. */
    private static final class AudioThread extends Thread {
        final Board board;
        final float[] recorded = new float[(int) (30 * FS)];
        final AtomicLong allocatedWhileEditing = new AtomicLong(-1);
        volatile boolean editing;
        volatile boolean stop;
        volatile int written;

        AudioThread(Board board) {
            super("test-audio");
            this.board = board;
        }

        @Override
        public void run() {
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            float[] block = new float[BLOCK];
            long phase = 0;
            long before = 0;
            boolean measuring = false;
            while (!stop && written + BLOCK <= recorded.length) {
                if (editing && !measuring) {
                    measuring = true;
                    before = threads.getCurrentThreadAllocatedBytes();
                }
                for (int i = 0; i < BLOCK; i++) {
                    block[i] = (float) (0.05 * Math.sin(2 * Math.PI * 110 * phase++ / FS));
                }
                board.process(block, BLOCK);
                System.arraycopy(block, 0, recorded, written, BLOCK);
                written += BLOCK;
                if (measuring && !editing) {
                    allocatedWhileEditing.set(threads.getCurrentThreadAllocatedBytes() - before);
                    measuring = false;
                }
                LockSupport.parkNanos(200_000);
            }
        }
    }

    @Test
    void insertRemoveMoveLoadAndBypassWhileAudioRunsNeverClickNorAllocate() throws Exception {
        // Every round must be click-free. The audio thread must allocate nothing in at least one
        // round: per-block allocation would show in all of them, while the JVM itself now and
        // then allocates a few hundred bytes on a thread after a deoptimisation.
        java.util.List<Long> allocated = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long bytes = editWhilePlaying();
            allocated.add(bytes);
            if (bytes == 0) {
                return;
            }
        }
        fail("the audio thread allocated during edits in every round: " + allocated + " bytes");
    }

    /** One round of edits on a playing board; checks for clicks and returns the audio thread's allocation. */
    private static long editWhilePlaying() throws Exception {
        Board board = new Board(FS, BLOCK);
        board.add(boost(board, 6));
        AudioThread audio = new AudioThread(board);
        audio.start();
        try {
            // Warm up so the JIT has compiled the audio path before we measure it.
            while (audio.written < 12 * FS && audio.isAlive()) {
                Thread.sleep(20);
            }
            audio.editing = true;
            assertTrue(board.running());
            board.insert(0, boost(board, 18));
            Thread.sleep(30);
            board.move(0, 1);
            Thread.sleep(30);
            board.get(0).setBypassed(true);
            Thread.sleep(30);
            board.remove(1);
            Thread.sleep(30);
            board.load(List.of(boost(board, -6), boost(board, 12), boost(board, 12)));
            Thread.sleep(30);
            board.get(2).setBypassed(true);
            Thread.sleep(30);
            audio.editing = false;
            Thread.sleep(30);
        } finally {
            audio.stop = true;
            audio.join(5000);
        }
        assertEquals(3, board.size());
        assertEquals(List.of(-6.0, 12.0, 12.0), board.pedals().stream().map(p -> p.get("gain")).toList());

        // The loudest the chain ever gets is +30 dB: 0.05 becomes 1.58. A 110 Hz sine of that
        // size moves at most 0.0228 per sample; a fade adds at most 1.58 / 480 per sample. An
        // edit applied without a fade would jump by a good part of the whole level instead.
        double loud = 0.05 * Math.pow(10, 30 / 20.0);
        double allowed = loud * 2 * Math.sin(Math.PI * 110 / FS) + 2 * loud / (Pedal.FADE_SECONDS * FS);
        double seen = maxStep(audio.recorded, 1, audio.written);
        assertTrue(seen <= allowed, "largest step " + seen + ", allowed " + allowed);
        // And the edits took effect: the end plays at -6 + 12 dB, the third boost bypassed.
        float[] tail = java.util.Arrays.copyOfRange(audio.recorded, audio.written - 9600, audio.written);
        assertEquals(6.0, db(amplitudeAt(tail, 110) / 0.05), 0.1);
        return audio.allocatedWhileEditing.get();
    }

    @Test
    void editsOnABoardThatIsNotPlayingApplyAtOnce() {
        Board board = new Board(FS, BLOCK);
        assertFalse(board.running());
        board.add(boost(board, 12));
        board.add(boost(board, -6));
        float[] block = new float[BLOCK];
        java.util.Arrays.fill(block, 0.1f);
        board.process(block, BLOCK);
        assertEquals(0.1 * Math.pow(10, 6 / 20.0), block[0], 1e-4, "no fade-in on the first block");
        board.move(1, 0);
        assertEquals(-6.0, board.get(0).get("gain"));
        assertEquals(-6.0, board.remove(0).get("gain"));
        assertEquals(1, board.size());
    }

    @Test
    void aBadEditThrowsAndChangesNothing() {
        Board board = new Board(FS, BLOCK);
        Pedal a = boost(board, 3);
        board.add(a);
        assertThrows(IndexOutOfBoundsException.class, () -> board.insert(3, boost(board, 1)));
        assertThrows(IndexOutOfBoundsException.class, () -> board.remove(1));
        assertThrows(IndexOutOfBoundsException.class, () -> board.move(0, 1));
        assertThrows(IllegalArgumentException.class, () -> board.add(a));
        assertThrows(IllegalArgumentException.class, () -> board.load(List.of(a, a)));
        assertEquals(List.of(a), board.pedals());
    }

    @Test
    void aChainHoldsSixteenPedalsAndNoMore() {
        Board board = new Board(FS, BLOCK);
        List<Pedal> sixteen = new java.util.ArrayList<>();
        for (int i = 0; i < Board.MAX_PEDALS; i++) {
            sixteen.add(boost(board, i));
        }
        List<Pedal> seventeen = new java.util.ArrayList<>(sixteen);
        seventeen.add(boost(board, 0));
        assertEquals("a chain holds at most 16 pedals, not 17",
                assertThrows(IllegalArgumentException.class, () -> board.load(seventeen)).getMessage());
        assertEquals(0, board.size(), "nothing changed");
        board.load(sixteen);
        assertEquals(16, board.size());
        assertEquals("a chain holds at most 16 pedals",
                assertThrows(IllegalStateException.class, () -> board.add(boost(board, 0))).getMessage());
        assertEquals(sixteen, board.pedals());
    }

    @Test
    void fadesTakeTheirTimeOnARunningBoard() throws Exception {
        Board board = new Board(FS, BLOCK);
        AudioThread audio = new AudioThread(board);
        audio.start();
        try {
            while (audio.written < FS && audio.isAlive()) {
                Thread.sleep(5);
            }
            int before = audio.written;
            board.add(boost(board, 12));
            // Find where the gain starts rising; from there it reaches full level in 10 ms, not at once.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (audio.written < before + 2 * FS && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            audio.stop = true;
            audio.join(5000);
        }
        // The recording's sample i came from input sample i: the gain at each sample is known.
        float[] rec = audio.recorded;
        int start = -1;
        for (int i = 0; i < audio.written && start < 0; i++) {
            double in = 0.05 * Math.sin(2 * Math.PI * 110 * (long) i / FS);
            if (Math.abs(in) > 0.02 && rec[i] / in > 1.02) {
                start = i;
            }
        }
        assertTrue(start > 0, "the boost came in");
        // Fades begin on a block boundary; the first raised sample tells which block that was.
        double full = Math.pow(10, 12 / 20.0);
        double in0 = 0.05 * Math.sin(2 * Math.PI * 110 * (long) start / FS);
        double w0 = (rec[start] / in0 - 1) / (full - 1);
        start = (int) Math.round((start - w0 * Pedal.FADE_SECONDS * FS) / BLOCK) * BLOCK;
        // From there the gain climbs 1 -> 3.98 linearly over 480 samples.
        for (int i = start; i < start + 2400; i++) {
            double in = 0.05 * Math.sin(2 * Math.PI * 110 * (long) i / FS);
            if (Math.abs(in) > 0.02) {
                double g = rec[i] / in;
                double w = Math.min(1, (i - start + 1) / (Pedal.FADE_SECONDS * FS));
                assertEquals(1 + (full - 1) * w, g, 0.05, "gain " + (i - start) + " samples into the fade");
            }
        }
        double late = amplitudeAt(java.util.Arrays.copyOfRange(rec, start + 4800, start + 14400), 110);
        assertEquals(12.0, db(late / 0.05), 0.1);
    }
}
