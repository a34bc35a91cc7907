package jambox.appliance.board;

import java.util.ArrayList;
import java.util.List;

import jambox.dsp.Board;
import jambox.dsp.Pedal;
import jambox.dsp.Transport;
import jambox.dsp.ir.IrBank;
import jambox.dsp.pedal.Looper;

/**
 * A whole board as data: one chain of pedals per input channel. Checked against the catalog
 * when read, so {@link #build} only fails on things no file can fix.
 */
public record BoardSpec(String name, List<List<PedalSpec>> channels) {
    /** One chain per input channel at most. */
    public static final int MAX_CHANNELS = 2;
    /**
     * Loopers on one chain at most: each holds a minute of sound and an undo layer (23 MB at 48 kHz),
     * so two chains of sixteen would not fit the service's heap; and one loop per input is what a
     * player needs (both channels' loopers make the box's stereo loop).
     */
    public static final int MAX_LOOPERS = 1;

    /** Refuses what no board may be, whoever makes it: files and commands check first, in the player's words. */
    public BoardSpec {
        channels = channels.stream().map(List::copyOf).toList();
        if (channels.isEmpty() || channels.size() > MAX_CHANNELS) {
            throw new IllegalArgumentException("a board has 1 or " + MAX_CHANNELS + " channels, not " + channels.size());
        }
        for (List<PedalSpec> chain : channels) {
            if (chain.size() > Board.MAX_PEDALS) {
                throw new IllegalArgumentException("a chain holds at most " + Board.MAX_PEDALS + " pedals, not " + chain.size());
            }
            if (loopers(chain) > MAX_LOOPERS) {
                throw new IllegalArgumentException("a chain holds at most " + MAX_LOOPERS + " looper, not " + loopers(chain));
            }
        }
    }

    /** How many loopers a chain has. */
    public static long loopers(List<PedalSpec> chain) {
        return chain.stream().filter(p -> p.type().equals(Looper.TYPE.id())).count();
    }

    /** The chain for input channel {@code c}; a board with fewer channels repeats its last one. */
    public List<PedalSpec> channel(int c) {
        return channels.get(Math.min(c, channels.size() - 1));
    }

    /** A running board for input channel {@code c}, its pedals made and set as the spec says. */
    public Board build(int c, float sampleRate, int maxBlock) {
        return build(c, sampleRate, maxBlock, new Transport(), new IrBank());
    }

    /** As {@link #build(int, float, int)}, its pedals keeping time with {@code transport} and using {@code irs}. */
    public Board build(int c, float sampleRate, int maxBlock, Transport transport, IrBank irs) {
        Board board = new Board(sampleRate, maxBlock, transport, irs);
        board.load(pedals(c, board));
        return board;
    }

    /** Input channel {@code c}'s pedals, made for {@code board} and set as the spec says, not yet on it. */
    public List<Pedal> pedals(int c, Board board) {
        List<Pedal> pedals = new ArrayList<>();
        for (PedalSpec spec : channel(c)) {
            pedals.add(spec.make(board));
        }
        return pedals;
    }
}
