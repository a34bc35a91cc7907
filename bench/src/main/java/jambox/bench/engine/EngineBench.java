package jambox.bench.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.appliance.engine.Engine;
import jambox.appliance.sim.Riff;
import jambox.stream.JitterBuffer;
import jambox.appliance.stream.Packetizer;
import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.PacketType;
import jambox.protocol.Pcm;

/**
 * One whole period of the box at 64 frames: both channels through an eight-pedal board, meters,
 * the packetizer, and seven remote members pulled from real jitter buffers and mixed. Each
 * operation also offers each member's next packet to its buffer (the network thread's work, on
 * another core on the box), so the figure is an upper bound on the audio thread's share.
 * (In package jambox.appliance.stream to drain the packetizer as the sending thread would.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineBench {
    private static final int RATE = 48_000;
    private static final int N = 64;
    private static final int MEMBERS = 7;
    private static final List<String> BOARD8 = List.of("gate", "compressor", "overdrive", "eq", "cabinet", "chorus",
            "delay", "reverb");
    /** Member packets cycle through this many pre-encoded bodies (a second of each member's tone). */
    private static final int CYCLE = 750;

    private Engine engine;
    private Packetizer packetizer;
    private final JitterBuffer[] members = new JitterBuffer[MEMBERS];
    private final Header[] headers = new Header[MEMBERS];
    private final byte[][][] bodies = new byte[MEMBERS][CYCLE][];
    private final float[][] in = new float[2][N];
    private final float[][] out = new float[2][N];
    private float[] guitar;
    private long n;

    @Setup
    public void setUp() {
        List<PedalSpec> chain = BOARD8.stream().map(t -> new PedalSpec(t, false, Map.of())).toList();
        engine = new Engine(new BoardSpec("board8", List.of(chain, chain)));
        engine.format(RATE, N);
        packetizer = new Packetizer(2, N);
        engine.setUplink(packetizer);
        float[][] tone = new float[2][N];
        for (int m = 0; m < MEMBERS; m++) {
            members[m] = new JitterBuffer(2);
            engine.setMember(m, members[m]);
            engine.mixer().member(m, 0).setPan(-0.8 + 0.25 * m);
            headers[m] = new Header();
            for (int k = 0; k < CYCLE; k++) {
                for (int i = 0; i < N; i++) {
                    tone[0][i] = (float) (0.2 * Math.sin(2 * Math.PI * 110 * (m + 1) * (k * N + i) / RATE));
                    tone[1][i] = tone[0][i] * 0.5f;
                }
                bodies[m][k] = new byte[Header.SIZE + N * 2 * 2];
                Pcm.encode(Codec.PCM16, tone, 2, N, bodies[m][k], Header.SIZE);
            }
        }
        guitar = Riff.render(RATE, 4, 110);
        for (int k = 0; k < 3000; k++) {
            period(); // prime the buffers and settle the depth before JMH's own warm-up
        }
    }

    @Benchmark
    public float period() {
        long k = n++;
        for (int m = 0; m < MEMBERS; m++) {
            Header h = headers[m].clear(PacketType.AUDIO).audio(Codec.PCM16, 2, N);
            h.member = m + 2;
            h.sequence = (int) k;
            h.samplePosition = k * N;
            h.senderTime = k * N * 1_000_000 / RATE;
            members[m].offer(h, bodies[m][(int) (k % CYCLE)], Header.SIZE, k * N * 1_000_000_000L / RATE);
        }
        int at = (int) ((k * N) % (guitar.length - N));
        System.arraycopy(guitar, at, in[0], 0, N);
        System.arraycopy(guitar, at, in[1], 0, N);
        engine.period(in, out, N);
        while (packetizer.next() >= 0) {
            packetizer.release();
        }
        return out[0][N - 1];
    }
}
