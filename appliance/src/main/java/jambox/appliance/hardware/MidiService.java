package jambox.appliance.hardware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.control.BadCommandException;
import jambox.appliance.control.ControlService;
import jambox.appliance.control.Snapshot;
import jambox.dsp.Catalog;
import jambox.midi.BadMidiMapException;
import jambox.midi.Binding;
import jambox.midi.MidiMap;
import jambox.midi.MidiMapper;
import jambox.midi.MidiMessage;
import jambox.surface.Target;

/**
 * MIDI controllers, wired to the command service: the map is {@code midi.json} in the data folder
 * (none: no bindings, program changes load presets), edited from the page ({@code midi.get},
 * {@code midi.set}, {@code midi.learn}); incoming messages become the same intents the knobs send,
 * through a {@link HardwareBridge} of its own, and every state change tells the faders where their
 * values are (soft takeover).
 *
 * <p>Threads: {@link #receive} on the MIDI thread (the one thread the box's MIDI input is read on,
 * never the audio thread), which only hands intents to the control thread; the editor's methods and
 * the state changes on the control thread. The mapper keeps the two apart without a lock.
 */
public final class MidiService implements ControlService.MidiEditor {
    private static final System.Logger LOG = System.getLogger(MidiService.class.getName());
    private static final String FILE = "midi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Tells the pages when an armed learn has given up. One daemon thread for every box in the JVM:
     * it only hands a task to a control thread now and then.
     */
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jambox-midi-learn-timeout");
        t.setDaemon(true);
        return t;
    });

    private final ControlService control;
    private final Path file;
    /** Positions the MIDI controls set themselves, and those last told to the mapper: neither is news to a fader. */
    private final Map<Target, Double> setHere = new ConcurrentHashMap<>();
    private final Map<Target, Double> told = new ConcurrentHashMap<>();
    private final MidiMapper mapper;
    /** Why the saved map is not in use (or could not be saved); null when all is well. Written on the control thread. */
    private volatile String problem;
    /** Channel messages the map has read (the ones {@link MidiMapper#last()} shows); written on the MIDI thread only. */
    private volatile long heard;
    /** When the learn armed last gives up ({@link System#nanoTime()}); the page counts down to it. */
    private volatile long learnDeadline;

    private MidiService(ControlService control, Path dataFolder) {
        this.control = control;
        this.file = dataFolder.resolve(FILE);
        MidiMap map = MidiMap.EMPTY;
        try {
            if (Files.exists(file)) {
                MidiMap read = MidiMap.read(file);
                String wrong = catalogProblem(read);
                if (wrong != null) {
                    problem = file + ": " + wrong;
                } else {
                    map = read;
                }
            }
        } catch (BadMidiMapException e) {
            problem = e.getMessage();
        }
        if (problem != null) {
            // The file stays as it is, for the player to mend; the box runs without its bindings.
            LOG.log(System.Logger.Level.ERROR, "MIDI map not used, MIDI controls do nothing until one is set: " + problem);
        }
        this.mapper = new MidiMapper(map, new HardwareBridge(control, setHere, "MIDI control"), HardwareBridge::travelOf);
    }

    /**
     * Starts the MIDI surface for {@code control} with the map in {@code dataFolder}. Called once,
     * by the thread that starts the box, before the page serves.
     */
    public static MidiService start(ControlService control, Path dataFolder) {
        MidiService s = new MidiService(control, dataFolder);
        control.setMidiEditor(s);
        control.onChange(state -> s.follow(control.snapshot()));
        s.follow(control.snapshot());
        return s;
    }

    /** One whole MIDI message from the box's MIDI input; on the MIDI thread only. */
    public void receive(byte[] bytes, int offset, int length) {
        MidiMessage before = mapper.last();
        mapper.receive(bytes, offset, length);
        if (mapper.last() != before) {
            heard++; // one writer: this thread
        }
    }

    /** Bound pedals and parameters must exist in the catalog: the first that does not, in words, or null. */
    static String catalogProblem(MidiMap m) {
        List<Binding> bindings = m.bindings();
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            String wrong = catalogProblem(b.target());
            if (wrong != null) {
                return "bindings[" + i + "].target: " + wrong;
            }
            if (b.range() != null) {
                boolean expression = b.range().curve() == jambox.midi.Curve.TAPER;
                String low = HardwareBridge.outsideRange(b.target(), b.range().min());
                if (low != null) {
                    return "bindings[" + i + "].range." + (expression ? "heel" : "min") + ": " + low;
                }
                String high = HardwareBridge.outsideRange(b.target(), b.range().max());
                if (high != null) {
                    return "bindings[" + i + "].range." + (expression ? "toe" : "max") + ": " + high;
                }
            }
        }
        return null;
    }

    private static String catalogProblem(Target t) {
        if (t.pedal() == null) {
            return null;
        }
        try {
            var type = Catalog.byId(t.pedal());
            if (t.param() != null) {
                type.param(t.param());
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Every state change, on the control thread: the faders learn where their values are. */
    private void follow(Snapshot now) {
        if (now != null) {
            HardwareService.positions(now, this::tell);
        }
    }

    /** As the pots are told: not a value a MIDI control just set, nor one unchanged since last time. */
    private void tell(Target target, double position) {
        Double mine = setHere.get(target);
        Double last = told.get(target);
        if (mine != null && Math.abs(mine - position) < 1e-9 || last != null && Math.abs(last - position) < 1e-9) {
            return;
        }
        told.put(target, position);
        mapper.current(target, position);
    }

    /** {@code midi.get}, on the control thread. */
    @Override
    public ObjectNode get() {
        ObjectNode o = JSON.createObjectNode();
        o.set("map", mapJson());
        putLearning(o, mapper.learning());
        MidiMessage last = mapper.last();
        o.put("last", last == null ? null : last.toString());
        String p = problem;
        if (p != null) {
            o.put("problem", p);
        }
        return o;
    }

    /**
     * {@code midi} in the state, any thread: the map, the learn armed (with {@code learnSeconds}, the
     * whole seconds it has left), the last message as {@link #activity()} gives it, and a problem.
     */
    @Override
    public ObjectNode state() {
        ObjectNode o = JSON.createObjectNode();
        o.set("map", mapJson());
        Target learning = mapper.learning();
        putLearning(o, learning);
        if (learning != null) {
            long left = learnDeadline - System.nanoTime();
            o.put("learnSeconds", Math.max(0, (left + 999_999_999L) / 1_000_000_000L));
        }
        o.setAll(activity());
        String p = problem;
        o.put("problem", p);
        return o;
    }

    /** How many channel messages the map has read; any thread. What the page's live line waits on. */
    @Override
    public long heard() {
        return heard;
    }

    /**
     * The last message as the page shows it, any thread: {@code "heard"}, the messages read so far, and
     * {@code "last"}: {@code {"type": "cc", "channel": 1, "number": 11, "value": 64, "text": "CC 11 ch 1 = 64"}}
     * (type {@code cc}, {@code noteOn}, {@code noteOff} or {@code program}), or null before the first.
     */
    @Override
    public ObjectNode activity() {
        ObjectNode o = JSON.createObjectNode();
        o.put("heard", heard);
        MidiMessage last = mapper.last();
        if (last == null) {
            o.putNull("last");
        } else {
            String type = switch (last.type()) {
                case CC -> "cc";
                case NOTE_ON -> "noteOn";
                case NOTE_OFF -> "noteOff";
                case PROGRAM -> "program";
            };
            o.putObject("last").put("type", type).put("channel", last.channel()).put("number", last.number())
                    .put("value", last.value()).put("text", last.toString());
        }
        return o;
    }

    private ObjectNode mapJson() {
        try {
            return (ObjectNode) JSON.readTree(mapper.map().toJson());
        } catch (IOException e) {
            throw new IllegalStateException("the MIDI map does not read back", e);
        }
    }

    private static void putLearning(ObjectNode o, Target learning) {
        if (learning == null) {
            o.putNull("learning");
            return;
        }
        ObjectNode t = o.putObject("learning").put("kind", learning.kind().jsonName());
        switch (learning.kind()) {
            case PARAM -> t.put("pedal", learning.pedal()).put("param", learning.param());
            case BYPASS -> t.put("pedal", learning.pedal());
            case MONITOR -> t.put("channel", learning.channel());
            default -> { }
        }
    }

    /** {@code midi.set}, on the control thread: checks the map whole, saves it, uses it. */
    @Override
    public void set(JsonNode json) throws BadCommandException {
        MidiMap m;
        try {
            m = MidiMap.parse(json.toString().getBytes(StandardCharsets.UTF_8), "midi.set map");
        } catch (BadMidiMapException e) {
            throw new BadCommandException(e.getMessage());
        }
        String wrong = catalogProblem(m);
        if (wrong != null) {
            throw new BadCommandException("midi.set map: " + wrong);
        }
        try {
            save(m);
        } catch (IOException e) {
            throw new BadCommandException("cannot save " + file + ": " + e.getMessage());
        }
        mapper.use(m);
        problem = null;
    }

    /** {@code midi.learn}, on the control thread; {@code target} null cancels. */
    @Override
    public void learn(JsonNode target, int seconds) throws BadCommandException {
        if (target == null) {
            mapper.cancelLearn();
            return;
        }
        Target t = target(target);
        String wrong = catalogProblem(t);
        if (wrong != null) {
            throw new BadCommandException("midi.learn target: " + wrong);
        }
        learnDeadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        mapper.learn(t, Duration.ofSeconds(seconds), this::learned);
        // A learn that gives up must leave the page too: the state is told again just after its end.
        TIMEOUTS.schedule(control::news, seconds * 1000L + 50, TimeUnit.MILLISECONDS);
    }

    /** On the MIDI thread: the mapper uses the learned map already; it is saved on the control thread. */
    private void learned(MidiMap map) {
        try {
            control.execute(() -> {
                try {
                    save(map);
                    problem = null;
                } catch (IOException e) {
                    problem = "the learned binding is in use but could not be saved to " + file + ": " + e.getMessage();
                    LOG.log(System.Logger.Level.ERROR, problem);
                }
                control.news(); // every page shows the new binding, and learn disarmed
            });
        } catch (RejectedExecutionException closing) {
            LOG.log(System.Logger.Level.WARNING, "MIDI learn not saved: the box is shutting down");
        }
    }

    private void save(MidiMap m) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        m.save(file);
    }

    /** A target object as midi.json writes it. */
    private static Target target(JsonNode json) throws BadCommandException {
        if (!json.isObject()) {
            throw new BadCommandException("midi.learn target: must be an object like {\"kind\": \"param\", \"pedal\": ..., \"param\": ...}");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("kind", "pedal", "param", "channel").contains(name)) {
                throw new BadCommandException("midi.learn target: unknown field \"" + name + "\"");
            }
        }
        String kindName = json.path("kind").asText("");
        Target.Kind kind = Arrays.stream(Target.Kind.values()).filter(k -> k.jsonName().equals(kindName)).findFirst()
                .orElseThrow(() -> new BadCommandException("midi.learn target: kind \"" + kindName + "\" is not one of "
                        + String.join(", ", Arrays.stream(Target.Kind.values()).map(Target.Kind::jsonName).toList())));
        JsonNode channel = json.path("channel");
        if (!channel.isMissingNode() && !channel.canConvertToExactIntegral()) {
            throw new BadCommandException("midi.learn target: channel must be 0 or 1, not " + channel);
        }
        try {
            return new Target(kind, json.hasNonNull("pedal") ? json.get("pedal").asText() : null,
                    json.hasNonNull("param") ? json.get("param").asText() : null, channel.asInt(0));
        } catch (IllegalArgumentException e) {
            throw new BadCommandException("midi.learn target: " + e.getMessage());
        }
    }
}
