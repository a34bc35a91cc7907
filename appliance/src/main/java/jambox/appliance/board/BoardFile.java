package jambox.appliance.board;

import static jambox.appliance.store.JsonRules.object;
import static jambox.appliance.store.JsonRules.only;
import static jambox.appliance.store.JsonRules.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.store.JsonRules;
import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.dsp.PedalType;

/**
 * Reads a board from JSON. Every mistake is reported with where it is, in words a player can
 * act on ("channels[0].pedals[1].params.drive: 60 is outside 0 .. 45 dB"), and nothing is
 * half-loaded: the whole file is checked before a board is returned.
 *
 * <pre>{"version": 1, "name": "Crunch",
 *  "channels": [ {"pedals": [ {"type": "overdrive", "bypass": false, "params": {"drive": 20}} ]} ]}</pre>
 *
 * Choice parameters take their choice's name ({@code "voicing": "4x12"}) or its index.
 * {@link #write} produces the same format, so what it writes reads back equal.
 */
public final class BoardFile {
    public static final int VERSION = 1;
    /** Writes only: reading goes through {@link JsonRules#parse}, which is strict. */
    private static final ObjectMapper JSON = new ObjectMapper();
    // Files people read and diff: "key": value, one pedal per line block, arrays broken like objects.
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    private BoardFile() {
    }

    /** A problem with a board file, already phrased for the person who wrote it. */
    public static final class BadBoardException extends JsonRules.BadJsonException {
        public BadBoardException(String message) {
            super(message);
        }
    }

    /** A board file; a file over {@link JsonRules#MAX_FILE_BYTES} is refused without being read whole. */
    public static BoardSpec read(Path file) throws BadBoardException {
        byte[] bytes;
        try {
            bytes = JsonRules.readFile(file);
        } catch (JsonRules.BadJsonException e) {
            throw new BadBoardException(e.getMessage());
        }
        try {
            return read(bytes);
        } catch (BadBoardException e) {
            throw new BadBoardException(file + ": " + e.getMessage());
        }
    }

    public static BoardSpec read(InputStream in, String origin) throws BadBoardException {
        try {
            return read(in.readNBytes(JsonRules.MAX_FILE_BYTES + 1));
        } catch (BadBoardException e) {
            throw new BadBoardException(origin + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadBoardException(origin + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * A board from JSON held in memory; a mistake is reported by where it is in the board, without
     * a file name. Every limit (file size, nesting, channels, {@link Board#MAX_PEDALS} per chain)
     * is checked before any pedal is read, so a huge board costs nothing but the refusal.
     */
    public static BoardSpec read(byte[] json) throws BadBoardException {
        try {
            JsonNode root = JsonRules.parse(json);
            if (root == null) {
                throw new BadBoardException("empty: there is no board in it"); // what a write cut short by some other tool leaves
            }
            return parse(root);
        } catch (BadBoardException e) {
            throw e;
        } catch (JsonRules.BadJsonException e) {
            throw new BadBoardException(e.getMessage());
        }
    }

    /**
     * The board as this format's JSON, pretty printed. It writes what the spec holds without judging
     * it: a spec no file could hold (an unknown type, a value out of range) is written as it is, and
     * {@link #read} then reports it as it would for any file. Parameters come in the catalog's order.
     */
    public static byte[] write(BoardSpec board) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("name", board.name());
        ArrayNode channels = root.putArray("channels");
        for (List<PedalSpec> chain : board.channels()) {
            ArrayNode pedals = channels.addObject().putArray("pedals");
            for (PedalSpec p : chain) {
                ObjectNode pedal = pedals.addObject();
                pedal.put("type", p.type());
                pedal.put("bypass", p.bypass());
                ObjectNode params = pedal.putObject("params");
                PedalType type = Catalog.ALL.stream().filter(t -> t.id().equals(p.type())).findFirst().orElse(null);
                for (String id : paramOrder(type, p.params().keySet())) {
                    putValue(params, id, type == null ? null : spec(type, id), p.params().get(id));
                }
            }
        }
        try {
            return (JSON.writer(PRETTY).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a tree of plain values always serialises", e);
        }
    }

    private static List<String> paramOrder(PedalType type, Set<String> ids) {
        List<String> order = new ArrayList<>();
        if (type != null) {
            type.params().stream().map(ParamSpec::id).filter(ids::contains).forEach(order::add);
        }
        new TreeSet<>(ids).stream().filter(id -> !order.contains(id)).forEach(order::add);
        return order;
    }

    private static ParamSpec spec(PedalType type, String id) {
        return type.params().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    private static void putValue(ObjectNode params, String id, ParamSpec spec, double v) {
        if (spec != null && spec.isChoice() && v == Math.rint(v) && v >= 0 && v < spec.choices().size()) {
            params.put(id, spec.choices().get((int) v));
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15 && Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(-0.0)) {
            // "20", not "20.0": hand-written presets look like this, and it reads back as the same double.
            params.put(id, (long) v);
        } else {
            params.put(id, v);
        }
    }

    private static BoardSpec parse(JsonNode root) throws JsonRules.BadJsonException {
        object(root, "the board");
        only(root, "", Set.of("version", "name", "channels"));
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw new BadBoardException("version: expected " + VERSION + ", found " + (version == null ? "none" : version));
        }
        String name = root.has("name") ? text(root.get("name"), "name") : "";
        JsonNode channels = root.get("channels");
        if (channels == null || !channels.isArray() || channels.isEmpty() || channels.size() > BoardSpec.MAX_CHANNELS) {
            throw new BadBoardException("channels: expected a list of 1 or " + BoardSpec.MAX_CHANNELS + " channels"
                    + (channels != null && channels.isArray() && !channels.isEmpty() ? ", found " + channels.size() : ""));
        }
        for (int c = 0; c < channels.size(); c++) { // every chain's length before any pedal is looked at
            String at = "channels[" + c + "]";
            JsonNode channel = channels.get(c);
            object(channel, at);
            only(channel, at + ".", Set.of("pedals"));
            JsonNode pedals = channel.get("pedals");
            if (pedals == null || !pedals.isArray()) {
                throw new BadBoardException(at + ".pedals: expected a list of pedals");
            }
            if (pedals.size() > Board.MAX_PEDALS) {
                throw new BadBoardException(at + ".pedals: " + pedals.size() + " pedals; a chain holds at most "
                        + Board.MAX_PEDALS);
            }
        }
        List<List<PedalSpec>> chains = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            String at = "channels[" + c + "]";
            JsonNode pedals = channels.get(c).get("pedals");
            List<PedalSpec> chain = new ArrayList<>();
            for (int i = 0; i < pedals.size(); i++) {
                chain.add(pedal(pedals.get(i), at + ".pedals[" + i + "]"));
            }
            if (BoardSpec.loopers(chain) > BoardSpec.MAX_LOOPERS) {
                throw new BadBoardException(at + ".pedals: " + BoardSpec.loopers(chain) + " loopers; a chain holds at most "
                        + BoardSpec.MAX_LOOPERS + " (each keeps a minute of sound in memory)");
            }
            chains.add(chain);
        }
        return new BoardSpec(name, chains);
    }

    private static PedalSpec pedal(JsonNode node, String at) throws JsonRules.BadJsonException {
        object(node, at);
        only(node, at + ".", Set.of("type", "bypass", "params"));
        if (!node.has("type")) {
            throw new BadBoardException(at + ": a pedal needs a \"type\"");
        }
        String typeId = text(node.get("type"), at + ".type");
        PedalType type;
        try {
            type = Catalog.byId(typeId);
        } catch (IllegalArgumentException e) {
            throw new BadBoardException(at + ".type: " + e.getMessage());
        }
        boolean bypass = false;
        if (node.has("bypass")) {
            if (!node.get("bypass").isBoolean()) {
                throw new BadBoardException(at + ".bypass: expected true or false");
            }
            bypass = node.get("bypass").booleanValue();
        }
        Map<String, Double> params = new LinkedHashMap<>();
        JsonNode ps = node.get("params");
        if (ps != null) {
            object(ps, at + ".params");
            for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String where = at + ".params." + e.getKey();
                ParamSpec spec;
                try {
                    spec = type.param(e.getKey());
                } catch (IllegalArgumentException ex) {
                    throw new BadBoardException(where + ": " + ex.getMessage());
                }
                params.put(e.getKey(), value(spec, e.getValue(), where));
            }
        }
        return new PedalSpec(typeId, bypass, params);
    }

    private static double value(ParamSpec spec, JsonNode v, String where) throws BadBoardException {
        try {
            if (v.isTextual() && spec.isChoice()) {
                return spec.choiceIndex(v.textValue());
            }
            if (!v.isNumber()) {
                throw new BadBoardException(where + ": expected " + (spec.isChoice() ? "one of " + spec.choices() : "a number") + ", found " + v);
            }
            return spec.validate(v.doubleValue());
        } catch (IllegalArgumentException e) {
            throw new BadBoardException(where + ": " + e.getMessage().replaceFirst("^" + spec.id() + ": ", ""));
        }
    }
}
