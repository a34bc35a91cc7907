package jambox.appliance.board;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;

/**
 * The one way a running {@link Board} is brought to a {@link BoardSpec} chain. The spec is the
 * truth (what presets save, the page shows and the autosave keeps); a command only makes a new
 * spec, and this derives the edit of the running pedals from the difference between the board
 * as it runs (read back from its pedals, not remembered) and the spec. So there is no second,
 * hand-written edit of the live board that could disagree with the spec.
 *
 * <p>The edit it picks is the smallest that gets there, so a command sounds as it always has: a
 * changed value glides ({@link Param}), a bypass crossfades, one inserted, removed or moved pedal
 * fades in or out on its own (the {@link Board}'s fades), and anything bigger reloads the chain,
 * old pedals fading out and new ones in. The edit sees types, order and values only: a move
 * between two pedals of one type leaves the types in order, so their values are exchanged
 * (gliding) instead; and of two pedals alike in type and every value, which one an edit keeps
 * is not defined (only what each holds of the last sound, a delay's tail, tells them apart).
 *
 * <p>Control thread only, one edit at a time (the command service): it allocates, and waits for
 * the board's fades. The audio thread sees only what {@link Board} and {@link Param} hand it,
 * lock-free.
 */
public final class BoardSync {
    private BoardSync() {
    }

    /**
     * The running board read back as a chain: each pedal's type and bypass, and every parameter at
     * the value it was last set to ({@link Param#get}), whether or not a spec named it.
     */
    public static List<PedalSpec> read(Board board) {
        List<PedalSpec> chain = new ArrayList<>();
        for (Pedal p : board.pedals()) {
            Map<String, Double> params = new HashMap<>();
            for (Param param : p.params()) {
                params.put(param.spec().id(), asHeld(param.get()));
            }
            chain.add(new PedalSpec(p.type().id(), p.isBypassed(), params));
        }
        return chain;
    }

    /**
     * A chain as a running board holds it, for comparing with {@link #read}: every parameter given
     * (its default where the spec is silent), each at the precision a {@link Param} keeps (a float).
     */
    public static List<PedalSpec> held(List<PedalSpec> chain) {
        List<PedalSpec> held = new ArrayList<>();
        for (PedalSpec p : chain) {
            Map<String, Double> params = new HashMap<>();
            for (ParamSpec s : Catalog.byId(p.type()).params()) {
                params.put(s.id(), asHeld(value(p, s)));
            }
            held.add(new PedalSpec(p.type(), p.bypass(), params));
        }
        return held;
    }

    /**
     * Brings {@code board} to {@code chain} by the smallest edit: nothing when it is there; values
     * and bypass switches set in place when the pedals are the same types in the same order; one
     * insert, removal or move and then those when one lines the types up (of several, the one
     * leaving the fewest values to change); else a {@link #reload}.
     */
    public static void follow(Board board, List<PedalSpec> chain) {
        List<PedalSpec> want = held(chain);
        List<PedalSpec> have = read(board);
        if (want.equals(have)) {
            return;
        }
        if (!types(want).equals(types(have))) {
            Step step = oneStep(have, want);
            if (step == null) {
                reload(board, chain);
                return;
            }
            step.apply(board, chain);
        }
        for (int i = 0; i < chain.size(); i++) {
            tune(board.get(i), chain.get(i));
        }
    }

    /** Replaces every pedal of {@code board} by new ones made from {@code chain}: the old fade out, the new in. */
    public static void reload(Board board, List<PedalSpec> chain) {
        List<Pedal> pedals = new ArrayList<>();
        for (PedalSpec p : chain) {
            pedals.add(p.make(board));
        }
        board.load(pedals);
    }

    /** Sets what differs on a pedal already of the spec's type: a value glides, a bypass crossfades. */
    private static void tune(Pedal pedal, PedalSpec spec) {
        for (ParamSpec s : pedal.type().params()) {
            double v = value(spec, s);
            if ((float) v != (float) pedal.get(s.id())) {
                pedal.set(s.id(), v);
            }
        }
        if (pedal.isBypassed() != spec.bypass()) {
            pedal.setBypassed(spec.bypass());
        }
    }

    /** A value as a {@link Param} keeps it (a float), with -0 read as 0 so that the two compare equal, as the pedal takes them. */
    private static double asHeld(double v) {
        return (double) (float) v + 0.0;
    }

    private static double value(PedalSpec p, ParamSpec s) {
        return p.params().getOrDefault(s.id(), s.defaultValue());
    }

    private static List<String> types(List<PedalSpec> chain) {
        return chain.stream().map(PedalSpec::type).toList();
    }

    /** One structural edit of a chain: {@code INSERT} at {@code a}, {@code REMOVE} at {@code a}, or {@code MOVE} {@code a} to {@code b}. */
    private record Step(Kind kind, int a, int b) {
        enum Kind { INSERT, REMOVE, MOVE }

        /** The chain {@code have} (held form) after this step, its new pedal as {@code want} has it. */
        List<PedalSpec> after(List<PedalSpec> have, List<PedalSpec> want) {
            List<PedalSpec> c = new ArrayList<>(have);
            switch (kind) {
                case INSERT -> c.add(a, want.get(a));
                case REMOVE -> c.remove(a);
                case MOVE -> c.add(b, c.remove(a));
            }
            return c;
        }

        void apply(Board board, List<PedalSpec> chain) {
            switch (kind) {
                case INSERT -> board.insert(a, chain.get(a).make(board));
                case REMOVE -> board.remove(a);
                case MOVE -> board.move(a, b);
            }
        }
    }

    /** The single insert, removal or move after which {@code have} has {@code want}'s types in order, fewest values apart; null if none. */
    private static Step oneStep(List<PedalSpec> have, List<PedalSpec> want) {
        List<Step> candidates = new ArrayList<>();
        int n = have.size();
        if (want.size() == n + 1) {
            for (int i = 0; i <= n; i++) {
                candidates.add(new Step(Step.Kind.INSERT, i, i));
            }
        } else if (want.size() == n - 1) {
            for (int i = 0; i < n; i++) {
                candidates.add(new Step(Step.Kind.REMOVE, i, i));
            }
        } else if (want.size() == n) {
            for (int from = 0; from < n; from++) {
                for (int to = 0; to < n; to++) {
                    if (from != to) {
                        candidates.add(new Step(Step.Kind.MOVE, from, to));
                    }
                }
            }
        }
        List<String> target = types(want);
        Step best = null;
        int fewest = Integer.MAX_VALUE;
        for (Step s : candidates) {
            List<PedalSpec> after = s.after(have, want);
            if (types(after).equals(target)) {
                int d = differences(after, want);
                if (d < fewest) {
                    fewest = d;
                    best = s;
                }
            }
        }
        return best;
    }

    /** How many values and bypass switches differ between two chains of the same types (held form). */
    private static int differences(List<PedalSpec> a, List<PedalSpec> b) {
        int d = 0;
        for (int i = 0; i < a.size(); i++) {
            PedalSpec x = a.get(i);
            PedalSpec y = b.get(i);
            d += x.bypass() != y.bypass() ? 1 : 0;
            for (Map.Entry<String, Double> e : x.params().entrySet()) {
                d += e.getValue().equals(y.params().get(e.getKey())) ? 0 : 1;
            }
        }
        return d;
    }
}
