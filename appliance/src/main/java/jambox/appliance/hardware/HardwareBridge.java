package jambox.appliance.hardware;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.control.BadCommandException;
import jambox.appliance.control.ControlService;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.surface.SurfaceListener;
import jambox.surface.Target;

/**
 * Knobs and switches as commands: every turn and press becomes the same JSON command the page
 * would send, through the {@link ControlService}, so the page follows the hardware and the
 * hardware can do nothing the page could not. Runs on the hardware's threads; the command
 * service serialises.
 */
final class HardwareBridge implements SurfaceListener {
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

    HardwareBridge(ControlService control, Map<Target, Double> setHere) {
        this.control = control;
        this.setHere = setHere;
    }

    @Override
    public void absolute(Target target, double position) {
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

    @Override
    public void relative(Target target, int steps) {
        JsonNode state = control.state();
        switch (target.kind()) {
            case PARAM -> {
                Found f = find(state, target);
                if (f != null) {
                    setParam(target, f.spec.toNormalized(f.value) + steps * STEP);
                }
            }
            case MASTER -> send(target, cmd("mixer.master").put("gainDb",
                    clampDb(state.at("/mixer/master").asDouble() + steps * STEP_DB)));
            case MONITOR -> send(target, cmd("mixer.self").put("channel", target.channel()).put("gainDb",
                    clampDb(state.at("/mixer/self/" + target.channel() + "/gainDb").asDouble() + steps * STEP_DB)));
            case PRESET -> stepPreset(state, steps);
            default -> {
                for (int i = 0; i < Math.abs(steps); i++) {
                    pressed(target);
                }
            }
        }
    }

    @Override
    public void pressed(Target target) {
        JsonNode state = control.state();
        switch (target.kind()) {
            case BYPASS -> {
                int index = indexOf(state, target.pedal());
                if (index < 0) {
                    complain(target, "no " + target.pedal() + " on the board to switch");
                    return;
                }
                boolean bypassed = state.at("/board/channels/0/pedals/" + index + "/bypass").asBoolean();
                send(target, cmd("bypass").put("channel", 0).put("index", index).put("on", !bypassed));
            }
            case TUNER -> send(target, cmd("tuner").put("on", !state.at("/tuner/on").asBoolean())
                    .put("mute", state.at("/tuner/mute").asBoolean()));
            case TAP -> send(target, cmd("tap"));
            case PRESET -> stepPreset(state, 1);
            default -> complain(target, "a switch cannot drive " + target.kind());
        }
    }

    private void setParam(Target target, double position) {
        JsonNode state = control.state();
        Found f = find(state, target);
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

    private Found find(JsonNode state, Target target) {
        int index = indexOf(state, target.pedal());
        if (index < 0) {
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
        double value = state.at("/board/channels/0/pedals/" + index + "/params/" + target.param()).asDouble();
        return new Found(index, spec, value);
    }

    /** Where the first pedal of this type sits on input 1's chain, or -1. */
    static int indexOf(JsonNode state, String type) {
        JsonNode pedals = state.at("/board/channels/0/pedals");
        for (int i = 0; i < pedals.size(); i++) {
            if (pedals.get(i).path("type").asText().equals(type)) {
                return i;
            }
        }
        return -1;
    }

    private void stepPreset(JsonNode state, int steps) {
        try {
            JsonNode list = control.handle(cmd("preset.list")).get("presets");
            if (list == null || list.isEmpty()) {
                return;
            }
            List<String> names = new java.util.ArrayList<>();
            list.forEach(n -> names.add(n.asText()));
            int at = names.indexOf(state.path("preset").asText(null));
            int next = Math.floorMod((at < 0 ? (steps > 0 ? -1 : 0) : at) + steps, names.size());
            send(Target.preset(), cmd("preset.load").put("name", names.get(next)));
        } catch (BadCommandException e) {
            complain(Target.preset(), e.getMessage());
        }
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

    private void send(Target target, ObjectNode command) {
        try {
            control.handle(command);
            complained.remove(target);
        } catch (BadCommandException e) {
            complain(target, e.getMessage());
        }
    }

    private void complain(Target target, String why) {
        if (!why.equals(complained.put(target, why))) {
            LOG.log(System.Logger.Level.WARNING, "hardware control for " + target + ": " + why);
        }
    }
}
