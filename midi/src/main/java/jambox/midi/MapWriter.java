package jambox.midi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jambox.surface.Target;

/** A {@link MidiMap} as midi.json, in the shape {@link MapReader} reads; defaults are left out. */
final class MapWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MapWriter() {}

    static byte[] write(MidiMap map) {
        ObjectNode root = NODES.objectNode().put("version", MidiMap.VERSION);
        Programs programs = map.programs();
        if (!programs.on()) {
            root.put("programs", "off");
        } else if (!programs.equals(Programs.DEFAULT)) {
            ObjectNode node = root.putObject("programs");
            if (programs.channel() != Source.ANY) {
                node.put("channel", programs.channel());
            }
            node.put("first", programs.first());
        }
        ArrayNode bindings = root.putArray("bindings");
        for (Binding b : map.bindings()) {
            ObjectNode node = bindings.addObject().put(b.source().kind().jsonName(), b.source().number());
            if (b.source().channel() != Source.ANY) {
                node.put("channel", b.source().channel());
            }
            if (b.relative() != null) {
                node.put("relative", b.relative().jsonName());
            }
            if (b.range() != null) {
                boolean expression = b.range().curve() == Curve.TAPER;
                ObjectNode range = node.putObject("range").put(expression ? "heel" : "min", b.range().min())
                        .put(expression ? "toe" : "max", b.range().max());
                if (!expression && b.range().curve() != Curve.LINEAR) {
                    range.put("curve", b.range().curve().jsonName());
                }
            }
            if (b.preset() == Binding.PREVIOUS) {
                node.put("preset", "previous");
            } else if (b.preset() > 0) {
                node.put("preset", b.preset());
            }
            node.set("target", target(b.target()));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    private static ObjectNode target(Target target) {
        ObjectNode node = NODES.objectNode().put("kind", target.kind().jsonName());
        switch (target.kind()) {
            case PARAM -> node.put("pedal", target.pedal()).put("param", target.param());
            case BYPASS -> node.put("pedal", target.pedal());
            case MONITOR -> node.put("channel", target.channel());
            default -> { }
        }
        return node;
    }
}
