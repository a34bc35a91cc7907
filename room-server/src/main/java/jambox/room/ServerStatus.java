package jambox.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import jambox.protocol.message.Routing;

/** What /status shows and /metrics counts: rooms, members with their stats, server counters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerStatus(@JsonProperty("uptime_us") long uptimeMicros, List<RoomStatus> rooms,
                           Map<String, Long> counters, Mix mix) {

    /**
     * The server's mix, when it has mix rooms (absent otherwise): blocks the {@code room-mix} tick
     * made, blocks it skipped after a stall too long to catch up, and blocks made that the event loop
     * never sent (summed over the mix rooms). A skipped or unsent block is a gap every listener hears
     * concealed.
     */
    public record Mix(long blocks, long skipped, long unsent) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RoomStatus(int id, String name, int capacity, String mode, List<MemberStatus> members,
                             @JsonProperty("tempo_bpm") double tempoBpm,
                             @JsonProperty("beats_per_bar") int beatsPerBar,
                             String recording,
                             @JsonProperty("recording_failure") String recordingFailure) {
    }

    public record MemberStatus(int id, String name, String address, List<String> labels, String codec, int frames,
                               @JsonProperty("listens_to") Object listensTo,
                               @JsonProperty("sends_to") Object sendsTo,
                               @JsonProperty("connected_s") double connectedSeconds,
                               long packets, @JsonProperty("audio_packets") long audioPackets,
                               @JsonProperty("midi_packets") long midiPackets, long bytes, long lost,
                               long late, long duplicates, @JsonProperty("rate_limited") long rateLimited,
                               long unauthenticated,
                               @JsonProperty("jitter_ms") double jitterMillis,
                               @JsonProperty("rtt_ms") Double rttMillis, long forwarded) {

        static MemberStatus of(Member m, long now) {
            MemberStats s = m.stats;
            return new MemberStatus(m.id, m.name, Member.format(m.address),
                    m.labels, m.codec.name(), m.frames, members(m.routing.listenAll(), m.routing.listen()),
                    members(m.routing.sendAll(), m.routing.send()), (now - m.joinedAt) / 1e6, s.packets,
                    s.audioPackets, s.midiPackets, s.bytes, s.lost, s.late, s.duplicates, s.rateLimited, s.unauthenticated, s.jitterMicros / 1000,
                    s.rttMicros < 0 ? null : s.rttMicros / 1000.0, s.forwarded);
        }

        /** "all", or the member ids in the mask. */
        private static Object members(boolean all, long mask) {
            if (all) {
                return "all";
            }
            List<Integer> ids = new ArrayList<>();
            for (int id = 1; id <= Routing.MAX_MEMBER; id++) {
                if ((mask & Routing.bit(id)) != 0) {
                    ids.add(id);
                }
            }
            return ids;
        }
    }
}
