package jambox.bench.dsp;

import java.util.ArrayList;
import java.util.List;

import jambox.appliance.sim.Riff;
import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.Pedal;

/** What the dsp benchmarks play: the eight-pedal board and a guitar-like input. */
final class Boards {
    static final float RATE = 48000f;
    static final int BLOCK = 64;
    /** The board the targets are set for, in signal order. */
    static final List<String> BOARD8 = List.of("gate", "compressor", "overdrive", "eq", "cabinet", "chorus", "delay", "reverb");

    private Boards() {
    }

    static Board board8() {
        Board board = new Board(RATE, BLOCK);
        List<Pedal> pedals = new ArrayList<>();
        for (String id : BOARD8) {
            pedals.add(board.create(Catalog.byId(id)));
        }
        board.load(pedals);
        return board;
    }

    /** Four seconds of plucked riff: notes, decays and gaps like real playing. */
    static float[] guitar() {
        return Riff.render(RATE, 4, 110);
    }
}
