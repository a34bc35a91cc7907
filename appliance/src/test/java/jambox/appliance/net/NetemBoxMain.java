package jambox.appliance.net;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import jambox.appliance.app.Appliance;
import jambox.appliance.audio.Capture;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/**
 * One box of {@link NetemTest}, run in its own JVM inside a network namespace. Arguments:
 * {@code host port name skewPpm toneHz seconds peer outDir}. A tone of 0 Hz means a silent input.
 * It plays {@code seconds} of audio (its own clock), printing a {@code stats ...} line about the
 * {@code peer}'s jitter buffer every second and a {@code final ...} line at the end, and writes its
 * first output channel to {@code outDir/<name>.f32} (raw little-endian floats).
 */
public final class NetemBoxMain {
    static final int RATE = 48_000;
    static final String SECRET = "netem test secret";
    /**
     * The simulated sound card's clock thread, as a JACK client's process thread on the box: under
     * SCHED_FIFO, above the stream's network threads (40), below jackd itself (70).
     */
    static final int REALTIME_PRIORITY = 60;

    private NetemBoxMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String name = args[2];
        double skew = Double.parseDouble(args[3]);
        double toneHz = Double.parseDouble(args[4]);
        int seconds = Integer.parseInt(args[5]);
        String peer = args[6];
        Path outDir = Path.of(args[7]);

        float[][] loop = {new float[RATE], new float[RATE]};
        if (toneHz > 0) { // a whole number of cycles per second loops seamlessly
            double amplitude = Math.pow(10, -10 / 20.0);
            for (int i = 0; i < RATE; i++) {
                loop[0][i] = (float) (amplitude * Math.sin(2 * Math.PI * toneHz * i / RATE));
            }
        }
        Capture capture = new Capture(RATE * seconds);
        SimulatedBackend backend = new SimulatedBackend(RATE, 64, true, (long) RATE * seconds / 64,
                new LoopedInput(loop), capture).withClockSkew(skew)
                .withRealtimePriority(REALTIME_PRIORITY);
        ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                new StreamConfig(host, port, "jam", SECRET, name, List.of("guitar", "voice"), Codec.PCM16, 64),
                new ApplianceConfig.Jitter(true, 2));
        Appliance box = Appliance.start(config, new BoardSpec("empty", List.of(List.of())), backend);
        try {
            box.engine().mixer().self(0).setMute(true);
            box.engine().mixer().self(1).setMute(true);
            long deadline = System.nanoTime() + (seconds + 30) * 1_000_000_000L;
            long next = System.nanoTime();
            boolean joined = false;
            int ticks = 0;
            while (backend.running() || capture.frames() == 0) {
                if (System.nanoTime() > deadline) {
                    System.out.println("timeout " + box.status());
                    break;
                }
                next += 1_000_000_000L;
                Thread.sleep(Math.max(1, (next - System.nanoTime()) / 1_000_000));
                if (!joined && box.stream().joined()) {
                    joined = true;
                    System.out.println("joined as member " + box.stream().memberId());
                }
                JitterStats s = statsOf(box, peer);
                if (s != null) {
                    System.out.println("stats " + line(capture.frames(), s, backend.xruns()));
                }
                if (++ticks % 10 == 0) {
                    System.out.println("status " + box.status());
                }
                System.out.flush();
            }
            System.out.println("status " + box.status());
            JitterStats s = statsOf(box, peer);
            System.out.println("final " + (s == null ? "none" : line(capture.frames(), s, backend.xruns())));
            write(capture.audio()[0], outDir.resolve(name + ".f32"));
            System.out.println("done");
            System.out.flush();
        } finally {
            box.close();
        }
    }

    private static JitterStats statsOf(Appliance box, String peer) {
        return box.members().members().stream().filter(m -> m.name().equals(peer) && m.stats() != null)
                .map(RoomMembers.Member::stats).findFirst().orElse(null);
    }

    /** key=value pairs, parsed by the test; {@code xruns}: periods this box's own clock ran late by a whole period. */
    private static String line(int frames, JitterStats s, long xruns) {
        return String.format(Locale.ROOT,
                "frames=%d depth=%d target=%d jitterUs=%d driftPpm=%.1f received=%d lost=%d concealed=%d late=%d"
                        + " duplicates=%d overruns=%d restarts=%d skipped=%d widened=%d dropouts=%d xruns=%d",
                frames, s.depthFrames, s.targetFrames, s.jitterMicros, s.driftPpm, s.received, s.lost, s.concealed,
                s.late, s.duplicates, s.overruns, s.restarts, s.skipped, s.widened, s.dropouts, xruns);
    }

    private static void write(float[] audio, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer b = ByteBuffer.allocate(audio.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(audio);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.write(b.array());
        }
        Files.move(tmp, file);
    }
}
