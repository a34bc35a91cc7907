package jambox.appliance.board;

import static jambox.appliance.store.JsonRules.object;
import static jambox.appliance.store.JsonRules.only;
import static jambox.appliance.store.JsonRules.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;

import jambox.appliance.store.JsonRules;
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
 */
public final class BoardFile {
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private BoardFile() {
    }

    /** A problem with a board file, already phrased for the person who wrote it. */
    public static final class BadBoardException extends JsonRules.BadJsonException {
        public BadBoardException(String message) {
            super(message);
        }
    }

    public static BoardSpec read(Path file) throws BadBoardException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadBoardException(file + ": no such file");
        } catch (IOException e) {
            throw new BadBoardException(file + ": cannot read: " + e.getMessage());
        }
        return read(new ByteArrayInputStream(bytes), file.toString());
    }

    public static BoardSpec read(InputStream in, String origin) throws BadBoardException {
        try {
            return parse(JSON.readTree(in));
        } catch (JsonRules.BadJsonException e) {
            throw new BadBoardException(origin + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadBoardException(origin + ": not valid JSON: " + JsonRules.oneLine(e));
        }
    }

    static BoardSpec parse(JsonNode root) throws JsonRules.BadJsonException {
        object(root, "the board");
        only(root, "", Set.of("version", "name", "channels"));
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw new BadBoardException("version: expected " + VERSION + ", found " + (version == null ? "none" : version));
        }
        String name = root.has("name") ? text(root.get("name"), "name") : "";
        JsonNode channels = root.get("channels");
        if (channels == null || !channels.isArray() || channels.isEmpty() || channels.size() > 2) {
            throw new BadBoardException("channels: expected a list of 1 or 2 channels");
        }
        List<List<PedalSpec>> chains = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            String at = "channels[" + c + "]";
            JsonNode channel = channels.get(c);
            object(channel, at);
            only(channel, at + ".", Set.of("pedals"));
            JsonNode pedals = channel.get("pedals");
            if (pedals == null || !pedals.isArray()) {
                throw new BadBoardException(at + ".pedals: expected a list of pedals");
            }
            List<PedalSpec> chain = new ArrayList<>();
            for (int i = 0; i < pedals.size(); i++) {
                chain.add(pedal(pedals.get(i), at + ".pedals[" + i + "]"));
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
