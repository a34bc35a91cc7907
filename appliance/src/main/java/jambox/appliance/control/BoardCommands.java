package jambox.appliance.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.appliance.engine.Engine;
import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.dsp.PedalType;

/**
 * The pedalboard commands: each checks everything first, then makes the new board spec and hands
 * it to {@link Engine#changeBoard}. That is all a command edits: the running pedals follow the
 * spec by one derived edit ({@link jambox.appliance.board.BoardSync}), so the spec (what presets
 * and the page see) and the sound cannot disagree.
 */
final class BoardCommands {
    private final Engine engine;

    BoardCommands(Engine engine) {
        this.engine = engine;
    }

    void set(Args a) throws BadCommandException {
        a.only("channel", "index", "param", "value");
        BoardSpec board = engine.board();
        int chain = chain(board, a);
        List<PedalSpec> pedals = board.channels().get(chain);
        int index = a.integer("index", 0, pedals.size() - 1);
        PedalSpec pedal = pedals.get(index);
        PedalType type = Catalog.byId(pedal.type());
        String paramId = a.text("param", 64);
        ParamSpec spec;
        try {
            spec = type.param(paramId);
        } catch (IllegalArgumentException e) {
            throw new BadCommandException(e.getMessage());
        }
        double value = value(spec, a.raw("value"));
        Map<String, Double> params = new LinkedHashMap<>(pedal.params());
        params.put(paramId, value);
        engine.changeBoard(replace(board, chain, index, new PedalSpec(pedal.type(), pedal.bypass(), params)));
    }

    void bypass(Args a) throws BadCommandException {
        a.only("channel", "index", "on");
        BoardSpec board = engine.board();
        int chain = chain(board, a);
        List<PedalSpec> pedals = board.channels().get(chain);
        int index = a.integer("index", 0, pedals.size() - 1);
        boolean on = a.bool("on");
        PedalSpec pedal = pedals.get(index);
        engine.changeBoard(replace(board, chain, index, new PedalSpec(pedal.type(), on, pedal.params())));
    }

    void insert(Args a) throws BadCommandException {
        a.only("channel", "index", "type");
        BoardSpec board = engine.board();
        int chain = chain(board, a);
        List<PedalSpec> pedals = new ArrayList<>(board.channels().get(chain));
        if (pedals.size() >= Board.MAX_PEDALS) {
            throw new BadCommandException("a chain holds at most " + Board.MAX_PEDALS + " pedals");
        }
        int index = a.integer("index", 0, pedals.size());
        PedalType type;
        try {
            type = Catalog.byId(a.text("type", 64));
        } catch (IllegalArgumentException e) {
            throw new BadCommandException(e.getMessage());
        }
        pedals.add(index, new PedalSpec(type.id(), false, Map.of()));
        if (BoardSpec.loopers(pedals) > BoardSpec.MAX_LOOPERS) {
            throw new BadCommandException("a chain holds at most " + BoardSpec.MAX_LOOPERS
                    + " looper (each keeps a minute of sound in memory)");
        }
        engine.changeBoard(with(board, chain, pedals));
    }

    void remove(Args a) throws BadCommandException {
        a.only("channel", "index");
        BoardSpec board = engine.board();
        int chain = chain(board, a);
        List<PedalSpec> pedals = new ArrayList<>(board.channels().get(chain));
        int index = a.integer("index", 0, pedals.size() - 1);
        pedals.remove(index);
        engine.changeBoard(with(board, chain, pedals));
    }

    void move(Args a) throws BadCommandException {
        a.only("channel", "from", "to");
        BoardSpec board = engine.board();
        int chain = chain(board, a);
        List<PedalSpec> pedals = new ArrayList<>(board.channels().get(chain));
        int from = a.integer("from", 0, pedals.size() - 1);
        int to = a.integer("to", 0, pedals.size() - 1);
        pedals.add(to, pedals.remove(from));
        engine.changeBoard(with(board, chain, pedals));
    }

    private static int chain(BoardSpec board, Args a) throws BadCommandException {
        int channel = a.integer("channel", 0, 1);
        if (channel >= board.channels().size()) {
            throw new BadCommandException("this board has one chain, shared by both inputs: use channel 0");
        }
        return channel;
    }

    private static double value(ParamSpec spec, JsonNode v) throws BadCommandException {
        try {
            if (v.isTextual() && spec.isChoice()) {
                return spec.choiceIndex(v.textValue());
            }
            if (!v.isNumber()) {
                throw new BadCommandException(spec.id() + ": expected " + (spec.isChoice() ? "one of " + spec.choices()
                        : "a number") + ", found " + v);
            }
            return spec.validate(v.doubleValue());
        } catch (IllegalArgumentException e) {
            throw new BadCommandException(e.getMessage());
        }
    }

    private static BoardSpec replace(BoardSpec board, int chain, int index, PedalSpec pedal) {
        List<PedalSpec> pedals = new ArrayList<>(board.channels().get(chain));
        pedals.set(index, pedal);
        return with(board, chain, pedals);
    }

    private static BoardSpec with(BoardSpec board, int chain, List<PedalSpec> pedals) {
        List<List<PedalSpec>> chains = new ArrayList<>(board.channels());
        chains.set(chain, pedals);
        return new BoardSpec(board.name(), chains);
    }
}
