package jambox.room;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import jambox.protocol.Keys;
import jambox.protocol.PacketKey;
import jambox.protocol.message.Tempo;
import jambox.room.record.RoomRecorder;

/** A room: its members by id (slot), its room key, metronome and recording. Event-loop only. */
final class Room {
    private static final SecureRandom RANDOM = new SecureRandom();

    final int id;
    final RoomConfig config;
    final byte[] secret;
    /** New each time the server starts, so a room key from an earlier run is worthless. */
    final byte[] nonce = new byte[Keys.NONCE_SIZE];
    final PacketKey key;
    /** Index = member id; slot 0 is never used (0 means "no member" on the wire). */
    final Member[] members;
    int count;
    int generation;
    Tempo tempo = new Tempo(0, 4, 0);
    long lastBeat = -1;
    RoomRecorder recorder;
    /** The server's mix for each member, in a mix room; null in a forwarding room. */
    MixRoom mix;
    /** A start is under way on the I/O thread: a second START waits for it. */
    boolean recordingStarting;
    String recordingFailure;

    Room(int id, RoomConfig config) {
        this.id = id;
        this.config = config;
        this.secret = config.secret().getBytes(StandardCharsets.UTF_8);
        RANDOM.nextBytes(nonce);
        this.key = new PacketKey(Keys.room(secret, nonce));
        this.members = new Member[config.capacity() + 1];
    }

    boolean full() {
        return count >= config.capacity();
    }

    /** The lowest free member id, or 0 when the room is full. */
    int freeSlot() {
        for (int i = 1; i < members.length; i++) {
            if (members[i] == null) {
                return i;
            }
        }
        return 0;
    }

    void put(Member m) {
        members[m.id] = m;
        count++;
        generation++;
    }

    void remove(Member m) {
        members[m.id] = null;
        count--;
        generation++;
        for (Member other : members) {
            if (other != null) {
                other.routing = other.routing.without(m.id);
            }
        }
    }

    /** Metronome position at server time {@code now} in beats, 24.8 fixed point; 0 when stopped. */
    int beatAt(long now) {
        if (!tempo.running() || now < tempo.epoch()) {
            return 0;
        }
        return (int) ((now - tempo.epoch()) * 256.0 / tempo.beatMicros());
    }
}
