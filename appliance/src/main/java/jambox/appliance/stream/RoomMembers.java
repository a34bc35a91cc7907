package jambox.appliance.stream;

import jambox.stream.DepthMode;
import jambox.stream.JitterBuffer;
import jambox.stream.JitterStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jambox.appliance.engine.Engine;
import jambox.appliance.engine.Mixer;
import jambox.protocol.Codec;
import jambox.protocol.PacketReader;
import jambox.protocol.message.Roster;

/**
 * The other players in the room, as the engine hears them: a {@link JitterBuffer} per member,
 * in the mixer slot of its member id (member n plays in slot n - 1, so a player keeps their
 * strip's settings for as long as they keep their id). Buffers are made on the receiving thread
 * when a member's first packet arrives, and dropped when the roster no longer lists them.
 */
public final class RoomMembers implements Downlink {
    /** A member as the roster names them, the codec they send in, with their buffer's figures. */
    public record Member(int id, String name, List<String> labels, Codec codec, JitterStats stats) {
    }

    private final Engine engine;
    private final JitterBuffer[] buffers = new JitterBuffer[Mixer.MAX_MEMBERS + 1];
    /** In a mix room, the server's mix for this box (AUDIO from member 0); null elsewhere. */
    private volatile JitterBuffer serverMix;
    private final Map<Integer, Roster.Entry> names = new HashMap<>();
    private final Map<Integer, Roster.Entry> incoming = new HashMap<>();
    private volatile DepthMode mode = DepthMode.AUTO;
    private volatile int manualPackets = 4;
    private int rosterGeneration = -1;
    private int rosterParts;
    private volatile long ignored;
    private volatile Runnable onRosterChange = () -> { };
    private volatile MidiDownlink midi;
    private volatile java.util.function.LongSupplier clock;

    public RoomMembers(Engine engine) {
        this.engine = engine;
    }

    /** Auto depth, or a fixed depth of {@code packets} for every member now and later. */
    public void setDepth(boolean auto, int packets) {
        mode = auto ? DepthMode.AUTO : DepthMode.MANUAL;
        manualPackets = packets;
        for (JitterBuffer b : buffers) {
            if (b != null) {
                apply(b);
            }
        }
        if (serverMix != null) {
            apply(serverMix);
        }
    }

    private void apply(JitterBuffer b) {
        b.setManualDepth(manualPackets);
        b.setDepthMode(mode);
    }

    /**
     * {@code listener} hears when a complete roster names other members than the last one (someone
     * came, left or was renamed), on the receiving thread: it must return at once. The server's
     * refresh of an unchanged roster every few seconds says nothing.
     */
    public void onRosterChange(Runnable listener) {
        onRosterChange = java.util.Objects.requireNonNull(listener);
    }

    /**
     * Plays the room's MIDI through {@code downlink}, placed against each member's buffer on the
     * box's audio clock {@code frameClock} (the frame at which the current period began). Any
     * thread, once, as the box starts.
     */
    public synchronized void playMidi(MidiDownlink downlink, java.util.function.LongSupplier frameClock) {
        clock = frameClock;
        midi = downlink;
        for (JitterBuffer b : buffers) {
            if (b != null) {
                b.setClock(frameClock);
            }
        }
    }

    /** The room's MIDI on this box, or null when it is not played. */
    public MidiDownlink midi() {
        return midi;
    }

    /** Packets from a member id the mixer has no slot for. */
    public long ignored() {
        return ignored;
    }

    // ---- receiving thread ----

    @Override
    public synchronized void audio(PacketReader r, long arrivalNanos) {
        int id = r.header.member;
        if (id == 0) {
            mixFromServer(r, arrivalNanos);
            return;
        }
        if (id < 1 || id > Mixer.MAX_MEMBERS) {
            ignored++;
            return;
        }
        JitterBuffer b = buffers[id];
        if (b == null || b.channels() != r.header.channels) {
            if (r.header.channels < 1 || r.header.channels > 2) {
                ignored++;
                return;
            }
            b = new JitterBuffer(r.header.channels);
            b.setClock(clock);
            apply(b);
            buffers[id] = b;
            engine.setMember(id - 1, b);
        }
        b.offer(r.header, r.array(), r.bodyOffset(), arrivalNanos);
    }

    /** The server's mix of the others, in a mix room: one more stream, played at unity (Engine#setRoomMix). */
    private void mixFromServer(PacketReader r, long arrivalNanos) {
        JitterBuffer b = serverMix;
        if (b == null || b.channels() != r.header.channels) {
            if (r.header.channels < 1 || r.header.channels > 2) {
                ignored++;
                return;
            }
            b = new JitterBuffer(r.header.channels);
            apply(b);
            serverMix = b;
            engine.setRoomMix(b);
        }
        b.offer(r.header, r.array(), r.bodyOffset(), arrivalNanos);
    }

    /** The figures of the server's mix's buffer in a mix room, or null when the server mixes nothing for us. */
    public synchronized JitterStats serverMixStats() {
        return serverMix == null ? null : serverMix.stats(new JitterStats());
    }

    @Override
    public synchronized void midi(PacketReader r) {
        MidiDownlink m = midi;
        if (m != null) {
            int id = r.header.member;
            m.packet(id, r, id >= 1 && id <= Mixer.MAX_MEMBERS ? buffers[id] : null);
        }
    }

    @Override
    public synchronized void roster(Roster roster) {
        if (roster.generation() != rosterGeneration) {
            rosterGeneration = roster.generation();
            rosterParts = 0;
            incoming.clear();
        }
        for (Roster.Entry e : roster.entries()) {
            incoming.put(e.member(), e);
        }
        if (++rosterParts < roster.parts()) {
            return;
        }
        boolean changed = !names.equals(incoming);
        MidiDownlink m = midi;
        if (m != null) {
            for (Integer id : names.keySet()) {
                if (!incoming.containsKey(id)) {
                    m.gone(id); // left or dropped out (the server times out the silent): no note left hanging
                }
            }
        }
        names.clear();
        names.putAll(incoming);
        if (changed) {
            onRosterChange.run();
        }
        for (int id = 1; id <= Mixer.MAX_MEMBERS; id++) {
            if (buffers[id] != null && !names.containsKey(id)) {
                engine.setMember(id - 1, null); // left: the mixer stops pulling before the buffer goes
                buffers[id] = null;
            }
        }
    }

    @Override
    public synchronized void reset() {
        MidiDownlink m = midi;
        for (int id = 1; id <= Mixer.MAX_MEMBERS; id++) {
            if (m != null) {
                m.gone(id);
            }
            if (buffers[id] != null) {
                engine.setMember(id - 1, null);
                buffers[id] = null;
            }
        }
        if (serverMix != null) {
            engine.setRoomMix(null);
            serverMix = null;
        }
        names.clear();
        rosterGeneration = -1;
    }

    /** Who is in the room (ourselves included, as the roster lists us) and how their audio is doing. */
    public synchronized List<Member> members() {
        return names.values().stream().sorted(java.util.Comparator.comparingInt(Roster.Entry::member))
                .map(e -> {
                    JitterBuffer b = buffers[e.member()];
                    return new Member(e.member(), e.name(), e.labels(), e.codec(),
                            b == null ? null : b.stats(new JitterStats()));
                }).toList();
    }
}
