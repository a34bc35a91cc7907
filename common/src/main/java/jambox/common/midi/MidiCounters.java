package jambox.common.midi;

/**
 * What a box's MIDI ports have done since they started.
 *
 * @param received   events that came in and were handed to the listeners' thread
 * @param sent       events written to the output
 * @param late       of those sent, events whose frame had passed already: they left at the start of
 *                   the next period instead
 * @param droppedIn  incoming events lost: longer than {@link MidiPorts#MAX_EVENT_BYTES}, or the ring to
 *                   the listeners' thread was full
 * @param droppedOut outgoing events lost: longer than the limit, the queue to the audio thread was
 *                   full, the output port had no room in its period, or a new audio clock began
 * @param listenerFaults listener calls that threw
 */
public record MidiCounters(long received, long sent, long late, long droppedIn, long droppedOut, long listenerFaults) {
    public long dropped() {
        return droppedIn + droppedOut;
    }
}
