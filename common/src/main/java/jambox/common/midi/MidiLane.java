package jambox.common.midi;

/**
 * One producer's own queue to a box's MIDI output ({@link MidiPorts#lane}). The audio thread merges
 * every lane and the shared queue by frame time, so a producer that plans ahead (the room's clock,
 * a remote member's notes played at their delay) never holds back another's earlier event, and two
 * producers never wait on each other. Within a lane, events must be queued in time order.
 *
 * <p>A lane has one producer thread at a time, which may be the audio thread: {@link #send} never
 * locks, blocks or allocates.
 */
public interface MidiLane {
    /**
     * Queues {@code length} bytes of {@code data} from {@code offset} (one complete message) to be
     * played at {@code frame} on the audio clock, or {@link MidiPorts#NOW}.
     *
     * @return false if the event was dropped (and counted): longer than
     *         {@link MidiPorts#MAX_EVENT_BYTES}, or the lane is full
     */
    boolean send(long frame, byte[] data, int offset, int length);

    /** The lane's name, as given to {@link MidiPorts#lane}. */
    String name();
}
