package jambox.appliance.hardware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.control.BadCommandException;
import jambox.appliance.control.ControlService;
import jambox.appliance.engine.Click;
import jambox.appliance.store.IoReason;
import jambox.appliance.store.JsonRules;
import jambox.common.AtomicFiles;
import jambox.common.midi.MidiLane;
import jambox.common.midi.MidiListener;
import jambox.common.midi.MidiPorts;
import jambox.midi.ClockFollower;
import jambox.midi.ClockPlanner;
import jambox.protocol.message.Tempo;

/**
 * The room's clock on MIDI: clock, start, stop, song position and continue on {@code midi out},
 * on the beat the player hears ({@link Click#beatLine}: the room's beat when in a room, the box's
 * own metronome alone), and, when the player chooses, an incoming clock on {@code midi in} that sets
 * the tempo and starts and stops the metronome.
 *
 * <p>The ticks are planned on the audio thread, at the end of each of the engine's periods, from
 * the click's beat line on the frame clock: the {@link ClockPlanner} queues the events of the next
 * {@link #AHEAD_PERIODS} periods on a lane of its own, and the next period's MIDI plays them at their
 * frames. Planned there, a tick is never late for want of a thread's wake-up on a busy machine (a
 * planning thread woken each millisecond was, here, by tens of milliseconds), and planning
 * allocates, locks and logs nothing. Incoming clock is heard on the MIDI delivery thread and turned
 * into commands for the control thread.
 *
 * <p>The settings ({@code send}, {@code follow}) are kept in {@code midi-clock.json} in the data
 * folder, apart from {@code midi.json}: that one is the learn map, which {@code midi.set} replaces
 * whole, and a clock setting must not vanish when the page saves the map.
 *
 * <p>No loop: while the box follows {@code midi-in} it sends no clock (a device that echoes its
 * input would otherwise set the tempo from the box's own ticks), and while it follows the room it
 * ignores incoming clock.
 */
public final class MidiClock implements ControlService.ClockEditor, Click.BeatFollower, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MidiClock.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String FILE = "midi-clock.json";
    /**
     * Periods planned ahead: the next one, whose MIDI is played at the start of its cycle, and one
     * more in case the next is longer (a new period size).
     */
    static final int AHEAD_PERIODS = 2;
    /** An incoming tempo this far from the box's is set; closer, it is the estimate's own wobble. */
    static final double RETEMPO_BPM = 0.1;

    /** What the box follows: the room's (or its own) beat, or a clock coming in on {@code midi in}. */
    public enum Follow {
        ROOM("room"), MIDI_IN("midi-in");

        final String json;

        Follow(String json) {
            this.json = json;
        }

        static Follow of(String json) {
            for (Follow f : values()) {
                if (f.json.equals(json)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** The player's choices: whether clock goes out, and what sets the tempo. */
    public record Settings(boolean send, Follow follow) {
        public static final Settings DEFAULT = new Settings(true, Follow.ROOM);

        /** Whether ticks go out: asked for, and not while following an incoming clock. */
        boolean sending() {
            return send && follow == Follow.ROOM;
        }
    }

    /** What an incoming clock changes; the box's own commands, in {@link #start}. */
    public interface Metronome {
        /** The tempo in use now; any thread. */
        double tempoBpm();

        /** Hands a tempo change in, without waiting for it. */
        void setTempo(double bpm);

        /** Hands a metronome start or stop in, without waiting for it. */
        void setRunning(boolean on);
    }

    private final Click click;
    private final MidiPorts ports;
    private final IntSupplier sampleRate;
    private final Metronome metronome;
    private final Path file;
    private final MidiLane lane;
    private volatile Settings settings;

    // ---- the audio thread ----
    private final ClockPlanner planner = new ClockPlanner();
    private final byte[] message = new byte[3];
    private final ClockPlanner.Out out = this::queue;
    private volatile boolean clocking;

    // ---- the MIDI delivery thread ----
    private final ClockFollower follower = new ClockFollower();
    private int sinceCheck;
    private volatile double incomingBpm = Double.NaN;
    private final MidiListener listener = this::received;

    /**
     * Starts the clock: its beat line comes from {@code click} on the frame clock of {@code ports}
     * (which it takes a lane of, and listens to). {@code settingsFolder} null: the settings are not
     * kept. Called once, by the thread that starts the box.
     */
    public MidiClock(Click click, MidiPorts ports, IntSupplier sampleRate, Metronome metronome, Path settingsFolder) {
        this.click = click;
        this.ports = ports;
        this.sampleRate = sampleRate;
        this.metronome = metronome;
        this.file = settingsFolder == null ? null : settingsFolder.toAbsolutePath().resolve(FILE);
        this.settings = restore();
        this.lane = ports.lane("clock");
        ports.addListener(listener);
        click.clockOn(ports::frameTime, this);
    }

    /** The clock for the box whose commands {@code control} runs, its settings kept in {@code dataFolder}. */
    public static MidiClock start(ControlService control, Click click, MidiPorts ports, IntSupplier sampleRate,
                                  Path dataFolder) {
        MidiClock clock = new MidiClock(click, ports, sampleRate, new Metronome() {
            @Override
            public double tempoBpm() {
                return control.tempoBpm();
            }

            @Override
            public void setTempo(double bpm) {
                run(JSON.createObjectNode().put("v", ControlService.VERSION).put("cmd", "tempo").put("bpm", bpm));
            }

            @Override
            public void setRunning(boolean on) {
                run(JSON.createObjectNode().put("v", ControlService.VERSION).put("cmd", "metronome").put("on", on));
            }

            private void run(ObjectNode command) {
                control.submit(command).whenComplete((reply, refused) -> {
                    if (refused != null) {
                        LOG.log(System.Logger.Level.WARNING, "the incoming MIDI clock's " + command + " was refused: "
                                + refused.getMessage());
                    }
                });
            }
        }, dataFolder);
        control.setMidiClock(clock);
        return clock;
    }

    /** The audio thread, after each period: plans the next periods' events. */
    @Override
    public void heard(ClockPlanner.Line line, long nextFrame, int frames) {
        planner.plan(line, settings.sending(), nextFrame, nextFrame + (long) AHEAD_PERIODS * frames, out);
        boolean now = planner.clocking();
        if (now != clocking) {
            clocking = now;
        }
    }

    private void queue(long frame, int length, int b0, int b1, int b2) {
        message[0] = (byte) b0;
        message[1] = (byte) b1;
        message[2] = (byte) b2;
        lane.send(frame, message, 0, length);
    }

    /** The MIDI delivery thread: an incoming clock's ticks, starts and stops, when the player follows it. */
    private void received(long frame, byte[] data, int length) {
        if (length != 1) {
            return; // clock, start, continue and stop are one byte each
        }
        if (settings.follow() != Follow.MIDI_IN) {
            if (follower.ticks() > 0) {
                follower.reset();
                incomingBpm = Double.NaN;
            }
            return;
        }
        switch (data[0] & 0xff) {
            case ClockPlanner.CLOCK -> tick(frame);
            case ClockPlanner.START, ClockPlanner.CONTINUE -> {
                follower.reset();
                incomingBpm = Double.NaN;
                metronome.setRunning(true);
            }
            case ClockPlanner.STOP -> metronome.setRunning(false);
            default -> { }
        }
    }

    private void tick(long frame) {
        int rate = sampleRate.getAsInt();
        if (rate <= 0) {
            return;
        }
        follower.tick(frame, rate);
        if (++sinceCheck < ClockPlanner.TICKS_PER_BEAT) {
            return; // a tempo is set at most once a beat
        }
        double bpm = follower.bpm(rate);
        if (Double.isNaN(bpm)) {
            return;
        }
        sinceCheck = 0;
        bpm = Math.round(bpm * 100) / 100.0;
        double before = incomingBpm;
        incomingBpm = bpm;
        // Two estimates a beat apart must agree: one that a stalled period bent is not set.
        if (Tempo.validBpm(bpm) && Math.abs(bpm - before) <= RETEMPO_BPM
                && Math.abs(bpm - metronome.tempoBpm()) > RETEMPO_BPM) {
            try {
                metronome.setTempo(bpm);
            } catch (RejectedExecutionException closing) {
                // the box is shutting down
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    /** {@code midi.clock}'s reply, on the control thread. */
    @Override
    public ObjectNode get() {
        Settings s = settings;
        ObjectNode o = JSON.createObjectNode();
        o.put("send", s.send()).put("follow", s.follow().json).put("sending", clocking);
        double in = incomingBpm;
        if (Double.isNaN(in)) {
            o.putNull("incomingBpm");
        } else {
            o.put("incomingBpm", in);
        }
        return o;
    }

    /** {@code midi.clock} with a change, on the control thread: null leaves that one as it is. */
    @Override
    public void set(Boolean send, String follow) throws BadCommandException {
        Settings s = settings;
        Follow f = s.follow();
        if (follow != null) {
            f = Follow.of(follow);
            if (f == null) {
                throw new BadCommandException("midi.clock.follow: \"" + follow + "\" is not one of room, midi-in");
            }
        }
        Settings next = new Settings(send == null ? s.send() : send, f);
        if (next.equals(s)) {
            return;
        }
        try {
            save(next);
        } catch (IOException e) {
            throw new BadCommandException("cannot save " + file + ": " + IoReason.of(e));
        }
        settings = next;
    }

    private void save(Settings s) throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.getParent());
        byte[] json = String.format(Locale.ROOT, "{\"version\": 1, \"send\": %s, \"follow\": \"%s\"}%n", s.send(),
                s.follow().json).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, f -> Files.write(f, json));
    }

    /** As saved; the defaults when nothing is, or when the file is bad (reported). */
    private Settings restore() {
        if (file == null || !Files.exists(file)) {
            return Settings.DEFAULT;
        }
        try {
            var root = JsonRules.parse(JsonRules.readFile(file));
            JsonRules.object(root, file.toString());
            JsonRules.only(root, file + ": ", Set.of("version", "send", "follow"));
            JsonRules.integer(root.get("version"), file + ": version", 1, 1);
            if (!root.path("send").isBoolean()) {
                throw new JsonRules.BadJsonException(file + ": send: expected true or false");
            }
            Follow f = Follow.of(JsonRules.text(root.get("follow"), file + ": follow"));
            if (f == null) {
                throw new JsonRules.BadJsonException(file + ": follow: expected \"room\" or \"midi-in\"");
            }
            return new Settings(root.get("send").booleanValue(), f);
        } catch (JsonRules.BadJsonException e) {
            String m = e.getMessage();
            LOG.log(System.Logger.Level.WARNING, (m.startsWith(file.toString()) ? m : file + ": " + m)
                    + "; the MIDI clock goes out and follows the room");
            return Settings.DEFAULT;
        }
    }

    @Override
    public void close() {
        click.clockOn(null, null);
        ports.removeListener(listener);
    }
}
