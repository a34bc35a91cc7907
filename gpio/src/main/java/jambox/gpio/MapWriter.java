package jambox.gpio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jambox.gpio.HardwareMap.Encoder;
import jambox.gpio.HardwareMap.Footswitch;
import jambox.gpio.HardwareMap.Led;
import jambox.gpio.HardwareMap.Pot;
import jambox.gpio.HardwareMap.Presses;
import jambox.gpio.HardwareMap.Shows;
import jambox.surface.Target;

/** A {@link HardwareMap} as hardware.json, in the shape {@link MapReader} reads; defaults are left out. */
final class MapWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MapWriter() {}

    static byte[] write(HardwareMap map) {
        ObjectNode root = NODES.objectNode().put("version", HardwareMap.VERSION);
        if (map.adc() != null) {
            root.putObject("adc").put("chipSelect", map.adc().chipSelect()).put("hz", map.adc().hz());
        }
        ArrayNode pots = root.putArray("pots");
        for (Pot pot : map.pots()) {
            ObjectNode node = pots.addObject().put("adc", pot.adc());
            if (pot.hasRange()) {
                node.put("heel", pot.heel()).put("toe", pot.toe());
            }
            node.set("target", target(pot.target()));
        }
        ArrayNode footswitches = root.putArray("footswitches");
        for (Footswitch footswitch : map.footswitches()) {
            presses(footswitches.addObject().put("pin", footswitch.pin()), footswitch.presses());
        }
        ArrayNode encoders = root.putArray("encoders");
        for (Encoder encoder : map.encoders()) {
            ObjectNode node = encoders.addObject();
            ObjectNode pins = node.putObject("pins").put("a", encoder.pinA()).put("b", encoder.pinB());
            if (encoder.pinPush() != null) {
                pins.put("push", encoder.pinPush());
            }
            if (encoder.transitionsPerDetent() != 4) {
                node.put("transitionsPerDetent", encoder.transitionsPerDetent());
            }
            node.set("turn", target(encoder.turn()));
            if (encoder.push() != null) {
                presses(node.putObject("push"), encoder.push());
            }
        }
        ArrayNode leds = root.putArray("leds");
        for (Led led : map.leds()) {
            ObjectNode node = leds.addObject().put("pin", led.pin());
            if (led.pwm()) {
                node.put("pwm", true);
            }
            Shows shows = led.shows();
            switch (shows.kind()) {
                case BYPASS -> node.putObject("shows").put("bypass", shows.pedal());
                case STATUS -> node.put("shows", "status");
                case BEAT -> node.put("shows", "beat");
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    private static void presses(ObjectNode node, Presses presses) {
        if (presses.tap() != null) {
            node.set("tap", target(presses.tap()));
        }
        if (presses.doubleTap() != null) {
            node.set("double", target(presses.doubleTap()));
        }
        if (presses.longPress() != null) {
            node.set("long", target(presses.longPress()));
        }
    }

    private static ObjectNode target(Target target) {
        ObjectNode node = NODES.objectNode().put("kind", target.kind().jsonName());
        switch (target.kind()) {
            case PARAM -> node.put("pedal", target.pedal()).put("param", target.param());
            case BYPASS -> node.put("pedal", target.pedal());
            case MONITOR -> node.put("channel", target.channel());
            case LOOPER -> node.put("action", target.action());
            default -> { }
        }
        return node;
    }
}
