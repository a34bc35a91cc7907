package jambox.room;

import java.util.Locale;
import java.util.Map;

/** The Prometheus text exposition of a status snapshot. */
final class Metrics {
    private Metrics() {
    }

    static String text(ServerStatus s) {
        StringBuilder b = new StringBuilder();
        b.append("# HELP jambox_room_packets_total Datagrams by outcome.\n# TYPE jambox_room_packets_total counter\n");
        for (Map.Entry<String, Long> e : s.counters().entrySet()) {
            b.append("jambox_room_packets_total{outcome=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
        }
        b.append("# HELP jambox_room_members Members in a room.\n# TYPE jambox_room_members gauge\n");
        for (ServerStatus.RoomStatus r : s.rooms()) {
            b.append("jambox_room_members{room=\"").append(escape(r.name())).append("\"} ").append(r.members().size()).append('\n');
        }
        member(b, s, "packets_total", "counter", "Packets received from a member.", m -> m.packets());
        member(b, s, "midi_packets_total", "counter", "MIDI packets received from a member.", m -> m.midiPackets());
        member(b, s, "lost_total", "counter", "Sequence numbers that never arrived.", m -> m.lost());
        member(b, s, "late_total", "counter", "Packets that arrived after a later one.", m -> m.late());
        member(b, s, "duplicates_total", "counter", "Packets seen twice or too old.", m -> m.duplicates());
        member(b, s, "rate_limited_total", "counter", "Authenticated packets over the member's rate.",
                m -> m.rateLimited());
        member(b, s, "unauthenticated_total", "counter",
                "Packets from the member's address with a wrong tag (forged or corrupted).", m -> m.unauthenticated());
        member(b, s, "forwarded_total", "counter", "Copies of a member's packets sent to others.", m -> m.forwarded());
        member(b, s, "jitter_seconds", "gauge", "Interarrival jitter (RFC 3550).", m -> m.jitterMillis() / 1000);
        member(b, s, "rtt_seconds", "gauge", "Round-trip time of the server's pings.",
                m -> m.rttMillis() == null ? Double.NaN : m.rttMillis() / 1000);
        if (s.mix() != null) {
            b.append("# HELP jambox_room_mix_blocks_total Blocks of the server's mix by outcome (made; skipped"
                    + " after a long stall; made but never sent).\n# TYPE jambox_room_mix_blocks_total counter\n");
            b.append("jambox_room_mix_blocks_total{outcome=\"made\"} ").append(s.mix().blocks()).append('\n');
            b.append("jambox_room_mix_blocks_total{outcome=\"skipped\"} ").append(s.mix().skipped()).append('\n');
            b.append("jambox_room_mix_blocks_total{outcome=\"unsent\"} ").append(s.mix().unsent()).append('\n');
        }
        b.append("# HELP jambox_room_uptime_seconds Time since the server started.\n# TYPE jambox_room_uptime_seconds gauge\n");
        b.append("jambox_room_uptime_seconds ").append(num(s.uptimeMicros() / 1e6)).append('\n');
        return b.toString();
    }

    private static void member(StringBuilder b, ServerStatus s, String name, String type, String help,
                               java.util.function.ToDoubleFunction<ServerStatus.MemberStatus> value) {
        b.append("# HELP jambox_room_member_").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE jambox_room_member_").append(name).append(' ').append(type).append('\n');
        for (ServerStatus.RoomStatus r : s.rooms()) {
            for (ServerStatus.MemberStatus m : r.members()) {
                b.append("jambox_room_member_").append(name).append("{room=\"").append(escape(r.name()))
                        .append("\",member=\"").append(m.id()).append("\",name=\"").append(escape(m.name())).append("\"} ")
                        .append(num(value.applyAsDouble(m))).append('\n');
            }
        }
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
