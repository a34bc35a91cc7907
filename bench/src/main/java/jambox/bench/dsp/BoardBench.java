package jambox.bench.dsp;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import jambox.dsp.Board;

/**
 * The eight-pedal board, one 64-frame block per operation: on guitar-like input, and on the
 * silence after a loud burst, where a careless IIR or feedback loop decays into denormals
 * and becomes many times slower.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BoardBench {
    /** A burst every two seconds of audio; the rest is the tails dying away. */
    private static final int BURST_EVERY = (int) (2 * Boards.RATE / Boards.BLOCK);

    private Board guitarBoard;
    private Board decayBoard;
    private Board ampIrBoard;
    private float[] input;
    private final float[] block = new float[Boards.BLOCK];
    private int at;
    private int decayBlock;

    @Setup
    public void setUp() {
        guitarBoard = Boards.board8();
        decayBoard = Boards.board8();
        ampIrBoard = Boards.ampIrBoard();
        input = Boards.guitar();
    }

    @Benchmark
    public float board8() {
        System.arraycopy(input, at, block, 0, Boards.BLOCK);
        at = (at + Boards.BLOCK) % (input.length - Boards.BLOCK);
        guitarBoard.process(block, Boards.BLOCK);
        return block[Boards.BLOCK - 1];
    }

    /** amp -> ir (200 ms) -> delay -> reverb on the same riff. */
    @Benchmark
    public float ampIr200DelayReverb() {
        System.arraycopy(input, at, block, 0, Boards.BLOCK);
        at = (at + Boards.BLOCK) % (input.length - Boards.BLOCK);
        ampIrBoard.process(block, Boards.BLOCK);
        return block[Boards.BLOCK - 1];
    }

    @Benchmark
    public float board8SilenceAfterBurst() {
        if (decayBlock == 0) {
            for (int i = 0; i < Boards.BLOCK; i++) {
                block[i] = (i & 1) == 0 ? 0.9f : -0.9f;
            }
        } else {
            java.util.Arrays.fill(block, 0f);
        }
        decayBlock = (decayBlock + 1) % BURST_EVERY;
        decayBoard.process(block, Boards.BLOCK);
        return block[Boards.BLOCK - 1];
    }
}
