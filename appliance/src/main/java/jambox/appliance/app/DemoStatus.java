package jambox.appliance.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.engine.Meter;
import jambox.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamClient;

/**
 * The demo's once-a-second status for a person: a line for the room, one for this box (its audio,
 * what goes in and out) and a short line per member heard (level, mouth-to-ear time, loss), each figure
 * with a word saying whether it is good. Loss is counted over the last second, not since the start,
 * so a hiccup shows and then goes away. Control threads; one caller at a time.
 */
final class DemoStatus {
    /** Last second's packet counts per member id: {received, lost, dropouts}. */
    private final Map<Integer, long[]> before = new HashMap<>();

    /**
     * @param you      the box the player plays on
     * @param latency  {@code you}'s latency figures as the page gets them ({@code docs/control-api.md}, "Latency")
     */
    List<String> lines(Appliance you, JsonNode latency) {
        List<String> lines = new ArrayList<>();
        StreamClient stream = you.stream();
        lines.add(room(you));
        String audio = you.backend().describe();
        audio = audio.startsWith("simulated") ? "simulated audio" : audio.startsWith("jack") ? "JACK" : audio;
        if (!you.backend().running()) {
            audio += " (waiting for audio)";
        }
        long xruns = you.backend().xruns();
        lines.add(String.format(Locale.ROOT, "you: %s, in %s, out %s%s", audio, level(you.engine().inputMeter(0)),
                level(you.engine().outputMeter(0)), xruns > 0 ? ", " + xruns + " xruns" : ""));
        if (stream == null) {
            return lines;
        }
        Map<Integer, Double> mouthToEar = new HashMap<>();
        for (JsonNode m : latency.path("members")) {
            if (m.path("mouthToEarMs").isNumber()) {
                mouthToEar.put(m.get("id").asInt(), m.get("mouthToEarMs").asDouble());
            }
        }
        for (RoomMembers.Member m : you.members().members()) {
            if (m.id() == stream.memberId()) {
                continue;
            }
            StringBuilder line = new StringBuilder("  ").append(m.name()).append(": ");
            if (m.stats() == null) {
                line.append("nothing heard yet");
            } else {
                line.append(level(you.engine().memberMeter(m.id() - 1))).append(", ");
                Double ms = mouthToEar.get(m.id());
                line.append(ms == null ? "latency not known yet" : latency(ms)).append(", ");
                line.append(loss(m.id(), m.stats()));
            }
            lines.add(line.toString());
        }
        if (lines.size() == 2 && stream.joined()) {
            lines.add("  nobody else in the room yet");
        }
        return lines;
    }

    /** "room 'jam': joined, 0.4 ms round trip to the server", or how joining goes, or that there is no room. */
    private static String room(Appliance box) {
        StreamClient stream = box.stream();
        if (stream == null) {
            return "no room: playing alone";
        }
        String head = "room '" + box.room().room() + "': ";
        if (!stream.joined()) {
            return head + stream.state();
        }
        long rtt = stream.rttMicros();
        return head + "joined" + (rtt >= 0 ? String.format(Locale.ROOT, ", %.1f ms round trip to the server", rtt / 1000.0) : "");
    }

    /** "-14 dBFS (good)": the peak, and what a player would call it. */
    static String level(Meter m) {
        double db = Meter.dbfs(m.peak());
        if (db < -60) {
            return "silent";
        }
        String word = db >= -0.1 ? "clipping" : db > -6 ? "hot" : db > -30 ? "good" : "quiet";
        return String.format(Locale.ROOT, "%.0f dBFS (%s)", db, word);
    }

    /** The sound's way from their instrument to your ears, and whether players can keep time over it. */
    static String latency(double ms) {
        String word = ms <= 15 ? "tight" : ms <= 30 ? "fine" : ms <= 50 ? "late" : "too late";
        return String.format(Locale.ROOT, "%.0f ms mouth to ear (%s)", ms, word);
    }

    /**
     * Packets lost in the last second, in words, and "gaps" when the sound dropped out for a moment
     * (more missing in a row than concealment can bridge).
     */
    private String loss(int member, JitterStats s) {
        long[] last = before.put(member, new long[] {s.received, s.lost, s.dropouts});
        if (last == null) {
            last = new long[3];
        }
        long received = s.received - last[0];
        // A packet counted lost when it was due can turn up late and be counted back: never below 0.
        long lost = Math.max(0, s.lost - last[1]);
        if (received == 0 && lost == 0) {
            return "no packets";
        }
        String text = loss(100.0 * lost / (received + lost));
        return s.dropouts > last[2] ? text + ", gaps" : text;
    }

    static String loss(double percent) {
        if (percent == 0) {
            return "no loss";
        }
        String word = percent < 0.5 ? "" : percent < 2 ? " (crackles)" : " (choppy)";
        return String.format(Locale.ROOT, "%.1f %% loss%s", percent, word);
    }
}
