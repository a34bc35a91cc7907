package jambox.room;

/** What the server measured of one member. Written on the event loop only. */
final class MemberStats {
    long packets;
    long audioPackets;
    long midiPackets;
    long bytes;
    /** Sequence numbers skipped and not (yet) arrived late. */
    long lost;
    long late;
    long duplicates;
    long rateLimited;
    /** Packets from its address with a wrong tag: forged or corrupted, never charged to its rate. */
    long unauthenticated;
    /** RFC 3550 interarrival jitter, microseconds. */
    double jitterMicros;
    long rttMicros = -1;
    long forwarded;

    private boolean haveTransit;
    private long lastTransit;

    void arrival(long senderTime, long arrivalMicros) {
        long transit = arrivalMicros - senderTime;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            jitterMicros += (d - jitterMicros) / 16;
        }
        lastTransit = transit;
        haveTransit = true;
    }
}
