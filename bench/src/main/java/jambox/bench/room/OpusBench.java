package jambox.bench.room;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import jambox.protocol.Opus;

/**
 * What one Opus listener costs a mix room's server every 2.5 ms: the {@code room-opus} thread
 * codes one stereo 120-frame frame of its mix at 128 kbit/s ({@link #encode}), and the event loop
 * decodes one frame of each Opus member ({@link #decode}). Concentus allocates on every call, which
 * is why neither runs on the tick; the B/op figure says how much.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpusBench {
    /** A second of frames, computed once: the encode is measured, not the sines. */
    private static final int SECOND = Opus.SAMPLE_RATE / Opus.FRAMES;

    private Opus.Encoder encoder;
    private Opus.Decoder decoder;
    private final float[][][] frames = new float[SECOND][2][Opus.FRAMES];
    private final float[][] decoded = new float[2][Opus.FRAMES];
    private final byte[] body = new byte[Opus.MAX_BODY];
    private byte[] coded;
    private int codedLength;
    private int next;

    @Setup
    public void setUp() {
        // A mix-like signal: two tones a side, moving on with every frame, so the coder never sees a repeat.
        for (int f = 0; f < SECOND; f++) {
            for (int i = 0; i < Opus.FRAMES; i++) {
                double t = (f * Opus.FRAMES + i) / (double) Opus.SAMPLE_RATE;
                frames[f][0][i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 1310 * t));
                frames[f][1][i] = (float) (0.3 * Math.sin(2 * Math.PI * 330 * t) + 0.2 * Math.sin(2 * Math.PI * 2020 * t));
            }
        }
        encoder = new Opus.Encoder(2, Opus.DEFAULT_BITRATE);
        decoder = new Opus.Decoder(2);
        codedLength = encoder.encode(frames[0], body, 0);
        coded = java.util.Arrays.copyOf(body, codedLength);
    }

    @Benchmark
    public int encode() {
        int f = next;
        next = f + 1 == SECOND ? 0 : f + 1;
        return encoder.encode(frames[f], body, 0);
    }

    @Benchmark
    public float[][] decode() {
        decoder.decode(coded, 0, codedLength, decoded);
        return decoded;
    }
}
