package jambox.bench.dsp;

import java.util.ArrayList;
import java.util.List;

import jambox.appliance.sim.Riff;
import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.Pedal;
import jambox.dsp.Transport;
import jambox.dsp.ir.ImpulseResponse;
import jambox.dsp.ir.IrBank;

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

    /** Issue 20's board: an amp into a 200 ms impulse response, then the time effects. */
    static final List<String> AMP_IR = List.of("amp", "ir", "delay", "reverb");
    static final double IR_SECONDS = 0.2;

    /**
     * {@link #AMP_IR} with its ir pedal on a 200 ms upload (9600 taps at 48 kHz: decaying noise,
     * fixed seed), so that every one of its 149 frequency-domain partitions costs what a real
     * long response would.
     */
    static Board ampIrBoard() {
        IrBank bank = new IrBank();
        java.util.Random random = new java.util.Random(20);
        float[] h = new float[(int) Math.round(IR_SECONDS * RATE)];
        for (int i = 0; i < h.length; i++) {
            h[i] = (float) (random.nextGaussian() * Math.exp(-5.0 * i / h.length));
        }
        bank.setUser(0, new ImpulseResponse("bench 200 ms", (int) RATE, new float[][] {h}));
        Board board = new Board(RATE, BLOCK, new Transport(), bank);
        List<Pedal> pedals = new ArrayList<>();
        for (String id : AMP_IR) {
            Pedal p = board.create(Catalog.byId(id));
            if (id.equals("ir")) {
                p.set("ir", p.type().param("ir").choiceIndex("user 1"));
            }
            pedals.add(p);
        }
        board.load(pedals);
        return board;
    }

    /** Four seconds of plucked riff: notes, decays and gaps like real playing. */
    static float[] guitar() {
        return Riff.render(RATE, 4, 110);
    }
}
