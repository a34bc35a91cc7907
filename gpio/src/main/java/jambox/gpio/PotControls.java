package jambox.gpio;

import jambox.gpio.HardwareMap.Pot;
import jambox.surface.SoftTakeover;
import jambox.surface.SurfaceListener;
import jambox.surface.Target;

import java.lang.System.Logger.Level;
import java.util.List;

/** The pots: every {@link #PERIOD_NANOS} each is read from the ADC, filtered, and sent if it moved and holds its target. */
final class PotControls {

    private static final System.Logger LOG = System.getLogger(PotControls.class.getName());

    /** 100 readings a second: a turn reaches the box within a few ms of the average catching up. */
    static final long PERIOD_NANOS = 10_000_000L;
    /**
     * An MCP3008 at 3.3 V with 10 kΩ pots reads within a count or two of the truth; noise of up to
     * 3 counts either way is ignored, so a pot nobody touches says nothing.
     */
    static final int HYSTERESIS = 4;

    private final Mcp3008 adc;
    private final List<Pot> pots;
    private final PotFilter[] filters;
    private final SoftTakeover[] takeovers;
    /**
     * Where each pot's heel and toe sit on its target's travel: the pot sweeps between them, in
     * equal steps of the target's taper. 0 and 1 for a pot over the whole travel; NaN for a span
     * the box cannot place (the pot then sends nothing).
     */
    private final double[] heels;
    private final double[] toes;
    private final SurfaceListener listener;
    private final Scheduler.Task polling;
    private boolean failing;

    PotControls(Mcp3008 adc, List<Pot> pots, Scheduler scheduler, SurfaceListener listener) {
        this.adc = adc;
        this.pots = pots;
        this.listener = listener;
        filters = new PotFilter[pots.size()];
        takeovers = new SoftTakeover[pots.size()];
        heels = new double[pots.size()];
        toes = new double[pots.size()];
        for (int i = 0; i < pots.size(); i++) {
            filters[i] = new PotFilter(HYSTERESIS);
            takeovers[i] = new SoftTakeover();
            Pot pot = pots.get(i);
            heels[i] = pot.hasRange() ? listener.travel(pot.target(), pot.heel()) : 0;
            toes[i] = pot.hasRange() ? listener.travel(pot.target(), pot.toe()) : 1;
            if (Double.isNaN(heels[i]) || Double.isNaN(toes[i])) {
                LOG.log(Level.WARNING, "pots[" + i + "]: the box cannot place heel " + pot.heel() + " and toe " + pot.toe()
                        + " on " + pot.target() + "; the pot does nothing");
            }
        }
        polling = scheduler.every(PERIOD_NANOS, this::poll);
    }

    private void poll() {
        for (int i = 0; i < pots.size(); i++) {
            int raw;
            try {
                raw = adc.read(pots.get(i).adc());
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    LOG.log(Level.WARNING, "the pots' ADC cannot be read (the pots stay where they were): " + e.getMessage());
                }
                return;
            }
            boolean first = Double.isNaN(filters[i].position());
            double moved = filters[i].update(raw);
            // Soft takeover works on the target's travel, where the box's values are.
            if (first) {
                takeovers[i].rests(onTarget(i, filters[i].position()));
            } else if (!Double.isNaN(moved)) {
                double position = onTarget(i, moved);
                if (!Double.isNaN(position) && takeovers[i].moved(position)) {
                    listener.absolute(pots.get(i).target(), position);
                }
            }
        }
        if (failing) {
            failing = false;
            LOG.log(Level.INFO, "the pots' ADC reads again");
        }
    }

    /** The pot's travel 0..1 as a place on its target's travel, between heel and toe. */
    private double onTarget(int pot, double travel) {
        return heels[pot] + travel * (toes[pot] - heels[pot]);
    }

    /** The box's value for {@code target} now; on the hardware thread. */
    void current(Target target, double value) {
        for (int i = 0; i < pots.size(); i++) {
            if (pots.get(i).target().equals(target)) {
                takeovers[i].current(value);
            }
        }
    }

    void close() {
        polling.cancel();
    }
}
