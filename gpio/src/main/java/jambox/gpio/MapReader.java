package jambox.gpio;

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
import jambox.gpio.HardwareMap.Adc;
import jambox.gpio.HardwareMap.Encoder;
import jambox.gpio.HardwareMap.Footswitch;
import jambox.gpio.HardwareMap.Led;
import jambox.gpio.HardwareMap.Pot;
import jambox.gpio.HardwareMap.Presses;
import jambox.gpio.HardwareMap.Shows;
import jambox.surface.Target;
import jambox.surface.Target.Kind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * hardware.json to a {@link HardwareMap}. The tree is walked by hand rather than bound to classes so that
 * every complaint can name its place ({@code encoders[1].pins.b}) and unknown fields are refused by name.
 */
final class MapReader {

    /** hardware.json is 4 levels deep; anything far deeper is not a map. */
    static final int MAX_DEPTH = 16;
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .build();

    private MapReader() {}

    static HardwareMap read(byte[] json, String origin) throws BadHardwareException {
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
            throw new BadHardwareException(origin + ": cannot read it: " + e, e);
        }
        try {
            return map(new Node(tree, ""));
        } catch (IllegalArgumentException e) {
            // MapRules and the records speak as "<place>: <reason>" already; Bad carries its place too.
            throw new BadHardwareException(origin + ": " + e.getMessage());
        }
    }

    private static BadHardwareException notJson(String origin, JsonLocation at, String why) {
        return new BadHardwareException(origin + ": not JSON" + (at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + why);
    }

    /**
     * Jackson's "(for Array starting at [Source: REDACTED ...])" and "(start marker at [Source: ...])"
     * tell a reader of the file nothing more; a key given twice is said plainly.
     */
    private static String inOurWords(String message) {
        return message.replaceAll("\\s*\\([^()\\[]*\\[Source: .*?\\]\\)", "")
                .replaceFirst("^Duplicate field '(.*)'$", "'$1' is given twice in one object")
                .replaceAll("\\s+", " ");
    }

    private static HardwareMap map(Node root) {
        root.fields("version", "adc", "pots", "footswitches", "encoders", "leds");
        int version = root.need("version").integer(0, Integer.MAX_VALUE);
        if (version != HardwareMap.VERSION) {
            throw root.need("version").bad("this box reads version " + HardwareMap.VERSION + ", not " + version);
        }
        Node adcNode = root.get("adc");
        Adc adc = adcNode == null ? null : adc(adcNode);
        return new HardwareMap(adc, root.list("pots", MapReader::pot), root.list("footswitches", MapReader::footswitch),
                root.list("encoders", MapReader::encoder), root.list("leds", MapReader::led));
    }

    private static Adc adc(Node node) {
        node.fields("chipSelect", "hz");
        return new Adc(node.need("chipSelect").integer(0, 1), node.need("hz").integer(MapRules.MIN_SPI_HZ, MapRules.MAX_SPI_HZ));
    }

    private static Pot pot(Node node) {
        node.fields("adc", "heel", "toe", "target");
        Node heel = node.get("heel"), toe = node.get("toe");
        return new Pot(node.need("adc").integer(0, 7), target(node.need("target")),
                heel == null ? null : heel.number(), toe == null ? null : toe.number());
    }

    private static Footswitch footswitch(Node node) {
        node.fields("pin", "tap", "double", "long");
        return new Footswitch(node.need("pin").pin(), presses(node));
    }

    private static Encoder encoder(Node node) {
        node.fields("pins", "transitionsPerDetent", "turn", "push");
        Node pins = node.need("pins");
        pins.fields("a", "b", "push");
        Node pushPin = pins.get("push");
        Node push = node.get("push");
        if (push != null) {
            push.fields("tap", "double", "long");
        }
        Node transitions = node.get("transitionsPerDetent");
        return new Encoder(pins.need("a").pin(), pins.need("b").pin(), pushPin == null ? null : pushPin.pin(),
                transitions == null ? 4 : transitions.integer(1, 4), target(node.need("turn")),
                push == null ? null : presses(push));
    }

    private static Presses presses(Node node) {
        return new Presses(optionalTarget(node.get("tap")), optionalTarget(node.get("double")), optionalTarget(node.get("long")));
    }

    private static Led led(Node node) {
        node.fields("pin", "pwm", "shows");
        Node pwm = node.get("pwm");
        return new Led(node.need("pin").pin(), pwm != null && pwm.bool(), shows(node.need("shows")));
    }

    private static Shows shows(Node node) {
        if (node.json.isTextual()) {
            return switch (node.json.textValue()) {
                case "status" -> Shows.status();
                case "beat" -> Shows.beat();
                default -> throw node.bad("is \"status\", \"beat\" or {\"bypass\": \"<pedal>\"}, not \"" + node.json.textValue() + "\"");
            };
        }
        node.fields("bypass");
        return Shows.bypass(node.need("bypass").id());
    }

    private static Target optionalTarget(Node node) {
        return node == null ? null : target(node);
    }

    private static Target target(Node node) {
        node.fields("kind", "pedal", "param", "channel", "action");
        Node kindNode = node.need("kind");
        String name = kindNode.text();
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.jsonName().equals(name)).findFirst()
                .orElseThrow(() -> kindNode.bad("\"" + name + "\" is not one of "
                        + String.join(", ", Arrays.stream(Kind.values()).map(Kind::jsonName).toList())));
        List<String> allowed = switch (kind) {
            case PARAM -> List.of("kind", "pedal", "param");
            case BYPASS -> List.of("kind", "pedal");
            case MONITOR -> List.of("kind", "channel");
            case LOOPER -> List.of("kind", "action");
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
        int channelNumber = kind == Kind.MONITOR ? node.need("channel").integer(0, 1) : 0;
        String action = null;
        if (kind == Kind.LOOPER) {
            Node a = node.need("action");
            action = a.text();
            if (!Target.LOOPER_ACTIONS.contains(action)) {
                throw a.bad("\"" + action + "\" is not one of " + String.join(", ", Target.LOOPER_ACTIONS));
            }
        }
        return new Target(kind, pedalId, paramId, channelNumber, action);
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

        <T> List<T> list(String name, Function<Node, T> item) {
            Node array = get(name);
            if (array == null) {
                return List.of();
            }
            if (!array.json.isArray()) {
                throw array.bad("must be an array");
            }
            List<T> items = new ArrayList<>();
            for (int i = 0; i < array.json.size(); i++) {
                items.add(item.apply(new Node(array.json.get(i), array.place + "[" + i + "]")));
            }
            return items;
        }

        int integer(int min, int max) {
            if (!json.isIntegralNumber() || !json.canConvertToInt() || json.intValue() < min || json.intValue() > max) {
                throw bad("must be a whole number " + min + ".." + max + ", not " + json);
            }
            return json.intValue();
        }

        double number() {
            if (!json.isNumber() || !Double.isFinite(json.doubleValue())) {
                throw bad("must be a number, not " + json);
            }
            return json.doubleValue();
        }

        int pin() {
            if (!json.isIntegralNumber() || !json.canConvertToInt()) {
                throw bad("must be a BCM GPIO number, not " + json);
            }
            return json.intValue();
        }

        boolean bool() {
            if (!json.isBoolean()) {
                throw bad("must be true or false, not " + json);
            }
            return json.booleanValue();
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
