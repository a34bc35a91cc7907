package jambox.appliance.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;

/**
 * A running board follows its spec by the smallest edit: the pedals a command leaves alone are the
 * very same objects afterwards (so they glide and keep their tails, not restart), and whatever the
 * spec, the board read back from its pedals is the spec.
 */
class BoardSyncTest {
    private static PedalSpec pedal(String type, boolean bypass, Map<String, Double> params) {
        return new PedalSpec(type, bypass, params);
    }

    private static Board board(List<PedalSpec> chain) {
        Board b = new Board(48_000, 256);
        BoardSync.reload(b, chain);
        return b;
    }

    @Test
    void aChangedValueOrBypassIsSetOnTheSamePedal() {
        List<PedalSpec> chain = List.of(pedal("overdrive", false, Map.of("drive", 10.0)), pedal("delay", false, Map.of()));
        Board b = board(chain);
        List<Pedal> before = b.pedals();
        BoardSync.follow(b, List.of(pedal("overdrive", false, Map.of("drive", 22.5)), pedal("delay", true, Map.of())));
        assertEquals(before, b.pedals(), "no pedal was made or moved");
        assertEquals(22.5, b.get(0).get("drive"), 1e-9);
        assertTrue(b.get(1).isBypassed());
        BoardSync.follow(b, chain);
        assertEquals(BoardSync.held(chain), BoardSync.read(b), "a value the spec leaves out is the default again");
    }

    @Test
    void anInsertedPedalGoesWhereTheOldOnesLeaveMostAlone() {
        // Two overdrives: the one already there keeps its place and its drive, and the new one,
        // at its defaults, is the one made.
        Board b = board(List.of(pedal("overdrive", false, Map.of("drive", 30.0))));
        Pedal old = b.get(0);
        List<PedalSpec> two = List.of(pedal("overdrive", false, Map.of("drive", 30.0)), pedal("overdrive", false, Map.of()));
        BoardSync.follow(b, two);
        assertSame(old, b.get(0));
        assertEquals(30.0, old.get("drive"), 1e-9, "the old pedal was not retuned");
        assertEquals(BoardSync.held(two), BoardSync.read(b));
    }

    @Test
    void aMoveMovesThePedalAndABiggerChangeReloads() {
        List<PedalSpec> abc = List.of(pedal("gate", false, Map.of()), pedal("chorus", false, Map.of()), pedal("reverb", true, Map.of()));
        Board b = board(abc);
        List<Pedal> was = b.pedals();
        BoardSync.follow(b, List.of(abc.get(1), abc.get(2), abc.get(0)));
        assertEquals(List.of(was.get(1), was.get(2), was.get(0)), b.pedals(), "the gate moved to the end; no pedal made");

        BoardSync.follow(b, List.of(abc.get(2), abc.get(0), abc.get(1), pedal("boost", false, Map.of())));
        for (Pedal p : b.pedals()) {
            assertTrue(was.stream().noneMatch(w -> w == p), "two steps apart: every pedal is new");
        }
        List<Pedal> now = b.pedals();
        BoardSync.reload(b, BoardSync.read(b));
        for (int i = 0; i < now.size(); i++) {
            assertNotSame(now.get(i), b.get(i), "a reload makes every pedal anew, even the same");
        }
    }

    /**
     * Random chains, each one command (set, bypass, insert, remove, move) or a whole new chain away
     * from the last: after each, the board reads back as the spec, and a one-command edit kept every
     * pedal it did not remove.
     */
    @Test
    void randomEditsLeaveTheBoardAsTheSpecKeepingEveryPedalNotRemoved() {
        for (long seed : new long[] {1, 2, 3}) {
            Random r = new Random(seed);
            List<PedalSpec> chain = randomChain(r, 4);
            Board b = board(chain);
            for (int step = 0; step < 400; step++) {
                String where = "seed " + seed + ", step " + step;
                List<PedalSpec> next = new ArrayList<>(chain);
                int kind = r.nextInt(7);
                int n = next.size();
                if (kind == 0 && n > 0) { // set
                    int i = r.nextInt(n);
                    PedalSpec p = next.get(i);
                    List<ParamSpec> params = Catalog.byId(p.type()).params();
                    ParamSpec s = params.get(r.nextInt(params.size()));
                    Map<String, Double> values = new HashMap<>(p.params());
                    values.put(s.id(), Boards.randomValue(r, s));
                    next.set(i, pedal(p.type(), p.bypass(), values));
                } else if (kind == 1 && n > 0) { // bypass
                    int i = r.nextInt(n);
                    next.set(i, pedal(next.get(i).type(), !next.get(i).bypass(), next.get(i).params()));
                } else if (kind == 2 && n < Board.MAX_PEDALS) { // insert, often a type already on the chain
                    String type = n > 0 && r.nextBoolean() ? next.get(r.nextInt(n)).type() : randomType(r);
                    next.add(r.nextInt(n + 1), pedal(type, false, Map.of()));
                } else if (kind == 3 && n > 0) { // remove
                    next.remove(r.nextInt(n));
                } else if (kind == 4 && n > 0) { // move
                    next.add(r.nextInt(n), next.remove(r.nextInt(n)));
                } else if (kind == 5) { // a whole new chain: a preset loaded
                    next = randomChain(r, r.nextInt(Board.MAX_PEDALS + 1));
                } // else: the same chain again (a preset saved), nothing to do
                Set<Pedal> before = Collections.newSetFromMap(new IdentityHashMap<>());
                before.addAll(b.pedals());
                BoardSync.follow(b, next);
                assertEquals(BoardSync.held(next), BoardSync.read(b), where + ": the board is the spec");
                if (kind != 5) {
                    long kept = b.pedals().stream().filter(before::contains).count();
                    assertEquals(Math.min(before.size(), b.size()), kept, where + ": one edit kept every other pedal");
                }
                chain = next;
            }
        }
    }

    private static List<PedalSpec> randomChain(Random r, int n) {
        List<PedalSpec> chain = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PedalType type = Catalog.byId(randomType(r));
            Map<String, Double> values = new HashMap<>();
            for (ParamSpec s : type.params()) {
                if (r.nextBoolean()) {
                    values.put(s.id(), Boards.randomValue(r, s));
                }
            }
            chain.add(pedal(type.id(), r.nextInt(4) == 0, values));
        }
        return chain;
    }

    private static String randomType(Random r) {
        return Catalog.ALL.get(r.nextInt(Catalog.ALL.size())).id();
    }
}
