package jambox.room;

/**
 * Server-wide packet counters. Every datagram received ends in exactly one of: accepted, or one
 * of the drop reasons; so received = accepted + the sum of drops, which the tests check.
 * Written on the event loop only; read through a snapshot taken there.
 */
final class Counters {
    long received;
    long accepted;
    /** Header or body does not parse. */
    long malformed;
    /** Well formed, from a member's address, but the tag is wrong. */
    long unauthenticated;
    /** No such room or member, or not from the member's address. */
    long unknown;
    long rateLimited;
    /** Seen already, or older than the replay window. */
    long replayed;
    /** A type a member may not send (server-only types). */
    long notAllowed;
    long forwarded;
    /** AUDIO packets of a mix room's mixes sent, one per listener per block. */
    long mixed;
    /** Of the accepted, MIDI packets from members (forwarded as audio is). */
    long midi;
    long sent;
    long challenges;
    long joins;
    long refusals;
    /** Errors on the socket, mostly replies the system could not send (no route): not a datagram received. */
    long socketErrors;

    long drops() {
        return malformed + unauthenticated + unknown + rateLimited + replayed + notAllowed;
    }
}
