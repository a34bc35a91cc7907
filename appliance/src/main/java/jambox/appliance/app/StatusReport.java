package jambox.appliance.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code jambox status} says about a running box, from what the box itself sent: its state,
 * its {@code system} reply (version, audio, CPU, and the same room and member figures as the
 * {@code stats} push) and a {@code meters} push. One JSON object holds the facts; the text for
 * a person is made from that object, so {@code --json} and the text never disagree.
 */
final class StatusReport {
    private StatusReport() {
    }

    /**
     * The facts. {@code meters} may be null (none came in time): then whether a member is heard
     * is not known, and says so (null).
     */
    static ObjectNode facts(String address, JsonNode state, JsonNode system, JsonNode meters) {
        ObjectNode f = ControlClient.JSON.createObjectNode();
        f.put("version", system.path("version").asText());
        f.put("address", address);
        f.set("audio", system.path("audio").deepCopy());
        ObjectNode host = f.putObject("system");
        host.set("processCpuPercent", known(system.get("processCpuPercent")));
        host.set("loadAverage", known(system.get("loadAverage")));
        host.set("cpus", system.get("cpus"));
        host.set("temperatureC", system.get("temperatureC"));

        JsonNode network = system.path("network");
        ObjectNode room = f.putObject("room");
        room.put("joined", state.at("/room/joined").asBoolean());
        // The page's words for where the box stands (joined, wrongSecret, unreachable, ...) and the
        // server's own reason for a refusal: what a script acts on.
        room.set("status", state.at("/room/status").isMissingNode() ? ControlClient.JSON.nullNode() : state.at("/room/status"));
        room.set("reason", state.at("/room/reason").isMissingNode() ? ControlClient.JSON.nullNode() : state.at("/room/reason"));
        room.set("state", network.at("/room/state"));
        for (String field : List.of("room", "name", "host", "port")) {
            if (state.at("/room").has(field)) {
                room.set(field, state.at("/room/" + field));
            }
        }
        room.set("rttMs", network.at("/room/rttMs"));

        ArrayNode members = f.putArray("members");
        for (JsonNode m : network.path("members")) {
            ObjectNode member = members.addObject();
            member.set("id", m.get("id"));
            member.set("name", m.get("name"));
            JsonNode peak = meters == null ? null : meters.path("members").get(m.get("id").asText());
            if (meters == null) {
                member.putNull("hearing");
            } else {
                member.put("hearing", peak != null && peak.isNumber());
            }
            member.set("peakDbfs", peak == null || !peak.isNumber() ? ControlClient.JSON.nullNode() : peak);
            m.properties().forEach(e -> {
                if (!member.has(e.getKey())) {
                    member.set(e.getKey(), e.getValue());
                }
            });
        }
        if (system.has("midi")) {
            f.set("midi", system.get("midi").deepCopy());
        }
        if (meters == null) {
            f.putNull("meters");
        } else {
            f.putObject("meters").<ObjectNode>set("in", meters.get("in")).set("out", meters.get("out"));
        }
        return f;
    }

    /** The text for a person, a line each: the box, its audio, its host, the room and each member, the meters. */
    static List<String> lines(JsonNode f, String noMetersWhy) {
        List<String> lines = new ArrayList<>();
        lines.add("jambox " + f.get("version").asText() + ": running");
        JsonNode a = f.get("audio");
        lines.add("audio: " + a.path("backend").asText() + ", " + (a.path("running").asBoolean() ? "running" : "not running")
                + ", " + count(a.path("xruns").asLong(), "xrun"));
        lines.add(system(f.get("system")));

        JsonNode room = f.get("room");
        StringBuilder r = new StringBuilder("room: ").append(room.path("state").asText());
        if (room.has("host")) {
            r.append(" (").append(room.get("host").asText()).append(':').append(room.path("port").asText()).append(')');
        }
        if (room.path("rttMs").isNumber()) {
            r.append(String.format(Locale.ROOT, ", rtt %.1f ms", room.get("rttMs").asDouble()));
        }
        if (room.path("reason").isTextual() && !room.path("reason").asText().isEmpty()
                && !room.path("state").asText().contains(room.path("reason").asText())) {
            r.append(" (the server said: ").append(room.path("reason").asText()).append(')');
        }
        lines.add(r.toString());
        for (JsonNode m : f.get("members")) {
            lines.add("  " + m.get("id").asText() + " " + m.get("name").asText() + ": " + member(m));
        }
        if (room.path("joined").asBoolean() && f.get("members").isEmpty()) {
            lines.add("  nobody else in the room");
        }

        JsonNode meters = f.get("meters");
        lines.add(meters.isNull() ? "meters: " + noMetersWhy
                : "in: " + db(meters.at("/in/0")) + " / " + db(meters.at("/in/1")) + " dBFS, out: "
                        + db(meters.at("/out/0")) + " / " + db(meters.at("/out/1")) + " dBFS");
        JsonNode midi = f.get("midi");
        if (midi != null) {
            String ports = "midi: " + midi.path("received").asLong() + " received, " + midi.path("sent").asLong() + " sent, "
                    + midi.path("late").asLong() + " late, " + (midi.path("droppedIn").asLong() + midi.path("droppedOut").asLong())
                    + " dropped";
            if (midi.has("sources")) {
                List<String> names = new ArrayList<>();
                midi.get("sources").forEach(n -> names.add(n.asText()));
                midi.path("sinks").forEach(n -> names.add(n.asText() + " (out)"));
                ports += names.isEmpty() ? "; no MIDI device connected" : "; devices: " + String.join(", ", names);
            }
            lines.add(ports);
        }
        return lines;
    }

    private static String system(JsonNode s) {
        List<String> parts = new ArrayList<>();
        if (s.path("processCpuPercent").isNumber()) {
            parts.add(String.format(Locale.ROOT, "box %.1f %% of the CPU", s.get("processCpuPercent").asDouble()));
        }
        if (s.path("loadAverage").isNumber()) {
            parts.add(String.format(Locale.ROOT, "load %.2f on %d cores", s.get("loadAverage").asDouble(),
                    s.path("cpus").asInt()));
        }
        parts.add(s.path("temperatureC").isNumber()
                ? String.format(Locale.ROOT, "%.1f C", s.get("temperatureC").asDouble()) : "temperature unknown");
        return "system: " + String.join(", ", parts);
    }

    private static String member(JsonNode m) {
        List<String> parts = new ArrayList<>();
        if (m.get("hearing").isNull()) {
            parts.add("level unknown");
        } else if (m.get("hearing").asBoolean()) {
            parts.add("hearing audio, peak " + db(m.get("peakDbfs")) + " dBFS");
        } else {
            parts.add("silent");
        }
        if (!m.has("depth")) {
            parts.add("no audio received yet");
            return String.join(", ", parts);
        }
        parts.add("depth " + m.get("depth").asInt() + "/" + m.get("target").asInt() + " frames");
        parts.add("lost " + m.get("lost").asLong());
        for (String problem : List.of("concealed", "recovered", "late", "dropouts")) {
            if (m.path(problem).asLong() > 0) {
                parts.add(problem + " " + m.get(problem).asLong());
            }
        }
        return String.join(", ", parts);
    }

    /** The box reports a figure the OS could not give as a negative number: that is no figure. */
    private static JsonNode known(JsonNode n) {
        return n != null && n.isNumber() && n.asDouble() >= 0 ? n : ControlClient.JSON.nullNode();
    }

    private static String db(JsonNode n) {
        return n != null && n.isNumber() ? String.format(Locale.ROOT, "%.1f", n.asDouble()) : "-inf";
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
