package jambox.appliance.control;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.AudioInterface;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.appliance.engine.Engine;
import jambox.appliance.engine.Strip;
import jambox.stream.JitterBuffer;
import jambox.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamClient;
import jambox.appliance.stream.StreamConfig;
import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.dsp.PedalType;
import jambox.protocol.Codec;
import jambox.protocol.Opus;

/** The parts of the state as JSON, in the shapes {@code docs/control-api.md} shows. */
final class StateJson {
    private static final ObjectNode CATALOG = catalogNode();

    private StateJson() {
    }

    static ObjectNode board(BoardSpec board) {
        ObjectNode b = ControlService.JSON.createObjectNode();
        b.put("name", board.name());
        ArrayNode chains = b.putArray("channels");
        for (List<PedalSpec> chain : board.channels()) {
            ArrayNode pedals = chains.addObject().putArray("pedals");
            for (PedalSpec p : chain) {
                PedalType type = Catalog.byId(p.type());
                ObjectNode params = pedals.addObject().put("type", p.type()).put("bypass", p.bypass()).putObject("params");
                for (ParamSpec spec : type.params()) {
                    params.put(spec.id(), p.params().getOrDefault(spec.id(), spec.defaultValue()));
                }
            }
        }
        return b;
    }

    /**
     * The catalog never changes while the box runs: built once and shared by every state (a pot
     * turning builds a hundred a second), never copied. Read-only: no state is changed after it is made.
     */
    static ArrayNode catalog() {
        return (ArrayNode) CATALOG.get("catalog");
    }

    private static ObjectNode catalogNode() {
        ObjectNode root = ControlService.JSON.createObjectNode();
        ArrayNode all = root.putArray("catalog");
        for (PedalType t : Catalog.ALL) {
            ObjectNode o = all.addObject().put("id", t.id()).put("name", t.name()).put("description", t.description())
                    .put("latencySamples", t.latencySamples());
            ArrayNode params = o.putArray("params");
            for (ParamSpec p : t.params()) {
                ObjectNode n = params.addObject().put("id", p.id()).put("name", p.name()).put("unit", p.unit())
                        .put("min", p.min()).put("max", p.max()).put("default", p.defaultValue())
                        .put("taper", p.taper().name());
                ArrayNode choices = n.putArray("choices");
                p.choices().forEach(choices::add);
            }
        }
        return root;
    }

    static ObjectNode mixer(Appliance box) {
        Engine e = box.engine();
        ObjectNode m = ControlService.JSON.createObjectNode();
        m.put("master", e.mixer().masterDb());
        ArrayNode input = m.putArray("input");
        ArrayNode self = m.putArray("self");
        for (int c = 0; c < 2; c++) {
            input.add(e.inputGainDb(c));
            strip(self.addObject(), e.mixer().self(c));
        }
        ArrayNode members = m.putArray("members");
        StreamClient stream = box.stream();
        int me = stream == null ? -1 : stream.memberId();
        for (RoomMembers.Member member : box.members().members()) {
            if (member.id() == me) {
                continue;
            }
            ObjectNode o = members.addObject().put("id", member.id()).put("name", member.name());
            ArrayNode channels = o.putArray("channels");
            int n = Math.max(1, Math.min(2, member.labels().size()));
            for (int c = 0; c < n; c++) {
                strip(channels.addObject().put("label", c < member.labels().size() ? member.labels().get(c) : ""),
                        e.mixer().member(member.id() - 1, c));
            }
        }
        return m;
    }

    private static void strip(ObjectNode o, Strip s) {
        o.put("gainDb", s.gainDb()).put("mute", s.mute()).put("pan", s.pan());
    }

    /**
     * Where the box stands with its room ({@code docs/control-api.md}, "The room"): {@code status}
     * for the page to act on, {@code state} in words, {@code reason} the server's words when it
     * refused. After leaving, the room left is still described, so every page's form keeps it.
     */
    static ObjectNode room(Appliance box) {
        ObjectNode r = ControlService.JSON.createObjectNode();
        StreamClient stream = box.stream();
        StreamConfig room = stream != null ? box.room() : box.lastRoom();
        StreamClient.Standing standing = stream == null ? null : stream.standing();
        r.put("joined", stream != null && stream.joined());
        r.put("status", standing != null ? status(standing.status()) : room != null ? "left" : "alone");
        r.put("state", standing == null ? "playing alone" : standing.words());
        if (standing != null && standing.serverMessage() != null) {
            r.put("reason", standing.serverMessage());
        } else {
            r.putNull("reason");
        }
        // Who makes what the player hears of the others: this box, from a stream per member (a
        // forwarding room), or the server, one stream of everyone else (a mix room).
        r.put("mix", stream != null && stream.serverMixes() ? "server" : "box");
        if (room != null) {
            // Never the secret: any page on the network may read the state.
            r.put("host", room.host()).put("port", room.port()).put("room", room.room()).put("name", room.name());
        }
        return r;
    }

    /** A {@link StreamClient.Status} as the page's JSON spells it: {@code WRONG_SECRET} is {@code "wrongSecret"}. */
    static String status(StreamClient.Status s) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : s.name().toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? c : Character.toLowerCase(c));
                upper = false;
            }
        }
        return b.toString();
    }

    static ObjectNode memberStats(Appliance box) {
        ObjectNode out = ControlService.JSON.createObjectNode();
        StreamClient stream = box.stream();
        out.put("xruns", box.backend().xruns());
        ObjectNode room = out.putObject("room").put("state", stream == null ? "playing alone" : stream.state());
        if (stream != null && stream.rttMicros() >= 0) {
            room.put("rttMs", stream.rttMicros() / 1000.0);
        } else {
            room.putNull("rttMs");
        }
        out.putObject("midi").set("room", roomMidi(box));
        ArrayNode members = out.putArray("members");
        int me = stream == null ? -1 : stream.memberId();
        for (RoomMembers.Member m : box.members().members()) {
            if (m.id() == me) {
                continue;
            }
            ObjectNode o = members.addObject().put("id", m.id()).put("name", m.name());
            if (m.stats() != null) {
                link(o, m.stats());
            }
        }
        // In a mix room the others come down as one stream, the server's mix: its link's figures.
        JitterStats mix = box.members().serverMixStats();
        if (mix != null) {
            link(out.putObject("serverMix"), mix);
        }
        return out;
    }

    /** One incoming stream's buffer and link: depth and target, jitter, loss, drift, dropouts. */
    private static void link(ObjectNode o, JitterStats s) {
        double framesPerMs = JitterBuffer.SAMPLE_RATE / 1000.0;
        o.put("depth", s.depthFrames).put("target", s.targetFrames).put("jitterUs", s.jitterMicros)
                .put("lost", s.lost).put("concealed", s.concealed).put("recovered", s.recovered).put("late", s.late)
                .put("dropouts", s.dropouts)
                .put("driftPpm", Math.round(s.driftPpm * 10) / 10.0)
                .put("depthMs", s.depthFrames / framesPerMs).put("targetMs", s.targetFrames / framesPerMs)
                .put("lossPercent", s.received + s.lost == 0 ? 0 : 100.0 * s.lost / (s.received + s.lost));
    }

    /**
     * The room's MIDI on this box ({@code docs/midi.md}): events sent to the room (and packets, and
     * events not sent), and of the other members' events those played, late, copies dropped, events
     * recovered from a repeat, bad packets, events the output had no room for, and the note-offs
     * sent for members who left.
     */
    static ObjectNode roomMidi(Appliance box) {
        ObjectNode o = ControlService.JSON.createObjectNode();
        var up = box.midiUplink();
        o.put("sent", up == null ? 0 : up.sent()).put("packets", up == null ? 0 : up.packets())
                .put("notSent", up == null ? 0 : up.dropped());
        var down = box.members().midi();
        if (down != null) {
            var c = down.counters();
            o.put("received", c.received()).put("late", c.late()).put("duplicates", c.duplicates())
                    .put("recovered", c.recovered()).put("bad", c.bad()).put("dropped", c.dropped())
                    .put("notesOff", c.notesOff());
        }
        return o;
    }

    /**
     * JACK's periods per buffer when the box did not start JACK itself (no card probe): JACK's
     * default, and what jambox-jack starts it with.
     */
    static final int DEFAULT_PERIODS = 2;

    /** One direction of a sound card's buffering, ms: JACK holds {@code periods} periods of {@code frames} each way. */
    static double soundCardMs(int periods, int frames, int sampleRate) {
        return 1000.0 * periods * frames / sampleRate;
    }

    /**
     * The box's own input to output: the card's capture buffering, the slower input's board, the
     * safety limiter's lookahead (0 when it is off), the card's playback buffering.
     */
    static double inputToOutputMs(double soundCardMs, double boardMs, double limiterMs) {
        return soundCardMs + boardMs + limiterMs + soundCardMs;
    }

    /**
     * A member's sound from their instrument to our ears: their capture buffering (their box is
     * assumed to run as ours does: the protocol does not say how it runs), the network one way,
     * our jitter buffer, our safety limiter's lookahead (0 when off), our playback buffering. The one-way network time is our round trip to the
     * room server: half of it is our leg, and the sender's leg is taken to be as long as ours (the
     * packets' sender time is on the sender's clock, which ours is not synchronised to, so a
     * packet's age cannot be read off it). Their board is not counted: the protocol does not carry it.
     * Their codec is ({@code codecMs}): the roster says which they send in.
     */
    static double mouthToEarMs(double soundCardMs, double rttMs, double jitterBufferMs, double limiterMs,
                               double codecMs) {
        return soundCardMs + codecMs + rttMs + jitterBufferMs + limiterMs + soundCardMs;
    }

    /** What coding in {@code codec} delays a stream by, ms: Opus's lookahead (2.5 ms), nothing in PCM. */
    static double codecMs(Codec codec) {
        return codec == Codec.OPUS ? 1000.0 * Opus.DELAY_FRAMES / Opus.SAMPLE_RATE : 0;
    }

    /** What delays the sound, as {@code docs/control-api.md} shows under "Latency"; control threads. */
    static ObjectNode latency(Appliance box, AudioInterface card) {
        AudioBackend backend = box.backend();
        int rate = backend.sampleRate(), frames = backend.periodFrames();
        int periods = card == null ? DEFAULT_PERIODS : card.periods();
        double cardMs = soundCardMs(periods, frames, rate);
        ObjectNode l = ControlService.JSON.createObjectNode().put("sampleRate", rate).put("periodFrames", frames)
                .put("periods", periods).put("soundCardMs", ms(cardMs));
        ArrayNode samples = l.putArray("boardSamples");
        ArrayNode boardMs = l.putArray("boardMs");
        double slowest = 0;
        for (int c = 0; c < AudioBackend.CHANNELS; c++) {
            Board b = box.engine().runningBoard(c);
            double s = b == null ? 0 : b.latencySamples();
            samples.add(s);
            boardMs.add(ms(1000 * s / rate));
            slowest = Math.max(slowest, 1000 * s / rate);
        }
        int limiter = box.engine().limiter().latencySamples();
        double limiterMs = rate > 0 ? 1000.0 * limiter / rate : 0;
        l.put("limiterSamples", limiter).put("limiterMs", ms(limiterMs));
        l.put("inputToOutputMs", ms(inputToOutputMs(cardMs, slowest, limiterMs)));
        StreamClient stream = box.stream();
        long rtt = stream == null ? -1 : stream.rttMicros();
        int me = stream == null ? -1 : stream.memberId();
        // What the others hear later because of how this box sends (in their mouthToEarMs).
        l.put("sendCodec", stream == null ? null : stream.config().codec().name())
                .put("sendCodecMs", stream == null ? 0 : ms(codecMs(stream.config().codec())));
        ArrayNode members = l.putArray("members");
        for (RoomMembers.Member m : box.members().members()) {
            if (m.id() == me || m.stats() == null) {
                continue;
            }
            double jitterMs = m.stats().depthFrames * 1000.0 / JitterBuffer.SAMPLE_RATE;
            double codecMs = codecMs(m.codec());
            ObjectNode o = members.addObject().put("id", m.id()).put("jitterBufferMs", ms(jitterMs))
                    .put("codecMs", ms(codecMs));
            if (rtt < 0) {
                o.putNull("networkMs").putNull("mouthToEarMs");
            } else {
                o.put("networkMs", ms(rtt / 1000.0))
                        .put("mouthToEarMs", ms(mouthToEarMs(cardMs, rtt / 1000.0, jitterMs, limiterMs, codecMs)));
            }
        }
        return l;
    }

    /** Milliseconds to the microsecond: enough for a player, and no 8.312500000000002 on the page. */
    private static double ms(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
