package jambox.appliance.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.appliance.engine.Engine;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;

/**
 * What a control surface reads back, as plain values: where a knob's parameter or gain is now (for
 * soft takeover and encoder steps), whether a footswitch's pedal is bypassed (its LED), which preset
 * is loaded, whether the tuner is on. The control thread makes a new one after every change and
 * publishes it ({@link ControlService#snapshot()}); any thread reads it without waiting for a
 * command, and a renamed field is a compile error here, not a silent zero from a JSON path.
 * Immutable.
 *
 * @param masterDb  the headphones' master gain, dB
 * @param selfDb    the self-monitor gain of input 1 and 2, dB
 * @param pedals    for each pedal type on input 1's chain, the first pedal of that type (the one
 *                  a control bound to the type acts on), in chain order
 * @param preset    the preset the board came from, or null
 * @param tunerOn   whether the tuner runs
 * @param tunerMute whether the tuner mutes the output while it runs
 */
public record Snapshot(double masterDb, List<Double> selfDb, Map<String, Pedal> pedals, String preset,
                       boolean tunerOn, boolean tunerMute) {

    /**
     * One pedal on input 1's chain.
     *
     * @param index  its place on the chain (what {@code set} and {@code bypass} commands name)
     * @param params every parameter of its type, the default where the board does not set it
     */
    public record Pedal(String type, int index, boolean bypass, Map<String, Double> params) {
        public Pedal {
            params = Map.copyOf(params);
        }

        /** The parameter's value; {@code id} must be one of its type's parameters. */
        public double param(String id) {
            Double v = params.get(id);
            if (v == null) {
                throw new IllegalArgumentException(type + " has no parameter '" + id + "'");
            }
            return v;
        }
    }

    public Snapshot {
        selfDb = List.copyOf(selfDb);
        pedals = Collections.unmodifiableMap(new LinkedHashMap<>(pedals));
    }

    /** The first pedal of this type on input 1's chain, or null when there is none. */
    public Pedal pedal(String type) {
        return pedals.get(type);
    }

    /** The self-monitor gain of input {@code channel} (0 or 1), dB. */
    public double selfDb(int channel) {
        return selfDb.get(channel);
    }

    /** Reads the values off the running box; on the control thread, after a change. */
    static Snapshot of(Engine engine, String preset, boolean tunerOn) {
        BoardSpec board = engine.board();
        Map<String, Pedal> pedals = new LinkedHashMap<>();
        List<PedalSpec> chain = board.channel(0);
        for (int i = 0; i < chain.size(); i++) {
            PedalSpec p = chain.get(i);
            if (pedals.containsKey(p.type())) {
                continue;
            }
            Map<String, Double> params = new LinkedHashMap<>();
            for (ParamSpec spec : Catalog.byId(p.type()).params()) {
                params.put(spec.id(), p.params().getOrDefault(spec.id(), spec.defaultValue()));
            }
            pedals.put(p.type(), new Pedal(p.type(), i, p.bypass(), params));
        }
        return new Snapshot(engine.mixer().masterDb(),
                List.of(engine.mixer().self(0).gainDb(), engine.mixer().self(1).gainDb()), pedals, preset, tunerOn,
                engine.tunerMute());
    }
}
