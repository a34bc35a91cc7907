package jambox.appliance.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.control.BadCommandException;
import jambox.appliance.control.ControlService;
import jambox.appliance.control.Snapshot;
import jambox.common.AtomicFiles;
import jambox.dsp.Catalog;
import jambox.dsp.PedalType;
import jambox.gpio.BadHardwareException;
import jambox.gpio.Hardware;
import jambox.gpio.HardwareMap;
import jambox.gpio.Status;
import jambox.surface.SurfaceListener;
import jambox.surface.Target;

/**
 * The box's knobs, switches and LEDs, wired to the command service: controls send commands
 * ({@link HardwareBridge}); every state change lights the footswitch LEDs and tells the pots
 * where their parameters are now (soft takeover); a status LED shows starting, alone, in a room,
 * clipping or trouble (no audio: JACK down, or no audio interface); a beat LED follows the tempo.
 * The map is {@code hardware.json} in the data folder (the reference build's when there is none)
 * and can be replaced from the page.
 *
 * <p>Threads: the controls speak on the hardware thread ({@code jambox-gpio}), which only hands
 * intents to the command service's control thread ({@link HardwareBridge}); LEDs and pots are told
 * about changes on the control thread, from the service's {@link Snapshot} (Pi4J's side of that
 * returns at once); the status and beat LEDs tick on {@code jambox-hardware-status}. None of them
 * waits for a command.
 */
public final class HardwareService implements ControlService.HardwareEditor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HardwareService.class.getName());
    private static final String FILE = "hardware.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Appliance box;
    private final ControlService control;
    private final Path file;
    /** The pins to open: Pi4J's context in tests, null for this machine's own (none off a Pi). */
    private final com.pi4j.context.Context pi4j;
    /** The controls' way into the command service, the same whatever map is in use. */
    private final SurfaceListener bridge;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jambox-hardware-status");
        t.setDaemon(true);
        return t;
    });
    private HardwareMap map;
    /** Knob positions the controls set themselves, and those last told to them: neither is news to a pot. */
    private final java.util.Map<Target, Double> setHere = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Target, Double> told = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Hardware hardware;
    private String problem;
    private long nextBeatNanos;

    private HardwareService(Appliance box, ControlService control, Path dataFolder, com.pi4j.context.Context pi4j) {
        this.box = box;
        this.control = control;
        this.file = dataFolder.resolve(FILE);
        this.pi4j = pi4j;
        this.bridge = new HardwareBridge(control, setHere);
    }

    /**
     * Starts the hardware for {@code box} with the map in {@code dataFolder}, on this machine's
     * pins (none on a laptop: one line in the log and the box runs without). A map that cannot be
     * read is reported with its path and reason and the box runs without hardware. Called once, by
     * the thread that starts the box, before the page serves.
     */
    public static HardwareService start(Appliance box, ControlService control, Path dataFolder) {
        return start(box, control, dataFolder, null);
    }

    /**
     * As {@link #start(Appliance, ControlService, Path)}, on the pins of {@code pi4j} (tests: the mock
     * platform); the same thread rule.
     */
    public static HardwareService start(Appliance box, ControlService control, Path dataFolder,
                                        com.pi4j.context.Context pi4j) {
        HardwareService s = new HardwareService(box, control, dataFolder, pi4j);
        s.load();
        control.setHardwareEditor(s);
        control.onChange(state -> s.follow(control.snapshot())); // the JSON is for pages; the snapshot holds the values
        s.clock.scheduleAtFixedRate(s::tick, 100, 100, TimeUnit.MILLISECONDS);
        return s;
    }

    private synchronized void load() {
        HardwareMap m;
        try {
            m = Files.exists(file) ? HardwareMap.read(file) : HardwareMap.defaults();
            String wrong = catalogProblem(m);
            if (wrong != null) {
                problem = file + ": " + wrong;
            }
        } catch (BadHardwareException e) {
            m = null;
            problem = e.getMessage();
        }
        if (problem != null) {
            LOG.log(System.Logger.Level.ERROR, "hardware map not used, the box runs without knobs and switches: " + problem);
            return;
        }
        use(m);
    }

    private synchronized void use(HardwareMap m) {
        Hardware old = hardware;
        hardware = null;
        if (old != null) {
            old.close();
        }
        map = m;
        problem = null;
        told.clear(); // new controls know nothing yet
        try {
            hardware = pi4j == null ? Hardware.startOnThisMachine(m, bridge).orElse(null) : Hardware.start(pi4j, m, bridge);
        } catch (RuntimeException e) {
            problem = "cannot open the pins: " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "hardware: " + problem);
        }
        if (hardware != null) {
            hardware.status(Status.STARTING);
            follow(control.snapshot());
        }
    }

    /**
     * Bound pedals and parameters must exist in the catalog (the gpio module does not know it):
     * the first that does not, in words, or null when all do.
     */
    static String catalogProblem(HardwareMap m) {
        for (HardwareMap.Led led : m.leds()) {
            if (led.shows().pedal() != null && Catalog.ALL.stream().noneMatch(t -> t.id().equals(led.shows().pedal()))) {
                return "the LED on GPIO " + led.pin() + " shows the bypass of '" + led.shows().pedal()
                        + "', which is no pedal type; there are " + Catalog.ALL.stream().map(PedalType::id).toList();
            }
        }
        for (Target t : targets(m)) {
            if (t.pedal() == null) {
                continue;
            }
            try {
                PedalType type = Catalog.byId(t.pedal());
                if (t.param() != null) {
                    type.param(t.param());
                }
            } catch (IllegalArgumentException e) {
                return t + ": " + e.getMessage();
            }
        }
        for (int i = 0; i < m.pots().size(); i++) {
            HardwareMap.Pot pot = m.pots().get(i);
            if (pot.hasRange()) {
                String heel = HardwareBridge.outsideRange(pot.target(), pot.heel());
                if (heel != null) {
                    return "pots[" + i + "].heel: " + heel;
                }
                String toe = HardwareBridge.outsideRange(pot.target(), pot.toe());
                if (toe != null) {
                    return "pots[" + i + "].toe: " + toe;
                }
            }
        }
        return null;
    }

    /** Every target a control of the map is bound to. */
    static java.util.List<Target> targets(HardwareMap m) {
        java.util.List<Target> all = new java.util.ArrayList<>();
        m.pots().forEach(p -> all.add(p.target()));
        m.footswitches().forEach(f -> addPresses(all, f.presses()));
        for (HardwareMap.Encoder e : m.encoders()) {
            all.add(e.turn());
            addPresses(all, e.push());
        }
        all.removeIf(java.util.Objects::isNull);
        return all;
    }

    private static void addPresses(java.util.List<Target> all, HardwareMap.Presses p) {
        if (p != null) {
            all.add(p.tap());
            all.add(p.doubleTap());
            all.add(p.longPress());
        }
    }

    /**
     * Every state change, on the control thread (and once when a map comes into use): footswitch
     * LEDs show what is engaged, pots learn where their values are. Controls bind the first pedal
     * of a type, which is what the snapshot holds.
     */
    private void follow(Snapshot now) {
        Hardware h = hardware;
        if (h == null) {
            return;
        }
        for (Snapshot.Pedal p : now.pedals().values()) {
            h.bypassed(p.type(), p.bypass());
        }
        positions(now, (target, position) -> tell(h, target, position));
    }

    /**
     * Where every value a knob or fader can drive sits on its travel now, 0..1: each parameter of
     * the first pedal of each type, the master and both monitors. What soft takeover is told.
     */
    static void positions(Snapshot now, java.util.function.BiConsumer<Target, Double> each) {
        for (Snapshot.Pedal p : now.pedals().values()) {
            PedalType pt = Catalog.byId(p.type());
            p.params().forEach((id, value) -> each.accept(Target.param(p.type(), id), pt.param(id).toNormalized(value)));
        }
        each.accept(Target.master(), HardwareBridge.position(now.masterDb()));
        for (int c = 0; c < 2; c++) {
            each.accept(Target.monitor(c), HardwareBridge.position(now.selfDb(c)));
        }
    }

    /**
     * Tells the pots bound to {@code target} where the box has it, for soft takeover, unless the
     * value is the one a control just set (a pot hearing its own turn late, while it has moved on,
     * would take it for a preset change and let go) or nothing has changed since last time.
     */
    private void tell(Hardware h, Target target, double position) {
        Double mine = setHere.get(target);
        Double last = told.get(target);
        if (mine != null && Math.abs(mine - position) < 1e-9 || last != null && Math.abs(last - position) < 1e-9) {
            return;
        }
        told.put(target, position);
        h.current(target, position);
    }

    /** Ten times a second: the status LED, and the beat LED at the room's tempo. */
    private void tick() {
        Hardware h = hardware;
        if (h == null) {
            return;
        }
        try {
            boolean clipping = box.engine().outputMeter(0).peak() >= 1f || box.engine().outputMeter(1).peak() >= 1f;
            var stream = box.stream();
            // No audio: JACK is down, or runs on its dummy driver because no card here can record.
            var card = control.audioInterface();
            boolean noAudio = !box.backend().running() || card != null && card.card() == null;
            Status s = noAudio ? Status.ERROR
                    : clipping ? Status.CLIPPING
                    : stream != null && stream.joined() ? Status.IN_ROOM : Status.ALONE;
            h.status(s);
            double bpm = control.tempoBpm();
            long now = System.nanoTime();
            if (now >= nextBeatNanos) {
                h.beat();
                long beat = (long) (60e9 / Math.max(20, bpm));
                nextBeatNanos = now - nextBeatNanos < beat ? nextBeatNanos + beat : now + beat;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "hardware status: " + e);
        }
    }

    /** {@code hardware.get}, on the control thread. */
    @Override
    public synchronized ObjectNode get() {
        ObjectNode o = JSON.createObjectNode();
        o.put("running", hardware != null);
        if (problem != null) {
            o.put("problem", problem);
        }
        try {
            o.set("map", JSON.readTree(map != null ? map.toJson() : HardwareMap.defaults().toJson()));
        } catch (IOException e) {
            throw new IllegalStateException("the hardware map does not read back", e);
        }
        return o;
    }

    /**
     * {@code hardware.set}, on the control thread: checks the map, saves it, and restarts the
     * controls on it.
     */
    @Override
    public synchronized void set(JsonNode json) throws BadCommandException {
        HardwareMap m;
        byte[] bytes = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            m = HardwareMap.parse(bytes, "hardware.set map");
        } catch (BadHardwareException e) {
            throw new BadCommandException(e.getMessage());
        }
        String wrong = catalogProblem(m);
        if (wrong != null) {
            throw new BadCommandException("hardware.set map: " + wrong);
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, m.toJson());
        } catch (IOException e) {
            throw new BadCommandException("cannot save " + file + ": " + e.getMessage());
        }
        use(m);
    }

    /** Lets the pins go; any thread but the hardware's own, before the command service closes. */
    @Override
    public void close() {
        clock.shutdownNow();
        Hardware h;
        synchronized (this) {
            h = hardware;
            hardware = null;
        }
        if (h != null) {
            h.close();
        }
    }
}
