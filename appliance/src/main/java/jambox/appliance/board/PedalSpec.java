package jambox.appliance.board;

import java.util.Map;

import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.Pedal;

/** One pedal as a file describes it: its type, bypass switch and the parameters it sets. */
public record PedalSpec(String type, boolean bypass, Map<String, Double> params) {
    public PedalSpec {
        params = Map.copyOf(params);
    }

    /**
     * A pedal of this type made for {@code board} and set as this says, not yet on it; control
     * thread (it allocates). A parameter the spec leaves out keeps its default.
     */
    public Pedal make(Board board) {
        Pedal p = board.create(Catalog.byId(type));
        for (Map.Entry<String, Double> e : params.entrySet()) {
            p.set(e.getKey(), e.getValue());
        }
        p.setBypassed(bypass);
        return p;
    }
}
