package jambox.bench.room;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import jambox.room.RoomMix;

/**
 * The server's mix-minus for one 64-frame block: every member's mix of every other member's two
 * channels through that member's own strips (a different gain and pan for each, so no strip is
 * skipped as silent). The work grows as members squared: {@code members x (members - 1) x 2}
 * strips of 64 frames each. {@code blockWhileGliding} also moves one listener's faders every
 * block, so that listener's strips ramp instead of resting.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MixBench {
    static final int FRAMES = 64;

    @Param({"4", "8", "16", "32", "64"})
    public int members;

    private RoomMix mix;
    private long blocks;

    @Setup
    public void setUp() {
        mix = new RoomMix(members, FRAMES, 48_000f);
        mix.setPresent(members == 64 ? -1L : (1L << members) - 1);
        SplittableRandom random = new SplittableRandom(19);
        for (int l = 0; l < members; l++) {
            for (int s = 0; s < members; s++) {
                for (int c = 0; c < RoomMix.CHANNELS; c++) {
                    mix.setStrip(l, s, c, -random.nextDouble(24), false, random.nextDouble(-1, 1));
                }
            }
        }
        for (int s = 0; s < members; s++) {
            for (int c = 0; c < RoomMix.CHANNELS; c++) {
                float[] in = mix.input(s, c);
                for (int i = 0; i < FRAMES; i++) {
                    in[i] = (float) random.nextDouble(-0.5, 0.5);
                }
            }
        }
        for (int i = 0; i < 2000; i++) {
            mix.mix(FRAMES); // let every glide land: the steady state is what is measured
        }
    }

    @Benchmark
    public float[] block() {
        mix.mix(FRAMES);
        return mix.output(members - 1, 1);
    }

    @Benchmark
    public float[] blockWhileGliding() {
        long b = blocks++;
        int source = (int) (b % members);
        mix.setStrip(0, source, (int) (b & 1), -(b % 24), false, 0);
        mix.mix(FRAMES);
        return mix.output(members - 1, 1);
    }
}
