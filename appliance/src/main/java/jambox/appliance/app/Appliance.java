package jambox.appliance.app;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.AudioException;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.engine.Engine;
import jambox.appliance.engine.Meter;
import jambox.appliance.stream.JitterStats;
import jambox.appliance.stream.Packetizer;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamClient;
import jambox.appliance.stream.StreamConfig;

/**
 * The whole box, wired: an audio backend driving the {@link Engine}, whose post-pedal audio the
 * {@link Packetizer} cuts into packets for the {@link StreamClient}, whose received packets fill
 * the {@link RoomMembers}' jitter buffers, which the engine mixes. Without a room it plays alone.
 */
public final class Appliance implements AutoCloseable {
    private final AudioBackend backend;
    private final Engine engine;
    private final RoomMembers members;
    private final Packetizer packetizer;
    private final StreamClient stream;
    private final StreamConfig room;

    private Appliance(AudioBackend backend, Engine engine, RoomMembers members, Packetizer packetizer,
                      StreamClient stream, StreamConfig room) {
        this.backend = backend;
        this.engine = engine;
        this.members = members;
        this.packetizer = packetizer;
        this.stream = stream;
        this.room = room;
    }

    /** Starts an audio backend for the engine: how depends on the config ({@link Backends}). */
    @FunctionalInterface
    public interface BackendStarter {
        AudioBackend start(Engine engine) throws AudioException;
    }

    /** Starts the audio on {@code backend} and, when the config names a room, joins it. */
    public static Appliance start(ApplianceConfig config, BoardSpec board, AudioBackend backend)
            throws AudioException, IOException {
        return start(config, board, engine -> {
            backend.start(engine);
            return backend;
        });
    }

    /** Starts the audio with {@code starter} and, when the config names a room, joins it. */
    public static Appliance start(ApplianceConfig config, BoardSpec board, BackendStarter starter)
            throws AudioException, IOException {
        Engine engine = new Engine(board);
        RoomMembers members = new RoomMembers(engine);
        members.setDepth(config.jitter().auto(), config.jitter().periods());
        StreamConfig room = config.room();
        Packetizer packetizer = null;
        StreamClient stream = null;
        if (room != null) {
            packetizer = new Packetizer(room.labels().size(), room.frames());
            stream = new StreamClient(room, packetizer, members);
            engine.setUplink(packetizer);
        }
        AudioBackend backend = starter.start(engine);
        Appliance a = new Appliance(backend, engine, members, packetizer, stream, room);
        if (stream != null) {
            try {
                stream.start();
            } catch (IOException e) {
                a.close();
                throw e;
            }
        }
        return a;
    }

    public Engine engine() {
        return engine;
    }

    public AudioBackend backend() {
        return backend;
    }

    public RoomMembers members() {
        return members;
    }

    /** Null when playing alone. */
    public StreamClient stream() {
        return stream;
    }

    /** One line of how the box is doing, for the log and the terminal. */
    public String status() {
        StringJoiner line = new StringJoiner(" | ");
        line.add(backend.describe() + (backend.running() ? "" : " (waiting for audio)") + ", xruns " + backend.xruns());
        line.add(String.format(Locale.ROOT, "in %s/%s, out %s/%s dBFS peak", db(engine.inputMeter(0)),
                db(engine.inputMeter(1)), db(engine.outputMeter(0)), db(engine.outputMeter(1))));
        if (stream == null) {
            line.add("no room: playing alone");
            return line.toString();
        }
        long rtt = stream.rttMicros();
        line.add(stream.state() + (rtt >= 0 ? String.format(Locale.ROOT, ", rtt %.1f ms", rtt / 1000.0) : "")
                + problem(packetizer.dropped(), "packets not sent") + problem(stream.sendFailures(), "send failures")
                + problem(stream.rejected(), "packets rejected") + problem(members.ignored(), "from unknown members"));
        List<RoomMembers.Member> others = members.members().stream().filter(m -> m.id() != stream.memberId()).toList();
        for (RoomMembers.Member m : others) {
            JitterStats s = m.stats();
            line.add(s == null ? m.name() + ": silent"
                    : String.format(Locale.ROOT, "%s: depth %d/%d fr, lost %d, concealed %d, late %d, drift %+.0f ppm",
                            m.name(), s.depthFrames, s.targetFrames, s.lost, s.concealed, s.late, s.driftPpm));
        }
        return line.toString();
    }

    /** ", 3 packets rejected" when something went wrong, nothing when all is well. */
    private static String problem(long count, String what) {
        return count > 0 ? ", " + count + " " + what : "";
    }

    private static String db(Meter m) {
        double d = Meter.dbfs(m.peak());
        return d < -99 ? "-inf" : String.format(Locale.ROOT, "%.1f", d);
    }

    public StreamConfig room() {
        return room;
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
        backend.close();
    }
}
