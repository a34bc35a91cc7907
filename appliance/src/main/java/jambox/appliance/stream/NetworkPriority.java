package jambox.appliance.stream;

import jambox.appliance.audio.RealtimeThread;

/**
 * The stream's two network threads under SCHED_FIFO, below JACK and above everything else.
 *
 * <p>A packet is in the path from the sender's process callback to the receiver's: the sending
 * thread is woken by the callback, the receiving thread by the socket. Left at normal priority they
 * wait behind whatever else runs (the page, the JIT, a log write), and every such wait is a packet
 * that comes late and a jitter buffer that must be deeper: on this project's 2-core VM the latency
 * bench saw 4-24 late packets in 20 s with them at normal priority. JackTrip runs its network
 * threads under real-time priority for the same reason.
 *
 * <p>{@link #PRIORITY} 40: below the jambox-jack unit's jackd ({@code -P 70}) and its clients'
 * process threads, and below the kernel's interrupt threads (50), which deliver the packets; above
 * every normal thread. Both threads block (on the socket, or parked until the callback has a packet),
 * so they cannot starve the machine; the kernel's real-time throttling (5 % of each second left to
 * normal threads) is the backstop. Where the process may not (no {@code LimitRTPRIO}, not root, not
 * Linux) the threads stay as they are: the box works, with a deeper buffer.
 */
final class NetworkPriority {
    static final int PRIORITY = 40;

    private NetworkPriority() {
    }

    /** Puts the calling thread under SCHED_FIFO at {@link #PRIORITY}; false where that is not allowed. */
    static boolean raiseCurrentThread() {
        return RealtimeThread.raiseCurrentThread(PRIORITY);
    }
}
