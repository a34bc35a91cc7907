package jambox.dsp;

import java.util.List;
import java.util.function.Supplier;

/**
 * One kind of pedal in the catalog: its id (as in presets and the control API), the names a
 * person reads, where its DSP comes from, its parameters, and how to make one.
 *
 * @param implementation a sentence for {@code docs/pedals.md}: which parts are TarsosDSP's and
 *                       which are ours, and why
 * @param latencySamples the pure delay the pedal adds to everything through it, in samples at
 *                       whatever rate it runs (oversampling filters, look-ahead); not the
 *                       frequency-dependent phase of its minimum-phase filters, which an
 *                       analog pedal has too and which no delay compensation could undo
 */
public record PedalType(String id, String name, String description, String implementation,
                        List<ParamSpec> params, Supplier<Pedal> factory, double latencySamples) {

    public PedalType {
        params = List.copyOf(params);
        if (!(latencySamples >= 0 && latencySamples < 4096)) {
            throw new IllegalArgumentException(id + ": latency " + latencySamples + " samples");
        }
        if (params.stream().map(ParamSpec::id).distinct().count() != params.size()) {
            throw new IllegalArgumentException(id + ": two parameters share an id");
        }
    }

    /** A pedal that adds no delay of its own. */
    public PedalType(String id, String name, String description, String implementation,
                     List<ParamSpec> params, Supplier<Pedal> factory) {
        this(id, name, description, implementation, params, factory, 0);
    }

    public ParamSpec param(String paramId) {
        for (ParamSpec p : params) {
            if (p.id().equals(paramId)) {
                return p;
            }
        }
        throw new IllegalArgumentException(id + " has no parameter '" + paramId + "'; it has "
                + params.stream().map(ParamSpec::id).toList());
    }

    /** A new pedal of this type, with every parameter at its default. Call {@link Pedal#prepare} before use. */
    public Pedal create() {
        return factory.get();
    }
}
