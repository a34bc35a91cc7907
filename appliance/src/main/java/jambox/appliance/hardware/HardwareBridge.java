package jambox.appliance.hardware;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.control.BadCommandException;
import jambox.appliance.control.ControlService;
import jambox.appliance.control.Snapshot;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.midi.MidiListener;
import jambox.surface.Target;

/**
 * Knobs, switches and MIDI controls as commands: every turn and press becomes the same JSON command
 * the page would send, through the {@link ControlService}, so the page follows the hardware and the
 * hardware can do nothing the page could not. The GPIO surface and the MIDI surface each have one.
 *
 * <p>Two threads. The surface's thread calls the listener methods; each only hands an intent (a
 * target and a position, steps or a press) to the control thread and returns at once, so a
 * command busy with a fade never holds up a knob, a switch or an LED. The control thread carries
 * the intent out when its turn comes, reading the box as it is then from the service's
 * {@link Snapshot}: a toggle flips what is there at that moment, so two quick presses toggle
 * twice, in order, whatever ran before them.
 *
 * <p>What streams coalesces, so the queue stays short however long a command takes: a pot's
 * positions (the latest per target wins; the ones in between would be overwritten at once anyway)
 * and an encoder's steps on a value (summed). Presses and preset steps are never merged.
 */
final class HardwareBridge implements MidiListener {
    private static final System.Logger LOG = System.getLogger(HardwareBridge.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Gains a pot or encoder sets: its travel from silence to a little boost. */
    static final double MIN_DB = -60;
    static final double MAX_DB = 6;
    /** One encoder detent moves a parameter this share of its travel, a gain this many dB. */
    static final double STEP = 0.01;
    static final double STEP_DB = 0.5;

    private final ControlService control;
    /** Positions the controls themselves set, per target: the state that comes back is no news to them. */
    private final Map<Target, Double> setHere;
    /** The last complaint per target: a knob bound to a pedal not on the board says so once, not per tick. */
    private final Map<Target, String> complained = new ConcurrentHashMap<>();
    /** A pot's latest position not yet carried out, per target; present while its intent is queued. */
    private final Map<Target, Double> positions = new ConcurrentHashMap<>();
    /** An encoder's detents not yet carried out, per value target, summed; present while queued. */
    private final Map<Target, Integer> steps = new ConcurrentHashMap<>();

    /** How the log names this bridge's controls: "hardware control", "MIDI control". */
    private final String what;

    HardwareBridge(ControlService control, Map<Target, Double> setHere) {
        this(control, setHere, "hardware control");
    }

    HardwareBridge(ControlService control, Map<Target, Double> setHere, String what) {
        this.control = control;
        this.setHere = setHere;
        this.what = what;
    }

    // ---- the surface's thread: hand over, never wait ----

    @Override
    public double travel(Target target, double value) {
        return travelOf(target, value);
    }

    /** Where a value in a target's own units sits on its travel: the catalog's taper, the gains' scale. Any thread. */
    static double travelOf(Target target, double value) {
        return switch (target.kind()) {
            case PARAM -> {
                try {
                    yield Catalog.byId(target.pedal()).param(target.param()).toNormalized(value);
                } catch (IllegalArgumentException unknown) {
                    yield Double.NaN;
                }
            }
            case MASTER, MONITOR -> position(value);
            default -> Double.NaN;
        };
    }

    /**
     * Why a heel or toe value cannot be on {@code target}, in words, or null when it can: it must
     * lie in the parameter's range (or the gains' span, {@value #MIN_DB} .. {@value #MAX_DB} dB).
     */
    static String outsideRange(Target target, double value) {
        switch (target.kind()) {
            case PARAM -> {
                try {
                    Catalog.byId(target.pedal()).param(target.param()).validate(value);
                    return null;
                } catch (IllegalArgumentException e) {
                    return target.pedal() + "." + e.getMessage();
                }
            }
            case MASTER, MONITOR -> {
                return value >= MIN_DB && value <= MAX_DB ? null
                        : target + ": " + decimal(value) + " dB is outside " + decimal(MIN_DB) + " .. " + decimal(MAX_DB) + " dB";
            }
            default -> {
                return target + " has no values to span";
            }
        }
    }

    @Override
    public void absolute(Target target, double position) {
        if (positions.put(target, position) == null) {
            hand(target, () -> {
                Double latest = positions.remove(target);
                if (latest != null) {
                    applyAbsolute(target, latest);
                }
            }, () -> positions.remove(target));
        }
    }

    @Override
    public void relative(Target target, int detents) {
        switch (target.kind()) {
            case PARAM, MASTER, MONITOR -> {
                boolean[] queued = {false};
                steps.compute(target, (t, pending) -> {
                    queued[0] = pending != null;
                    return pending == null ? detents : pending + detents;
                });
                if (!queued[0]) {
                    hand(target, () -> {
                        Integer sum = steps.remove(target);
                        if (sum != null) {
                            applySteps(target, sum);
                        }
                    }, () -> steps.remove(target));
                }
            }
            case PRESET -> hand(target, () -> stepPreset(detents), null);
            default -> {
                long at = System.nanoTime();
                hand(target, () -> {
                    for (int i = 0; i < Math.abs(detents); i++) {
                        applyPress(target, at);
                    }
                }, null);
            }
        }
    }

    @Override
    public void pressed(Target target) {
        long at = System.nanoTime(); // a tap counts from the press, not from its turn on the control thread
        hand(target, () -> applyPress(target, at), null);
    }

    @Override
    public void loadPreset(int index) {
        hand(Target.preset(), () -> loadPresetAt(index), null);
    }

    /** Queues {@code intent} on the control thread; when the box is closing it is dropped ({@code undo} first). */
    private void hand(Target target, Runnable intent, Runnable undo) {
        try {
            control.execute(intent);
        } catch (RejectedExecutionException closing) {
            if (undo != null) {
                undo.run();
            }
            LOG.log(System.Logger.Level.DEBUG, what + " for " + target + " dropped: the box is shutting down");
        }
    }

    // ---- the control thread: read the box as it is now, send commands ----

    private void applyAbsolute(Target target, double position) {
        switch (target.kind()) {
            case PARAM -> setParam(target, position);
            case MASTER -> {
                setHere.put(target, position(gain(position)));
                send(target, cmd("mixer.master").put("gainDb", gain(position)));
            }
            case MONITOR -> {
                setHere.put(target, position(gain(position)));
                send(target, cmd("mixer.self").put("channel", target.channel()).put("gainDb", gain(position)));
            }
            default -> complain(target, "a pot cannot drive " + target.kind());
        }
    }

    private void applySteps(Target target, int detents) {
        Snapshot now = control.snapshot();
        switch (target.kind()) {
            case PARAM -> {
                Found f = find(now, target);
                if (f != null) {
                    setParam(target, f.spec.toNormalized(f.value) + detents * STEP);
                }
            }
            case MASTER -> send(target, cmd("mixer.master").put("gainDb", clampDb(now.masterDb() + detents * STEP_DB)));
            case MONITOR -> send(target, cmd("mixer.self").put("channel", target.channel()).put("gainDb",
                    clampDb(now.selfDb(target.channel()) + detents * STEP_DB)));
            default -> throw new IllegalStateException("steps on " + target);
        }
    }

    private void applyPress(Target target, long pressedNanos) {
        Snapshot now = control.snapshot();
        switch (target.kind()) {
            case BYPASS -> {
                Snapshot.Pedal pedal = now.pedal(target.pedal());
                if (pedal == null) {
                    complain(target, "no " + target.pedal() + " on the board to switch");
                    return;
                }
                send(target, cmd("bypass").put("channel", 0).put("index", pedal.index()).put("on", !pedal.bypass()));
            }
            case TUNER -> send(target, cmd("tuner").put("on", !now.tunerOn()).put("mute", now.tunerMute()));
            case TAP -> send(target, cmd("tap"), pressedNanos);
            case PRESET -> stepPreset(1);
            case LOOPER -> send(target, cmd("looper").put("action", target.action()));
            default -> complain(target, "a switch cannot drive " + target.kind());
        }
    }

    private void setParam(Target target, double position) {
        Found f = find(control.snapshot(), target);
        if (f == null) {
            return;
        }
        double value = f.spec.fromNormalized(Math.max(0, Math.min(1, position)));
        setHere.put(target, f.spec.toNormalized(value));
        send(target, cmd("set").put("channel", 0).put("index", f.index).put("param", target.param())
                .put("value", value));
    }

    private record Found(int index, ParamSpec spec, double value) {
    }

    private Found find(Snapshot now, Target target) {
        Snapshot.Pedal pedal = now.pedal(target.pedal());
        if (pedal == null) {
            complain(target, "no " + target.pedal() + " on the board for this knob");
            return null;
        }
        ParamSpec spec;
        try {
            spec = Catalog.byId(target.pedal()).param(target.param());
        } catch (IllegalArgumentException e) {
            complain(target, e.getMessage());
            return null;
        }
        return new Found(pedal.index(), spec, pedal.param(target.param()));
    }

    private void stepPreset(int by) {
        try {
            List<String> names = presetNames();
            if (names.isEmpty()) {
                return;
            }
            int at = names.indexOf(control.snapshot().preset());
            int next = Math.floorMod((at < 0 ? (by > 0 ? -1 : 0) : at) + by, names.size());
            send(Target.preset(), cmd("preset.load").put("name", names.get(next)));
        } catch (BadCommandException e) {
            complain(Target.preset(), e.getMessage());
        }
    }

    /** A preset by its place in the list; past the end, nothing (a controller's bank may be longer than the list). */
    private void loadPresetAt(int index) {
        try {
            List<String> names = presetNames();
            if (index < names.size()) {
                send(Target.preset(), cmd("preset.load").put("name", names.get(index)));
            }
        } catch (BadCommandException e) {
            complain(Target.preset(), e.getMessage());
        }
    }

    private List<String> presetNames() throws BadCommandException {
        JsonNode list = control.handle(cmd("preset.list")).get("presets");
        List<String> names = new java.util.ArrayList<>();
        if (list != null) {
            list.forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    private static String decimal(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static double gain(double position) {
        return position <= 0.001 ? -120 : MIN_DB + position * (MAX_DB - MIN_DB);
    }

    /** A gain's place on a pot's travel: the inverse of {@link #gain}. */
    static double position(double db) {
        return db <= MIN_DB ? 0 : Math.min(1, (db - MIN_DB) / (MAX_DB - MIN_DB));
    }

    private static double clampDb(double db) {
        return Math.max(-120, Math.min(MAX_DB, db < MIN_DB && db > -120 ? MIN_DB : db));
    }

    private static ObjectNode cmd(String name) {
        return JSON.createObjectNode().put("v", ControlService.VERSION).put("cmd", name);
    }

    /** On the control thread: runs the command at once. */
    private void send(Target target, ObjectNode command) {
        send(target, command, System.nanoTime());
    }

    private void send(Target target, ObjectNode command, long handedInNanos) {
        try {
            control.handle(command, handedInNanos);
            complained.remove(target);
        } catch (BadCommandException e) {
            complain(target, e.getMessage());
        }
    }

    private void complain(Target target, String why) {
        if (!why.equals(complained.put(target, why))) {
            LOG.log(System.Logger.Level.WARNING, what + " for " + target + ": " + why);
        }
    }
}
