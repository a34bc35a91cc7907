package jambox.appliance.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.audio.AudioInterface;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.engine.Engine;
import jambox.appliance.engine.Limiter;
import jambox.appliance.engine.Meter;
import jambox.appliance.engine.Mixer;
import jambox.appliance.engine.Strip;
import jambox.appliance.ir.IrLibrary;
import jambox.appliance.ir.IrRefused;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.record.LocalRecorder;
import jambox.appliance.stream.ServerMeters;
import jambox.appliance.stream.StreamConfig;
import jambox.dsp.ir.IrBank;
import jambox.dsp.tuner.Tuner;
import jambox.protocol.message.Tempo;

/**
 * The one way to change the box (DESIGN.md, Control): the page, the knobs and later MIDI hand it
 * commands as JSON; it checks each whole, applies it, and tells every listener the new state.
 *
 * <p>Threads. Every command runs on one control thread, {@code jambox-control}, which this
 * service owns: one at a time, in the order they were handed in, whichever surface sent them.
 * Surfaces never wait for it: the page and the knobs hand their work over with {@link #submit} or
 * {@link #execute} and return at once, and read values back from the published {@link #snapshot()}.
 * A command may take a while on that thread (a pedal removed fades out first, up to half a
 * second); nothing else waits for it but the commands queued behind. {@link #handle} is for
 * callers that do want to wait (tests, tools). None of it runs on the audio thread.
 */
public final class ControlService implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final int VERSION = 1;
    /**
     * A clip is named in this many meters pushes (half a second): a page that reads slowly skips
     * frames, and must not miss the one that said a meter clipped.
     */
    static final int CLIP_HOLD_PUSHES = 10;
    /** How long {@link #close} lets the commands already queued run before it refuses the rest. */
    static final long CLOSE_WAIT_MILLIS = 5000;

    /**
     * What the control side needs beyond the box: how to join a room from the page (codec, frames
     * and labels come from here), where takes are recorded, the presets, and where the board is
     * autosaved after every change (null: nowhere), and the uploaded impulse responses (null: the
     * box keeps none, and the {@code ir.*} commands and uploads say so).
     */
    public record Options(StreamConfig roomTemplate, Path recordings, PresetStore presets, LastState lastState,
                          IrLibrary irs) {
        /** Without an IR library. */
        public Options(StreamConfig roomTemplate, Path recordings, PresetStore presets, LastState lastState) {
            this(roomTemplate, recordings, presets, lastState, null);
        }
    }

    private final Appliance box;
    private final Engine engine;
    private final Options options;
    private final BoardCommands board;
    private final PresetCommands presets;
    private final Recordings takes;
    private final TapTempo tap = new TapTempo();
    private final List<Consumer<ObjectNode>> listeners = new CopyOnWriteArrayList<>();
    /** Meter key to how many more pushes name its clip. */
    private final Map<String, Integer> clipHold = new HashMap<>();
    private volatile HardwareEditor hardware;
    private volatile MidiEditor midi;
    private volatile ClockEditor midiClock;
    /** The card JACK runs on as the probe said; null when JACK was not started by jambox-jack. */
    private volatile AudioInterface audioInterface;
    /** The config's mistake, when the box started on its built-in settings because of it; else null. */
    private volatile String configError;
    /** Written under the lock; read without it by the pushes, which must never wait on a command. */
    private volatile Tuner tuner;
    private LocalRecorder recorder;
    private Path recording;
    /**
     * The control thread: every command, every surface's intent and the room's news run here, one
     * after another. Unbounded, but what comes in fast is bounded before it gets here: a page by
     * its rate limit, a pot by coalescing (the hardware bridge keeps one pending position per knob).
     */
    private final ExecutorService control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "jambox-control");
                t.setDaemon(true);
                controlThread = t;
                return t;
            });
    private volatile Thread controlThread;
    /** What surfaces read back; replaced by the control thread after every change. */
    private volatile Snapshot snapshot;
    private final AtomicBoolean newsWaiting = new AtomicBoolean();
    private boolean closed;
    /** The metronome as set here (the room's tempo and bar lead when it has them); written under the lock. */
    private volatile LastState.Metronome metronome = LastState.Metronome.DEFAULT;

    /** Any thread; the control thread starts with the first command. */
    public ControlService(Appliance box, Options options) {
        this.box = box;
        this.engine = box.engine();
        this.options = options;
        this.board = new BoardCommands(engine);
        this.presets = new PresetCommands(options.presets(), engine);
        this.takes = new Recordings(options.recordings());
        box.onRoomChange(this::news);
        if (options.lastState() != null) {
            options.lastState().restoreMetronome().ifPresent(m -> metronome = m);
        }
        applyMetronome(metronome);
        snapshot = Snapshot.of(engine, presets.current(), false);
    }

    /**
     * News from outside the commands (the room's, a MIDI learn done or given up), any thread: returns
     * at once; the state goes out from the control thread, in turn with the commands (a join closing
     * the old stream waits for that stream's thread, which brings news here: it must not wait for
     * the join). A burst makes one push.
     */
    public void news() {
        if (newsWaiting.compareAndSet(false, true)) {
            try {
                control.execute(() -> {
                    newsWaiting.set(false);
                    publish();
                });
            } catch (RejectedExecutionException closing) {
                newsWaiting.set(false);
            }
        }
    }

    /** Control thread: tells every listener the state as it is now, in turn with the commands' own changes. */
    private synchronized void publish() {
        if (closed) {
            return;
        }
        snapshot = Snapshot.of(engine, presets.current(), tuner != null);
        ObjectNode state = state();
        for (Consumer<ObjectNode> l : listeners) {
            try {
                l.accept(state);
            } catch (RuntimeException e) { // a page server shutting down: the next listener still hears
                System.getLogger(ControlService.class.getName()).log(System.Logger.Level.DEBUG, "room news not delivered", e);
            }
        }
    }

    /**
     * The hardware map as the page edits it: what {@code hardware.get} shows and {@code hardware.set}
     * replaces. Both are called on the control thread, as commands.
     */
    public interface HardwareEditor {
        ObjectNode get();

        void set(JsonNode map) throws BadCommandException;
    }

    /** Any thread; the next {@code hardware.get} or {@code hardware.set} uses it. */
    public void setHardwareEditor(HardwareEditor editor) {
        hardware = editor;
    }

    /**
     * The MIDI map as the page edits it: {@code midi.get}, {@code midi.set} and {@code midi.learn}.
     * All three are called on the control thread, as commands.
     */
    public interface MidiEditor {
        ObjectNode get();

        void set(JsonNode map) throws BadCommandException;

        /** Arms learn for {@code target} (a target object as in midi.json) for {@code seconds}; null: cancels it. */
        void learn(JsonNode target, int seconds) throws BadCommandException;

        /** {@code midi} in the state; any thread, never waits. */
        ObjectNode state();

        /** How many messages the map has read; any thread. It moves: {@link #activity()} has news. */
        long heard();

        /** The last message received and the count, for the page's live line; any thread. */
        ObjectNode activity();
    }

    /** Any thread; the next {@code midi.*} command uses it. */
    public void setMidiEditor(MidiEditor editor) {
        midi = editor;
    }

    /** The room's clock on MIDI as the page sets it: {@code midi.clock}, on the control thread. */
    public interface ClockEditor {
        /** The settings and what the clock does now. */
        ObjectNode get();

        /** Changes what is not null, after checking all of it; a wrong value changes nothing. */
        void set(Boolean send, String follow) throws BadCommandException;
    }

    /** Any thread; the next {@code midi.clock} command uses it. */
    public void setMidiClock(ClockEditor clock) {
        midiClock = clock;
    }

    /**
     * The sound card JACK runs on, as {@code jambox jack-probe} last said (null: JACK was not
     * started by it, as on a laptop); any thread. The page shows its problem, the status LED its
     * absence.
     */
    public void setAudioInterface(AudioInterface a) {
        audioInterface = a;
    }

    /** Any thread: the card set last, or null. */
    public AudioInterface audioInterface() {
        return audioInterface;
    }

    /**
     * The mistake in the config that made the box start on its built-in settings (null: none), for
     * the page to show; any thread.
     */
    public void setConfigError(String message) {
        configError = message;
    }

    /**
     * {@code listener} gets the full state after every change, on the control thread (after the
     * {@link #snapshot()} has been replaced); it must not block. Any thread may add one.
     */
    public void onChange(Consumer<ObjectNode> listener) {
        listeners.add(listener);
    }

    /**
     * Every command {@link #handle} carries out; docs/control-api.md lists the same ones (a test holds
     * the two to each other). A name not here is refused before anything runs.
     */
    public static final List<String> COMMANDS = List.of(
            "state",
            "set",
            "bypass",
            "insert",
            "remove",
            "move",
            "preset.list",
            "preset.load",
            "preset.save",
            "preset.rename",
            "preset.delete",
            "preset.restoreFactory",
            "preset.import",
            "preset.export",
            "mixer.member",
            "mixer.self",
            "mixer.input",
            "mixer.master",
            "limiter",
            "room.join",
            "room.leave",
            "tuner",
            "record",
            "recordings",
            "ir.list",
            "ir.clear",
            "tempo",
            "metronome",
            "tap",
            "looper",
            "hardware.get",
            "hardware.set",
            "midi.get",
            "midi.set",
            "midi.learn",
            "midi.clock",
            "system");

    /**
     * Carries out one command ({@code {"v": 1, "cmd": ..., ...}}) and returns the reply's extra
     * fields (often none), waiting for it: on the control thread it runs at once; from any other
     * thread it joins the queue and this thread waits for its turn and its end (tests, tools; a
     * surface uses {@link #submit} instead).
     *
     * @throws BadCommandException when the command is malformed or cannot be done (nothing
     *                             changed), the box is shutting down, or the wait was interrupted
     */
    public ObjectNode handle(JsonNode command) throws BadCommandException {
        return handle(command, System.nanoTime());
    }

    /**
     * As {@link #handle(JsonNode)}, for a command a surface took in at {@code handedInNanos}
     * ({@link System#nanoTime()}) and carries out later, from an intent on the control thread: a
     * {@code tap} counts from then, so a tap pressed while a preset change held the thread still
     * keeps the player's beat.
     */
    public ObjectNode handle(JsonNode command, long handedInNanos) throws BadCommandException {
        if (onControlThread()) {
            return run(command, handedInNanos);
        }
        try {
            return submit(command, handedInNanos).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadCommandException("interrupted while waiting for the command to run");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BadCommandException bad) {
                throw bad;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Hands one command to the control thread and returns at once; any thread. The future completes
     * on the control thread with the reply's extra fields, or with the {@link BadCommandException}
     * that refused it (also "the box is shutting down" when the service is closing and the command
     * did not run).
     */
    public CompletableFuture<ObjectNode> submit(JsonNode command) {
        return submit(command, System.nanoTime());
    }

    private CompletableFuture<ObjectNode> submit(JsonNode command, long handedInNanos) {
        Job job = new Job(command, handedInNanos);
        try {
            control.execute(job);
        } catch (RejectedExecutionException closing) {
            job.refuse();
        }
        return job.reply;
    }

    /**
     * Runs {@code task} on the control thread, after everything handed in before it, and returns at
     * once; any thread. For a surface's intent that must read the state as it is when its turn
     * comes (a toggle, a step) and then carry out commands with {@link #handle}, which runs them at
     * once there. An exception it throws is logged and the thread goes on.
     *
     * @throws RejectedExecutionException when the service is closed
     */
    public void execute(Runnable task) {
        control.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                System.getLogger(ControlService.class.getName()).log(System.Logger.Level.ERROR,
                        "a task on the control thread failed", e);
            }
        });
    }

    /** Whether the calling thread is the control thread. */
    private boolean onControlThread() {
        return Thread.currentThread() == controlThread;
    }

    /**
     * The values surfaces read back, as the last change left them; any thread, never waits. On the
     * control thread it is exact: every change made there has replaced it before the next task runs.
     */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** A command handed in to run on the control thread, answered through its future. */
    private final class Job implements Runnable {
        final JsonNode command;
        final long handedInNanos;
        final CompletableFuture<ObjectNode> reply = new CompletableFuture<>();

        Job(JsonNode command, long handedInNanos) {
            this.command = command;
            this.handedInNanos = handedInNanos;
        }

        @Override
        public void run() {
            try {
                reply.complete(ControlService.this.run(command, handedInNanos));
            } catch (BadCommandException | RuntimeException e) {
                reply.completeExceptionally(e);
            } catch (Error e) { // the caller waiting in handle() hears of it too
                reply.completeExceptionally(e);
                throw e;
            }
        }

        void refuse() {
            reply.completeExceptionally(new BadCommandException("the box is shutting down"));
        }
    }

    /**
     * Control thread: checks and carries out one command, then tells the listeners. It was handed
     * in at {@code handedInNanos}: what counts time (tap tempo) counts from then, not from its turn.
     */
    private ObjectNode run(JsonNode command, long handedInNanos) throws BadCommandException {
        if (command == null || !command.isObject()) {
            throw new BadCommandException("a command is a JSON object");
        }
        JsonNode v = command.get("v");
        if (v == null || !v.isInt() || v.intValue() != VERSION) {
            throw new BadCommandException("expected \"v\": " + VERSION + ", found " + v);
        }
        JsonNode c = command.get("cmd");
        if (c == null || !c.isTextual()) {
            throw new BadCommandException("a command needs \"cmd\"");
        }
        String cmd = c.textValue();
        if (!COMMANDS.contains(cmd)) {
            throw new BadCommandException("unknown command '" + cmd + "'");
        }
        Args a = new Args(cmd, command);
        ObjectNode reply = JSON.createObjectNode();
        synchronized (this) {
            BoardSpec before = engine.board();
            boolean changed = apply(cmd, a, reply, handedInNanos);
            if (options.lastState() != null && engine.board() != before) {
                options.lastState().changed(engine.board());
            }
            if (changed) {
                snapshot = Snapshot.of(engine, presets.current(), tuner != null);
                ObjectNode state = state();
                for (Consumer<ObjectNode> l : listeners) {
                    l.accept(state);
                }
            }
        }
        return reply;
    }

    /** Returns whether the state changed. */
    private boolean apply(String cmd, Args a, ObjectNode reply, long handedInNanos) throws BadCommandException {
        switch (cmd) {
            case "state" -> {
                a.only();
                reply.set("state", state());
                return false;
            }
            case "set" -> edited(() -> board.set(a));
            case "bypass" -> edited(() -> board.bypass(a));
            case "insert" -> edited(() -> board.insert(a));
            case "remove" -> edited(() -> board.remove(a));
            case "move" -> edited(() -> board.move(a));
            case "preset.list" -> {
                presets.list(a, reply);
                return false;
            }
            case "preset.load" -> presets.load(a);
            case "preset.save" -> presets.save(a);
            case "preset.rename" -> presets.rename(a);
            case "preset.delete" -> presets.delete(a);
            case "preset.restoreFactory" -> presets.restoreFactory(a, reply);
            case "preset.import" -> presets.importPreset(a, reply);
            case "preset.export" -> {
                presets.export(a, reply);
                return false;
            }
            case "mixer.member" -> {
                a.only("member", "channel", "gainDb", "mute", "pan");
                strip(engine.mixer().member(a.integer("member", 1, Mixer.MAX_MEMBERS) - 1, a.integer("channel", 0, 1)), a);
            }
            case "mixer.self" -> {
                a.only("channel", "gainDb", "mute", "pan");
                strip(engine.mixer().self(a.integer("channel", 0, 1)), a);
            }
            case "mixer.input" -> {
                a.only("channel", "gainDb");
                int channel = a.integer("channel", 0, 1);
                checked(() -> engine.setInputGainDb(channel, a.number("gainDb")));
            }
            case "mixer.master" -> {
                a.only("gainDb");
                double db = a.number("gainDb");
                checked(() -> engine.mixer().setMasterDb(db));
            }
            case "limiter" -> engine.limiter().setOn(a.only("on").bool("on"));
            case "room.join" -> join(a.only("host", "port", "room", "secret", "name"));
            case "room.leave" -> {
                a.only();
                box.leave();
            }
            case "tuner" -> tuner(a.only("on", "mute"));
            case "record" -> record(a.only("on", "countIn"));
            case "recordings" -> {
                a.only();
                takes.list(reply, recorder != null ? recording : null);
                return false;
            }
            case "ir.list" -> {
                a.only();
                IrLibrary irs = irLibrary();
                reply.set("slots", irs.describeAll());
                ArrayNode problems = reply.putArray("problems");
                for (IrLibrary.Problem p : irs.problems()) {
                    problems.addObject().put("slot", p.slot()).put("file", p.file().toString()).put("reason", p.reason());
                }
                reply.put("maxBytes", IrLibrary.MAX_FILE_BYTES);
                reply.put("upload", IrUpload.PREFIX + "{slot}?key=" + takes.key());
                return false;
            }
            case "ir.clear" -> {
                a.only("slot");
                int slot = a.integer("slot", 1, IrBank.USER_SLOTS);
                try {
                    irLibrary().clear(slot);
                } catch (IrRefused e) {
                    throw new BadCommandException("ir.clear: " + e.getMessage());
                }
            }
            case "tempo" -> {
                a.only("bpm");
                setTempo(a.number("bpm"));
            }
            case "metronome" -> metronome(a.only("on", "beatsPerBar", "levelDb", "accentDb"));
            case "tap" -> {
                a.only();
                double bpm = tap.tap(handedInNanos);
                if (Double.isNaN(bpm)) {
                    reply.put("taps", tap.taps());
                    return false;
                }
                setTempo(bpm);
            }
            case "looper" -> {
                Loopers.act(engine, a.only("action").text("action", 16));
                // The looper changes state on the audio thread, from the next period (or the next
                // bar line): the meters push carries it, not this command's state push.
                return false;
            }
            case "hardware.get" -> {
                a.only();
                reply.set("hardware", hardwareEditor().get());
                return false;
            }
            case "hardware.set" -> {
                a.only("map");
                hardwareEditor().set(a.raw("map"));
                return false;
            }
            case "midi.get" -> {
                a.only();
                reply.set("midi", midiEditor().get());
                return false;
            }
            case "midi.set" -> {
                a.only("map");
                midiEditor().set(a.raw("map"));
            }
            case "midi.learn" -> {
                a.only("target", "seconds", "cancel");
                if (a.has("cancel") && a.bool("cancel")) {
                    if (a.has("target")) {
                        throw new BadCommandException("midi.learn: either \"target\" or \"cancel\", not both");
                    }
                    midiEditor().learn(null, 0);
                } else {
                    midiEditor().learn(a.raw("target"), a.has("seconds") ? a.integer("seconds", 1, 300) : 30);
                }
            }
            case "midi.clock" -> {
                a.only("send", "follow");
                ClockEditor clock = midiClock;
                if (clock == null) {
                    throw new BadCommandException("this box runs without a MIDI clock");
                }
                clock.set(a.has("send") ? a.bool("send") : null, a.has("follow") ? a.text("follow", 20) : null);
                reply.set("clock", clock.get());
                return a.has("send") || a.has("follow"); // every page shows the clock's settings
            }
            case "system" -> {
                a.only();
                reply.set("system", SystemInfo.of(box, audioInterface, configError));
                return false;
            }
            default -> throw new IllegalStateException("'" + cmd + "' is in COMMANDS but has no case");
        }
        return true;
    }

    private void edited(Change boardEdit) throws BadCommandException {
        boardEdit.run();
        presets.boardEdited();
    }

    private HardwareEditor hardwareEditor() throws BadCommandException {
        HardwareEditor h = hardware;
        if (h == null) {
            throw new BadCommandException("this box runs without a hardware map");
        }
        return h;
    }

    private MidiEditor midiEditor() throws BadCommandException {
        MidiEditor m = midi;
        if (m == null) {
            throw new BadCommandException("this box runs without a MIDI map");
        }
        return m;
    }

    private interface Change {
        void run() throws BadCommandException;
    }

    /** Runs a change whose setter checks its own range, turning its complaint into a command error. */
    private static void checked(Change change) throws BadCommandException {
        try {
            change.run();
        } catch (IllegalArgumentException e) {
            throw new BadCommandException(e.getMessage());
        }
    }

    private static void strip(Strip s, Args a) throws BadCommandException {
        // Read all first: a bad field must not leave the others half-applied.
        Double gain = a.has("gainDb") ? a.number("gainDb") : null;
        Boolean mute = a.has("mute") ? a.bool("mute") : null;
        Double pan = a.has("pan") ? a.number("pan") : null;
        if (gain != null && !(gain >= -120 && gain <= 12)) {
            throw new BadCommandException("gainDb " + gain + " is outside -120 .. 12");
        }
        if (pan != null && !(pan >= -1 && pan <= 1)) {
            throw new BadCommandException("pan " + pan + " is outside -1 .. 1");
        }
        if (gain == null && mute == null && pan == null) {
            throw new BadCommandException("nothing to change: give gainDb, mute or pan");
        }
        checked(() -> {
            if (gain != null) {
                s.setGainDb(gain);
            }
            if (mute != null) {
                s.setMute(mute);
            }
            if (pan != null) {
                s.setPan(pan);
            }
        });
    }

    private void join(Args a) throws BadCommandException {
        StreamConfig t = options.roomTemplate();
        StreamConfig room;
        try {
            room = new StreamConfig(a.text("host", 253), a.integer("port", 1, 65535), a.text("room", 64),
                    a.text("secret", 256), a.text("name", 64), t.labels(), t.codec(), t.frames(),
                    t.opusBitrate(), t.redundancy());
        } catch (IllegalArgumentException e) {
            throw new BadCommandException(e.getMessage());
        }
        // A mistyped host is found before the room being played in is left: bad input changes nothing.
        if (new java.net.InetSocketAddress(room.host(), room.port()).isUnresolved()) {
            throw new BadCommandException("cannot find the room server '" + room.host() + "': check the host");
        }
        try {
            box.join(room);
        } catch (IOException e) {
            throw new BadCommandException("cannot reach " + room.host() + ":" + room.port() + ": " + e.getMessage());
        }
    }

    private void tuner(Args a) throws BadCommandException {
        boolean on = a.bool("on");
        boolean mute = a.has("mute") && a.bool("mute");
        if (on && tuner == null) {
            Tuner t = (Tuner) Tuner.TYPE.create();
            t.prepare(Math.max(8000, engine.sampleRate()), Engine.MAX_FRAMES);
            t.start();
            engine.setTuner(t);
            tuner = t;
        } else if (!on && tuner != null) {
            engine.setTuner(null);
            stopTuner();
        }
        engine.setTunerMute(on && mute);
    }

    private void stopTuner() {
        try {
            tuner.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tuner = null;
    }

    /**
     * The tuner's latest reading, or null when it is off; any thread, never waits (the event loop
     * asks 15 times a second, while a command may be busy with a pedal's fade).
     */
    public ObjectNode tunerReading() {
        Tuner t = tuner;
        if (t == null) {
            return null;
        }
        var r = t.reading();
        ObjectNode n = JSON.createObjectNode();
        if (r.pitched()) {
            n.put("hz", Math.round(r.hz() * 100) / 100.0).put("note", r.note()).put("cents", Math.round(r.cents() * 10) / 10.0);
        } else {
            n.putNull("hz").putNull("note").putNull("cents");
        }
        return n;
    }

    private void record(Args a) throws BadCommandException {
        boolean on = a.bool("on");
        boolean countIn = a.has("countIn") && a.bool("countIn");
        if (countIn && !on) {
            throw new BadCommandException("record.countIn goes with \"on\": true");
        }
        if (on && recorder == null) {
            Path folder = options.recordings().resolve("take-" + System.currentTimeMillis());
            try {
                Files.createDirectories(folder);
                recorder = new LocalRecorder(folder, engine.sampleRate());
            } catch (IOException e) {
                throw new BadCommandException("cannot record into " + folder + ": " + e.getMessage());
            }
            recording = folder;
            if (countIn) {
                engine.click().countIn(); // before the recorder: it must find the count-in running
            }
            engine.setRecorder(recorder);
        } else if (!on && recorder != null) {
            engine.setRecorder(null);
            recorder.close();
            recorder = null;
        }
    }

    private void setTempo(double bpm) throws BadCommandException {
        if (!Tempo.validBpm(bpm)) {
            throw new BadCommandException(Tempo.outOfRange(bpm));
        }
        LastState.Metronome m = metronome;
        changeMetronome(new LastState.Metronome(Math.round(bpm * 1000) / 1000.0, m.beatsPerBar(), m.levelDb(),
                m.accentDb(), m.on()));
        var stream = box.stream();
        if (stream != null) {
            stream.setTempo((int) Math.round(bpm * 1000), metronome.beatsPerBar());
        }
    }

    /** The recorded takes, for the page's downloads ({@link RecordingFiles}). */
    private IrLibrary irLibrary() throws BadCommandException {
        if (options.irs() == null) {
            throw new BadCommandException("this box keeps no impulse responses");
        }
        return options.irs();
    }

    /**
     * An impulse response uploaded over HTTP ({@link IrUpload}), any thread: on the control
     * thread, in turn with the commands, it is checked and kept in slot {@code slot} (1-based)
     * under {@code name} (null: "user N"), and every page gets the state. The future completes
     * with the slot as {@code ir.list} describes it, or with the {@link IrRefused} that left
     * everything as it was (also when the box keeps no IRs or is shutting down).
     */
    CompletableFuture<ObjectNode> uploadIr(int slot, String name, byte[] wav) {
        CompletableFuture<ObjectNode> done = new CompletableFuture<>();
        IrLibrary irs = options.irs();
        if (irs == null) {
            done.completeExceptionally(new IrRefused("this box keeps no impulse responses"));
            return done;
        }
        try {
            control.execute(() -> {
                try {
                    irs.put(slot, name, wav);
                    publish();
                    done.complete(irs.describe(slot));
                } catch (IrRefused e) {
                    done.completeExceptionally(e);
                } catch (RuntimeException e) {
                    done.completeExceptionally(new IrRefused("the box could not keep it: " + e));
                }
            });
        } catch (RejectedExecutionException closing) {
            done.completeExceptionally(new IrRefused("the box is shutting down"));
        }
        return done;
    }

    Recordings recordings() {
        return takes;
    }

    /** Reads every field before it changes anything: one bad field leaves the metronome as it was. */
    private void metronome(Args a) throws BadCommandException {
        LastState.Metronome m = metronome;
        boolean on = a.has("on") ? a.bool("on") : m.on();
        int bar = a.has("beatsPerBar") ? a.integer("beatsPerBar", 1, LastState.Metronome.MAX_BEATS_PER_BAR) : m.beatsPerBar();
        double level = a.has("levelDb") ? a.number("levelDb") : m.levelDb();
        double accent = a.has("accentDb") ? a.number("accentDb") : m.accentDb();
        if (!a.has("on") && !a.has("beatsPerBar") && !a.has("levelDb") && !a.has("accentDb")) {
            throw new BadCommandException("nothing to change: give on, beatsPerBar, levelDb or accentDb");
        }
        if (!(level >= -60 && level <= 0)) {
            throw new BadCommandException("metronome.levelDb: " + level + " is outside -60 .. 0 dBFS");
        }
        if (!(accent >= 0 && accent <= 12)) {
            throw new BadCommandException("metronome.accentDb: " + accent + " is outside 0 .. 12 dB");
        }
        changeMetronome(new LastState.Metronome(m.bpm(), bar, level, accent, on));
        var stream = box.stream();
        if (stream != null && bar != m.beatsPerBar() && stream.roomTempo() != 0) {
            stream.setTempo(stream.roomTempo(), bar); // the room's bar is everyone's
        }
    }

    private void changeMetronome(LastState.Metronome m) {
        applyMetronome(m);
        metronome = m;
        if (options.lastState() != null) {
            options.lastState().changed(m);
        }
    }

    private void applyMetronome(LastState.Metronome m) {
        var click = engine.click();
        click.setBpm(m.bpm());
        click.setBeatsPerBar(m.beatsPerBar());
        click.setLevelDb(m.levelDb());
        click.setAccentDb(m.accentDb());
        click.setOn(m.on());
    }

    /**
     * The meters push: peak dBFS per input before the pedals ({@code pre}), after them ({@code in}),
     * per self-monitor strip ({@code self}), per output channel and per member (in a mix room, as
     * the server measured it: LEVELS), null for silence;
     * and {@code clip}, naming only the meters that clipped in the last {@link #CLIP_HOLD_PUSHES}
     * pushes (absent when none). Reading the clip counts clears them: the ~20 Hz push is their one
     * reader, on the page server's event loop. Never waits for a command.
     */
    public ObjectNode meters() {
        ObjectNode m = JSON.createObjectNode().put("v", VERSION).put("type", "meters");
        var in = m.putArray("in");
        var out = m.putArray("out");
        var pre = m.putArray("pre");
        var self = m.putArray("self");
        ObjectNode clip = JSON.createObjectNode();
        for (int c = 0; c < 2; c++) {
            in.add(level(engine.inputMeter(c), "in-" + c, clip));
            out.add(level(engine.outputMeter(c), "out-" + c, clip));
            pre.add(level(engine.preMeter(c), "pre-" + c, clip));
            self.add(level(engine.selfMeter(c), "self-" + c, clip));
        }
        // What the safety limiter takes off now, in dB (0: nothing).
        m.put("limiterDb", Math.round(Math.max(-99, Meter.dbfs(engine.limiter().gain())) * 10) / 10.0);
        m.set("looper", Loopers.state(engine));
        ObjectNode members = m.putObject("members");
        // In a mix room the box hears one mixed stream: its member meters come from the server.
        var stream = box.stream();
        ServerMeters fromServer = stream != null && stream.serverMixes() && stream.serverMeters().live()
                ? stream.serverMeters() : null;
        for (var member : box.members().members()) {
            String id = Integer.toString(member.id());
            members.set(id, fromServer != null
                    ? level(fromServer.peak(member.id()), fromServer.takeClips(member.id()), "member-" + id, clip)
                    : level(engine.memberMeter(member.id() - 1), "member-" + id, clip));
        }
        for (int slot = 0; slot < Mixer.MAX_MEMBERS; slot++) {
            engine.memberMeter(slot).takeClips(); // a slot's next player does not inherit the last one's clips
        }
        if (!clip.isEmpty()) {
            m.set("clip", clip);
        }
        return m;
    }

    private JsonNode level(Meter meter, String key, ObjectNode clip) {
        return level(meter.peak(), meter.takeClips(), key, clip);
    }

    /** A meter's peak as the push shows it, its clips held for {@link #CLIP_HOLD_PUSHES} pushes. */
    private JsonNode level(float peak, long clips, String key, ObjectNode clip) {
        synchronized (clipHold) {
            if (clips > 0) {
                clipHold.put(key, CLIP_HOLD_PUSHES);
            }
            Integer left = clipHold.get(key);
            if (left != null) {
                clip.put(key, true);
                if (left > 1) {
                    clipHold.put(key, left - 1);
                } else {
                    clipHold.remove(key);
                }
            }
        }
        return dbfs(peak);
    }

    private static com.fasterxml.jackson.databind.JsonNode dbfs(float peak) {
        double db = Meter.dbfs(peak);
        return db < -99 ? JSON.nullNode() : JSON.getNodeFactory().numberNode(Math.round(db * 10) / 10.0);
    }

    /** The once-a-second push: the room, each member's jitter buffer and network figures, xruns. Any thread. */
    public ObjectNode stats() {
        ObjectNode s = JSON.createObjectNode().put("v", VERSION).put("type", "stats");
        s.setAll(StateJson.memberStats(box));
        s.set("latency", StateJson.latency(box, audioInterface));
        return s;
    }

    /** What {@link MidiEditor#heard()} says, or -1 on a box without the MIDI map; any thread. */
    public long midiHeard() {
        MidiEditor m = midi;
        return m == null ? -1 : m.heard();
    }

    /** The {@code midi} push: the last message received and the count; null on a box without the MIDI map. Any thread. */
    public ObjectNode midiActivity() {
        MidiEditor m = midi;
        if (m == null) {
            return null;
        }
        ObjectNode push = JSON.createObjectNode().put("v", VERSION).put("type", "midi");
        push.setAll(m.activity());
        return push;
    }

    /** The metronome's tempo: the room's when it has one, else the one set here. Any thread, never waits. */
    public double tempoBpm() {
        var stream = box.stream();
        int room = stream == null ? 0 : stream.roomTempo();
        return room != 0 ? room / 1000.0 : metronome.bpm();
    }

    private ObjectNode tempoState() {
        var stream = box.stream();
        boolean room = stream != null && stream.roomTempo() != 0;
        LastState.Metronome m = metronome;
        ObjectNode t = JSON.createObjectNode();
        t.put("bpm", tempoBpm()).put("beatsPerBar", room ? stream.roomBeatsPerBar() : m.beatsPerBar())
                .put("on", m.on()).put("levelDb", m.levelDb()).put("accentDb", m.accentDb()).put("room", room);
        return t;
    }

    /**
     * The whole state, as every page shows it ({@code docs/control-api.md}). Any thread, but off the
     * control thread it waits for a command running there to end: a surface reads {@link #snapshot()}.
     */
    public synchronized ObjectNode state() {
        ObjectNode s = JSON.createObjectNode();
        s.set("board", StateJson.board(engine.board()));
        presets.describe(s);
        s.set("catalog", StateJson.catalog());
        s.set("mixer", StateJson.mixer(box));
        s.set("room", StateJson.room(box));
        s.putObject("tuner").put("on", tuner != null).put("mute", engine.tunerMute());
        s.putObject("limiter").put("on", engine.limiter().on()).put("ceilingDbtp", Limiter.CEILING_DB)
                .put("lookaheadSamples", engine.limiter().lookaheadSamples());
        s.put("recording", recorder != null);
        if (recording != null) {
            s.put("lastRecording", recording.toString());
        }
        s.set("tempo", tempoState());
        if (options.irs() != null) {
            s.set("irs", options.irs().describeAll());
        }
        s.set("looper", Loopers.state(engine));
        s.set("latency", StateJson.latency(box, audioInterface));
        MidiEditor m = midi;
        if (m != null) {
            ObjectNode midiState = m.state();
            ClockEditor clock = midiClock;
            if (clock != null) {
                midiState.set("clock", clock.get());
            }
            s.set("midi", midiState);
        }
        return s;
    }

    /**
     * Stops the control thread: what was handed in before runs (for up to {@link #CLOSE_WAIT_MILLIS});
     * what is handed in after, or did not get its turn by then, is refused with "the box is shutting
     * down". Then the tuner and a recording stop. Any thread but the control thread, which does not
     * wait for itself.
     */
    @Override
    public void close() {
        control.shutdown();
        if (!onControlThread()) {
            try {
                if (!control.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    for (Runnable left : control.shutdownNow()) {
                        if (left instanceof Job job) {
                            job.refuse();
                        }
                    }
                    control.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeRest();
    }

    private synchronized void closeRest() {
        if (closed) {
            return;
        }
        closed = true;
        if (tuner != null) {
            engine.setTuner(null);
            stopTuner();
        }
        if (recorder != null) {
            engine.setRecorder(null);
            recorder.close();
            recorder = null;
        }
    }
}
