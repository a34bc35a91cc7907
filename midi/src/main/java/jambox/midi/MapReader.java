package jambox.midi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jambox.surface.Target;
import jambox.surface.Target.Kind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * midi.json to a {@link MidiMap}, in the way the gpio module reads hardware.json: the tree is walked by
 * hand so that every complaint names its place ({@code bindings[2].cc}) and unknown fields are refused
 * by name.
 */
final class MapReader {

    /** midi.json is 4 levels deep; anything far deeper is not a map. */
    static final int MAX_DEPTH = 16;
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .build();

    private MapReader() {}

    static MidiMap read(byte[] json, String origin) throws BadMidiMapException {
        JsonNode tree;
        try (JsonParser p = JSON.createParser(json)) {
            tree = JSON.readTree(p);
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                throw notJson(origin, e.getLocation(), "more follows the end of the JSON");
            }
            if (after != null) {
                throw notJson(origin, p.currentTokenLocation(), "more follows the end of the JSON");
            }
        } catch (StreamConstraintsException e) {
            throw notJson(origin, null, "nested more than " + MAX_DEPTH + " levels deep");
        } catch (JsonEOFException e) {
            throw notJson(origin, e.getLocation(), "the file ends in the middle of the JSON");
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage().startsWith("Unexpected end-of-input")) { // not always a JsonEOFException
                throw notJson(origin, e.getLocation(), "the file ends in the middle of the JSON");
            }
            throw notJson(origin, e.getLocation(), inOurWords(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new BadMidiMapException(origin + ": cannot read it: " + e, e);
        }
        if (tree == null) {
            throw new BadMidiMapException(origin + ": not JSON: the file is empty");
        }
        try {
            return map(new Node(tree, ""));
        } catch (IllegalArgumentException e) {
            // MapRules, the records and Node speak as "<place>: <reason>" already.
            throw new BadMidiMapException(origin + ": " + e.getMessage());
        }
    }

    private static BadMidiMapException notJson(String origin, JsonLocation at, String why) {
        return new BadMidiMapException(origin + ": not JSON" + (at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + why);
    }

    /** Jackson's "(for Array starting at [Source: ...])" tells a reader of the file nothing more. */
    private static String inOurWords(String message) {
        return message.replaceAll("\\s*\\([^()\\[]*\\[Source: .*?\\]\\)", "")
                .replaceFirst("^Duplicate field '(.*)'$", "'$1' is given twice in one object")
                .replaceAll("\\s+", " ");
    }

    private static MidiMap map(Node root) {
        root.fields("version", "programs", "bindings");
        int version = root.need("version").whole();
        if (version != MidiMap.VERSION) {
            throw root.need("version").bad("this box reads version " + MidiMap.VERSION + ", not " + version);
        }
        Node programs = root.get("programs");
        List<Binding> bindings = new ArrayList<>();
        Node list = root.get("bindings");
        if (list != null) {
            if (!list.json.isArray()) {
                throw list.bad("must be an array");
            }
            List<Binding> read = new ArrayList<>();
            for (int i = 0; i < list.json.size(); i++) {
                read.add(binding(new Node(list.json.get(i), list.place + "[" + i + "]")));
            }
            bindings = read;
        }
        return new MidiMap(bindings, programs == null ? Programs.DEFAULT : programs(programs));
    }

    private static Programs programs(Node node) {
        if (node.json.isTextual()) {
            if (!node.json.textValue().equals("off")) {
                throw node.bad("is \"off\" or {\"channel\": ..., \"first\": ...}, not \"" + node.json.textValue() + "\"");
            }
            return Programs.OFF;
        }
        node.fields("channel", "first");
        Node first = node.get("first");
        return new Programs(true, channel(node), first == null ? 0 : first.whole());
    }

    private static Binding binding(Node node) {
        node.fields("cc", "note", "program", "channel", "relative", "range", "preset", "target");
        Source.Kind kind = null;
        for (Source.Kind k : Source.Kind.values()) {
            if (node.get(k.jsonName()) != null) {
                if (kind != null) {
                    throw node.field(k.jsonName()).bad("a binding has one source; it has \"" + kind.jsonName() + "\" already");
                }
                kind = k;
            }
        }
        if (kind == null) {
            throw node.bad("names no source (\"cc\", \"note\" or \"program\")");
        }
        Source source = new Source(kind, node.need(kind.jsonName()).whole(), channel(node));
        Node relative = node.get("relative");
        Node range = node.get("range");
        Node preset = node.get("preset");
        return new Binding(source, target(node.need("target")), relative == null ? null : encoding(relative),
                range == null ? null : range(range), preset == null ? Binding.NEXT : preset(preset));
    }

    private static int channel(Node parent) {
        Node channel = parent.get("channel");
        if (channel == null || channel.json.isTextual() && channel.json.textValue().equals("any")) {
            return Source.ANY;
        }
        if (!channel.json.isIntegralNumber() || !channel.json.canConvertToInt() || channel.json.intValue() == Source.ANY) {
            throw channel.bad("is a channel 1..16 or \"any\", not " + channel.json);
        }
        return channel.json.intValue();
    }

    private static Encoding encoding(Node node) {
        String name = node.text();
        return Arrays.stream(Encoding.values()).filter(e -> e.jsonName().equals(name)).findFirst()
                .orElseThrow(() -> node.bad("\"" + name + "\" is not one of "
                        + String.join(", ", Arrays.stream(Encoding.values()).map(Encoding::jsonName).toList())));
    }

    private static Range range(Node node) {
        node.fields("heel", "toe", "min", "max", "curve");
        // heel/toe: an expression pedal's span, along the target's taper unless a curve says otherwise;
        // min/max: the older spelling, linear unless a curve says otherwise.
        boolean expression = node.get("heel") != null || node.get("toe") != null;
        if (expression && (node.get("min") != null || node.get("max") != null)) {
            throw node.bad("give \"heel\" and \"toe\", or \"min\" and \"max\", not both");
        }
        double min = node.need(expression ? "heel" : "min").number();
        double max = node.need(expression ? "toe" : "max").number();
        Node curveNode = node.get("curve");
        Curve curve = expression ? Curve.TAPER : Curve.LINEAR;
        if (curveNode != null) {
            String name = curveNode.text();
            curve = Arrays.stream(Curve.values()).filter(c -> c.jsonName().equals(name)).findFirst()
                    .orElseThrow(() -> curveNode.bad("\"" + name + "\" is not linear, log or taper"));
        }
        try {
            return new Range(min, max, curve);
        } catch (IllegalArgumentException e) {
            throw node.bad(e.getMessage());
        }
    }

    private static int preset(Node node) {
        if (node.json.isTextual()) {
            return switch (node.json.textValue()) {
                case "next" -> Binding.NEXT;
                case "previous" -> Binding.PREVIOUS;
                default -> throw node.bad("is \"next\", \"previous\" or a number 1.." + Binding.MAX_PRESET
                        + ", not \"" + node.json.textValue() + "\"");
            };
        }
        int number = node.whole();
        if (number < 1) {
            throw node.bad("is \"next\", \"previous\" or a number 1.." + Binding.MAX_PRESET + ", not " + number);
        }
        return number;
    }

    private static Target target(Node node) {
        node.fields("kind", "pedal", "param", "channel", "action"); // "action": a looper's, refused below by its kind
        Node kindNode = node.need("kind");
        String name = kindNode.text();
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.jsonName().equals(name)).findFirst()
                .orElseThrow(() -> kindNode.bad("\"" + name + "\" is not one of "
                        + String.join(", ", Arrays.stream(Kind.values()).map(Kind::jsonName).toList())));
        if (kind == Kind.LOOPER) {
            // The MIDI map has no place for the looper's action yet: say so, not "looper takes no action".
            throw kindNode.bad("the looper is driven from footswitches (hardware.json) and the page, not yet from MIDI");
        }
        List<String> allowed = switch (kind) {
            case PARAM -> List.of("kind", "pedal", "param");
            case BYPASS -> List.of("kind", "pedal");
            case MONITOR -> List.of("kind", "channel");
            default -> List.of("kind");
        };
        for (Iterator<String> names = node.json.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw node.field(field).bad(kind.jsonName() + " takes no \"" + field + "\"");
            }
        }
        String pedalId = kind == Kind.PARAM || kind == Kind.BYPASS ? node.need("pedal").id() : null;
        String paramId = kind == Kind.PARAM ? node.need("param").id() : null;
        int channelNumber = 0;
        if (kind == Kind.MONITOR) {
            Node channel = node.need("channel");
            channelNumber = channel.whole();
            if (channelNumber != 0 && channelNumber != 1) {
                throw channel.bad("the box's inputs are 0 and 1, not " + channelNumber);
            }
        }
        return new Target(kind, pedalId, paramId, channelNumber);
    }

    /** A JSON value and where it sits in the file. */
    private record Node(JsonNode json, String place) {

        Node field(String name) {
            return new Node(json.path(name), place.isEmpty() ? name : place + "." + name);
        }

        Node get(String name) {
            return json.has(name) && !json.get(name).isNull() ? field(name) : null;
        }

        Node need(String name) {
            Node node = get(name);
            if (node == null) {
                throw bad("\"" + name + "\" is missing");
            }
            return node;
        }

        /** Checks this is an object whose fields are all among {@code known}. */
        void fields(String... known) {
            if (!json.isObject()) {
                throw bad("must be an object");
            }
            List<String> names = Arrays.asList(known);
            for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!names.contains(name)) {
                    throw field(name).bad("unknown field (known: " + String.join(", ", names) + ")");
                }
            }
        }

        /** Any whole number; the rules check its range and say it in their words. */
        int whole() {
            if (!json.isIntegralNumber() || !json.canConvertToInt()) {
                throw bad("must be a whole number, not " + json);
            }
            return json.intValue();
        }

        double number() {
            if (!json.isNumber() || !Double.isFinite(json.doubleValue())) {
                throw bad("must be a number, not " + json);
            }
            return json.doubleValue();
        }

        String text() {
            if (!json.isTextual()) {
                throw bad("must be a string, not " + json);
            }
            return json.textValue();
        }

        String id() {
            String id = text();
            if (!Target.isId(id)) {
                throw bad("\"" + id + "\" is not an id (a lower-case letter, then letters and digits)");
            }
            return id;
        }

        IllegalArgumentException bad(String reason) {
            return new IllegalArgumentException((place.isEmpty() ? "top level" : place) + ": " + reason);
        }
    }
}
