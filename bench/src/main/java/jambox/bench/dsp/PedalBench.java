package jambox.bench.dsp;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import jambox.dsp.Catalog;
import jambox.dsp.Pedal;

/** One pedal, one 64-frame block of guitar-like input per operation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PedalBench {
    @Param({"gate", "wah", "octave", "compressor", "overdrive", "amp", "eq", "cabinet", "ir", "chorus", "delay", "reverb", "looper"})
    public String pedal;

    private Pedal p;
    private float[] input;
    private final float[] block = new float[Boards.BLOCK];
    private int at;

    @Setup
    public void setUp() {
        p = Catalog.byId(pedal).create();
        p.prepare(Boards.RATE, Boards.BLOCK);
        input = Boards.guitar();
    }

    @Benchmark
    public float block64() {
        System.arraycopy(input, at, block, 0, Boards.BLOCK);
        at = (at + Boards.BLOCK) % (input.length - Boards.BLOCK);
        p.run(block, Boards.BLOCK);
        return block[Boards.BLOCK - 1];
    }
}
