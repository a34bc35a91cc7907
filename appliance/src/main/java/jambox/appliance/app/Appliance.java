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
import jambox.stream.JitterStats;
import jambox.appliance.stream.MidiDownlink;
import jambox.appliance.stream.MidiUplink;
import jambox.appliance.stream.Packetizer;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamClient;
import jambox.appliance.stream.StreamConfig;
import jambox.common.midi.MidiPorts;
import jambox.protocol.Codec;
import jambox.protocol.Opus;

/**
 * The whole box, wired: an audio backend driving the {@link Engine}, whose post-pedal audio the
 * {@link Packetizer} cuts into packets for the {@link StreamClient}, whose received packets fill
 * the {@link RoomMembers}' jitter buffers, which the engine mixes. Without a room it plays alone.
 */
public final class Appliance implements AutoCloseable {
    private final AudioBackend backend;
    private final Engine engine;
    private final RoomMembers members;
    /** The room connection; swapped whole by {@link #join} and {@link #leave}, null when alone. */
    private volatile Connection connection;
    /** The room last joined, kept after leaving it: the page's join form keeps showing it. */
    private volatile StreamConfig lastRoom;
    private final List<Runnable> roomListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private record Connection(StreamConfig room, Packetizer packetizer, StreamClient stream, MidiUplink midi) {
    }

    private Appliance(AudioBackend backend, Engine engine, RoomMembers members) {
        this.backend = backend;
        this.engine = engine;
        this.members = members;
        members.onRosterChange(this::roomChanged);
    }

    /**
     * {@code listener} hears when the room's facts change by themselves, not by a command: a join
     * succeeds or is refused, the server stops answering, someone comes or goes. It is called on a
     * network thread and must return at once (hand the news to another thread).
     */
    public void onRoomChange(Runnable listener) {
        roomListeners.add(listener);
    }

    private void roomChanged() {
        for (Runnable r : roomListeners) {
            r.run();
        }
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
        AudioBackend backend = starter.start(engine);
        MidiPorts midi = backend.midi();
        members.playMidi(new MidiDownlink(midi.lane("room"), midi::frameTime, backend::periodFrames,
                () -> engine.limiter().latencySamples()), midi::frameTime);
        Appliance a = new Appliance(backend, engine, members);
        if (config.room() != null) {
            try {
                a.join(config.room());
            } catch (IOException e) {
                a.close();
                throw e;
            }
        }
        return a;
    }

    /**
     * Joins {@code room}, leaving the current one first; the box keeps joining by itself until the
     * server answers. Control threads only; calls are serialised.
     */
    public synchronized void join(StreamConfig room) throws IOException {
        leave();
        MidiPorts midi = backend.midi();
        Packetizer packetizer = new Packetizer(room.labels().size(), room.frames(), midi::frameTime);
        StreamClient stream = new StreamClient(room, packetizer, members);
        MidiUplink midiUplink = new MidiUplink(packetizer, this::boardLatency);
        stream.sendMidi(midiUplink);
        stream.sendMixTable(this::mixTable);
        midi.addListener(midiUplink);
        stream.onStandingChange(this::roomChanged);
        stream.onBeat(engine.click()::follow);
        stream.start();
        engine.setUplink(packetizer);
        connection = new Connection(room, packetizer, stream, midiUplink);
        lastRoom = room;
    }

    /**
     * This box's strips for the others as a MIX table, for a mix room's server: only the strips
     * away from 0 dB, unmuted, centred (the server's default for an unlisted one). Sending thread.
     */
    private jambox.protocol.message.MixStrips mixTable() {
        jambox.appliance.engine.Mixer mixer = engine.mixer();
        java.util.List<jambox.protocol.message.MixStrips.Strip> strips = new java.util.ArrayList<>();
        for (int slot = 0; slot < jambox.appliance.engine.Mixer.MAX_MEMBERS; slot++) {
            for (int c = 0; c < 2; c++) {
                jambox.appliance.engine.Strip st = mixer.member(slot, c);
                jambox.protocol.message.MixStrips.Strip entry = jambox.protocol.message.MixStrips.Strip.of(slot + 1, c,
                        Math.max(-120, Math.min(12, st.gainDb())), st.mute(), st.pan());
                if (entry.centiDb() != 0 || entry.mute() || entry.pan() != 0) {
                    strips.add(entry);
                }
            }
        }
        return new jambox.protocol.message.MixStrips(strips);
    }

    /** Leaves the room (if any) and plays alone. */
    public synchronized void leave() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        connection = null;
        backend.midi().removeListener(c.midi());
        engine.setUplink(null);
        c.stream().close();
        members.reset();
    }

    /**
     * The samples the boards delay the sound by, the slower channel's: the audio of a moment reaches
     * the room that much after its MIDI came in, so the MIDI is stamped that much later too.
     */
    private long boardLatency() {
        double slowest = 0;
        for (int c = 0; c < AudioBackend.CHANNELS; c++) {
            jambox.dsp.Board b = engine.runningBoard(c);
            slowest = Math.max(slowest, b == null ? 0 : b.latencySamples());
        }
        return Math.round(slowest);
    }

    /** The room's MIDI this box sends, or null when playing alone. */
    public MidiUplink midiUplink() {
        Connection c = connection;
        return c == null ? null : c.midi();
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
        Connection c = connection;
        return c == null ? null : c.stream();
    }

    /** ", sending Opus 128 kbit/s (+2.5 ms for the others)" when this box codes what it sends; nothing in PCM. */
    private static String sending(StreamConfig config) {
        if (config.codec() != Codec.OPUS) {
            return "";
        }
        return String.format(Locale.ROOT, ", sending Opus %d kbit/s (+%.1f ms for the others)",
                config.opusBitrate() / 1000, 1000.0 * Opus.DELAY_FRAMES / Opus.SAMPLE_RATE);
    }

    /** One line of how the box is doing, for the log and the terminal. */
    public String status() {
        StringJoiner line = new StringJoiner(" | ");
        line.add(backend.describe() + (backend.running() ? "" : " (waiting for audio)") + ", xruns " + backend.xruns());
        line.add(String.format(Locale.ROOT, "in %s/%s, out %s/%s dBFS peak", db(engine.inputMeter(0)),
                db(engine.inputMeter(1)), db(engine.outputMeter(0)), db(engine.outputMeter(1))));
        Connection c = connection;
        if (c == null) {
            line.add("no room: playing alone");
            return line.toString();
        }
        StreamClient stream = c.stream();
        long rtt = stream.rttMicros();
        line.add(stream.state() + (rtt >= 0 ? String.format(Locale.ROOT, ", rtt %.1f ms", rtt / 1000.0) : "")
                + sending(stream.config())
                + problem(c.packetizer().dropped(), "packets not sent") + problem(stream.sendFailures(), "send failures")
                + problem(stream.rejected(), "packets rejected") + problem(members.ignored(), "from unknown members")
                + midiFigures(c.midi()));
        List<RoomMembers.Member> others = members.members().stream().filter(m -> m.id() != stream.memberId()).toList();
        for (RoomMembers.Member m : others) {
            JitterStats s = m.stats();
            line.add(s == null ? m.name() + ": silent"
                    : String.format(Locale.ROOT, "%s: depth %d/%d fr, lost %d, concealed %d, late %d, drift %+.0f ppm",
                            m.name(), s.depthFrames, s.targetFrames, s.lost, s.concealed, s.late, s.driftPpm)
                            + problem(s.recovered, "recovered") + problem(s.dropouts, "dropouts"));
        }
        return line.toString();
    }

    /** ", MIDI 12 sent, 40 received (1 late, 3 recovered)" once any MIDI went either way; else nothing. */
    private String midiFigures(MidiUplink up) {
        MidiDownlink down = members.midi();
        MidiDownlink.Counters in = down == null ? null : down.counters();
        long received = in == null ? 0 : in.received();
        if (up.sent() == 0 && received == 0) {
            return "";
        }
        return String.format(Locale.ROOT, ", MIDI %d sent, %d received (%d late, %d recovered)", up.sent(), received,
                in == null ? 0 : in.late(), in == null ? 0 : in.recovered());
    }

    /** ", 3 packets rejected" when something went wrong, nothing when all is well. */
    private static String problem(long count, String what) {
        return count > 0 ? ", " + count + " " + what : "";
    }

    private static String db(Meter m) {
        double d = Meter.dbfs(m.peak());
        return d < -99 ? "-inf" : String.format(Locale.ROOT, "%.1f", d);
    }

    /** The room joined most recently, also after leaving it; null when the box has joined none since it started. */
    public StreamConfig lastRoom() {
        return lastRoom;
    }

    /** The room joined (or being joined), or null when playing alone. */
    public StreamConfig room() {
        Connection c = connection;
        return c == null ? null : c.room();
    }

    @Override
    public void close() {
        leave();
        backend.close();
    }
}
