package jambox.appliance.board;

import java.util.Map;

/** One pedal as a file describes it: its type, bypass switch and the parameters it sets. */
public record PedalSpec(String type, boolean bypass, Map<String, Double> params) {
    public PedalSpec {
        params = Map.copyOf(params);
    }
}
