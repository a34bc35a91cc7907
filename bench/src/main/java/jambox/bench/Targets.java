package jambox.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a JMH JSON result and checks the project's targets for it, so {@code ./jambox bench}
 * says plainly whether the numbers are good enough. Exit 0 when every target that the run
 * measured is met, 1 when one is missed.
 */
public final class Targets {
    private Targets() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !java.util.Set.of("dsp", "server", "room", "engine", "mix").contains(args[0])) {
            System.err.println("usage: Targets dsp|server|room|engine|mix RESULT.json");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(Path.of(args[1]).toFile());
        if (args[0].equals("room")) {
            System.exit(room(results) ? 0 : 1);
        }
        Map<String, Double> score = new HashMap<>();
        Map<String, Double> alloc = new HashMap<>();
        for (JsonNode r : results) {
            String name = r.get("benchmark").asText().replaceAll(".*\\.", "");
            JsonNode params = r.get("params");
            if (params != null && params.has("pedal")) {
                name += "[" + params.get("pedal").asText() + "]";
            }
            int members = params != null && params.has("members") ? params.get("members").asInt() : 0;
            if (members > 0) {
                name += "[" + members + "]";
            }
            score.put(name, r.get("primaryMetric").get("score").asDouble());
            JsonNode gc = r.get("secondaryMetrics").get("gc.alloc.rate.norm");
            if (gc != null) {
                alloc.put(name, gc.get("score").asDouble());
            }
            System.out.printf(Locale.ROOT, "%-36s %8.3f us/op  %s%n", name, score.get(name),
                    gc == null ? "" : String.format(Locale.ROOT, "%.3f B/op", alloc.get(name)));
            if (members > 0) {
                // The mix's throughput: member-frames in per microsecond, and strip-frames (each
                // member's two channels into each other member's mix) per microsecond.
                double us = score.get(name);
                System.out.printf(Locale.ROOT, "%-36s %8.1f members x frames/us  %8.1f strip frames/us%n", "",
                        members * 64 / us, members * (members - 1) * 2 * 64 / us);
            }
        }
        boolean ok = true;
        if (alloc.containsKey("clientPacketAndServerForward")) {
            ok &= check("forward allocation", alloc.get("clientPacketAndServerForward"), 1.0, "B/op");
        }
        // The mix: no object per block. The smallest object is 16 bytes; below that per block is
        // JMH's own bookkeeping spread over the operations (it grows with the time per operation).
        for (Map.Entry<String, Double> a : new java.util.TreeMap<>(alloc).entrySet()) {
            if (args[0].equals("mix")) {
                ok &= check("mix allocation " + a.getKey(), a.getValue(), 15.9, "B/op");
            }
        }
        if (score.containsKey("period")) {
            ok &= check("engine period time", score.get("period"), 60.0, "us/op");
            if (alloc.containsKey("period")) {
                ok &= check("engine period allocation", alloc.get("period"), 1.0, "B/op");
            }
        }
        if (score.containsKey("board8")) {
            ok &= check("board8 time", score.get("board8"), 20.0, "us/op");
            if (alloc.containsKey("board8")) {
                ok &= check("board8 allocation", alloc.get("board8"), 1.0, "B/op");
            }
            if (score.containsKey("board8SilenceAfterBurst")) {
                ok &= check("board8 silence/guitar", score.get("board8SilenceAfterBurst") / score.get("board8"), 1.5, "x");
            }
        }
        if (score.containsKey("ampIr200DelayReverb")) {
            // Issue 20: a long impulse response must fit beside an amp and the time effects.
            ok &= check("amp-ir-delay-reverb time", score.get("ampIr200DelayReverb"), 25.0, "us/op");
            if (alloc.containsKey("ampIr200DelayReverb")) {
                ok &= check("amp-ir-delay-reverb allocation", alloc.get("ampIr200DelayReverb"), 1.0, "B/op");
            }
        }
        System.exit(ok ? 0 : 1);
    }

    /** Issue 3's targets: no loss, p99 within 500 us, and the server within half a core at up to 64 members. */
    private static boolean room(JsonNode r) {
        boolean ok = check("room loss", r.get("loss").asDouble(), 0.0, "");
        if (r.has("latency_us_p99")) { // a mix room has no member's send time to measure from
            ok &= check("room latency p99", r.get("latency_us_p99").asDouble(), 500, "us");
        }
        if (r.get("members").asInt() <= 64) {
            ok &= check("room server CPU", r.get("server_cpu_percent").asDouble(), 50, "% of a core");
        }
        ok &= check("room invalid packets", r.get("invalid_packets").asDouble(), 0, "");
        return ok;
    }

    private static boolean check(String what, double value, double limit, String unit) {
        boolean ok = value <= limit;
        System.out.printf(Locale.ROOT, "target %-24s %8.3f %s (at most %.1f): %s%n", what, value, unit, limit, ok ? "met" : "MISSED");
        return ok;
    }
}
