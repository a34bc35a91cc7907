package jambox.appliance.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jambox.appliance.audio.RealtimeThread;

/**
 * What {@code netem delay D J loss L} does, in user space, for kernels built without
 * {@code sch_netem}: a UDP relay in front of the room server that drops each datagram with
 * probability L and delays the rest by D +- J (uniform, as netem without a distribution table), in
 * both directions and independently per datagram, so datagrams overtake each other as they do under
 * netem. Each client gets its own socket towards the server, so the server sees one address per box.
 *
 * <p>netem runs in the kernel and never waits for a CPU; this stand-in must not either, or it adds
 * stalls of its own that no real link has (run inside the test's JVM at normal priority it was up to
 * 164 ms late under load). So {@link #main} runs it as its own process, with ZGC, and its two
 * threads raise themselves to SCHED_FIFO {@value #PRIORITY} where allowed (root: the test needs root
 * for its namespaces anyway): above the boxes' network threads (40), below JACK (70).
 */
final class ImpairingRelay implements AutoCloseable {
    static final int PRIORITY = 45;

    private final DatagramChannel front;
    private final InetSocketAddress server;
    private final double loss;
    private final long delayNanos;
    private final long jitterNanos;
    private final SplittableRandom random;
    private final Selector selector;
    private final Map<SocketAddress, DatagramChannel> upstream = new HashMap<>();
    private final DelayQueue<Held> held = new DelayQueue<>();
    private final Thread reader;
    private final Thread sender;
    private final AtomicLong seq = new AtomicLong();
    final AtomicLong relayed = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    /** AUDIO datagrams from the clients towards the server (the type byte, see docs/protocol.md), their bytes, and how many were dropped. */
    final AtomicLong audioUpPackets = new AtomicLong();
    final AtomicLong audioUpBytes = new AtomicLong();
    final AtomicLong audioUpDropped = new AtomicLong();
    private static final byte AUDIO = 7;
    /** Datagrams sent more than 2 ms after they were due, and the latest: the relay's own jitter. */
    final AtomicLong sentLate = new AtomicLong();
    volatile long maxLateNanos;
    /** When the latest one was sent, in nanoseconds since the relay started. */
    volatile long maxLateAtNanos;
    private final long startedNanos = System.nanoTime();
    private volatile boolean stop;

    ImpairingRelay(InetSocketAddress listen, InetSocketAddress server, double delayMs, double jitterMs, double loss,
                   long seed) throws IOException {
        this.server = server;
        this.loss = loss;
        this.delayNanos = Math.round(delayMs * 1e6);
        this.jitterNanos = Math.round(jitterMs * 1e6);
        this.random = new SplittableRandom(seed);
        this.selector = Selector.open();
        this.front = DatagramChannel.open().bind(listen);
        front.configureBlocking(false);
        front.register(selector, SelectionKey.OP_READ, null);
        reader = new Thread(this::read, "relay-reader");
        sender = new Thread(this::send, "relay-sender");
        reader.setDaemon(true);
        sender.setDaemon(true);
        reader.start();
        sender.start();
    }

    int port() throws IOException {
        return ((InetSocketAddress) front.getLocalAddress()).getPort();
    }

    /** Attachment null: the front socket; else the client address that upstream socket speaks for. */
    private void read() {
        raise();
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        try {
            while (!stop) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    SocketAddress from;
                    while ((from = ch.receive(buf.clear())) != null) {
                        buf.flip();
                        byte[] data = new byte[buf.remaining()];
                        buf.get(data);
                        if (key.attachment() == null) {
                            offer(towardsServer(from), server, data);
                        } else {
                            offer(front, (SocketAddress) key.attachment(), data);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!stop) {
                System.err.println("relay reader stopped: " + e);
            }
        }
    }

    private DatagramChannel towardsServer(SocketAddress client) throws IOException {
        DatagramChannel ch = upstream.get(client);
        if (ch == null) {
            ch = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, client);
            upstream.put(client, ch);
        }
        return ch;
    }

    private void offer(DatagramChannel via, SocketAddress to, byte[] data) {
        boolean audioUp = to == server && data.length > 3 && data[3] == AUDIO;
        if (audioUp) {
            audioUpPackets.incrementAndGet();
            audioUpBytes.addAndGet(data.length);
        }
        if (random.nextDouble() < loss) {
            dropped.incrementAndGet();
            if (audioUp) {
                audioUpDropped.incrementAndGet();
            }
            return;
        }
        long delay = delayNanos + (jitterNanos == 0 ? 0 : random.nextLong(-jitterNanos, jitterNanos + 1));
        held.add(new Held(System.nanoTime() + Math.max(0, delay), seq.getAndIncrement(), via, to, data));
    }

    private void send() {
        raise();
        try {
            while (!stop) {
                Held h = held.poll(200, TimeUnit.MILLISECONDS);
                if (h != null) {
                    long late = System.nanoTime() - h.due;
                    if (late > 2_000_000) {
                        sentLate.incrementAndGet();
                    }
                    if (late > maxLateNanos) {
                        maxLateNanos = late;
                        maxLateAtNanos = System.nanoTime() - startedNanos;
                    }
                    try {
                        h.via.send(ByteBuffer.wrap(h.data), h.to);
                        relayed.incrementAndGet();
                    } catch (IOException e) {
                        if (!stop) {
                            System.err.println("relay send: " + e);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Of the relay's two threads, how many run under SCHED_FIFO. */
    private final AtomicInteger realtime = new AtomicInteger();

    private void raise() {
        if (RealtimeThread.raiseCurrentThread(PRIORITY)) {
            realtime.incrementAndGet();
        } // else it stays at normal priority, and says so in its stats
    }

    /**
     * The relay as a process: {@code serverHost serverPort delayMs jitterMs loss seed}. Prints
     * {@code relay port N} once it listens, then every second a {@code relay-stats} line
     * ({@code relayed dropped late maxLateUs maxLateAtMs}, and {@code realtime}: its threads under SCHED_FIFO) until it is killed.
     */
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        try (ImpairingRelay relay = new ImpairingRelay(new InetSocketAddress("0.0.0.0", 0), server,
                Double.parseDouble(args[2]), Double.parseDouble(args[3]), Double.parseDouble(args[4]),
                Long.parseLong(args[5]))) {
            System.out.println("relay port " + relay.port());
            System.out.flush();
            while (true) {
                Thread.sleep(1000);
                System.out.println("relay-stats relayed=" + relay.relayed.get() + " dropped=" + relay.dropped.get()
                        + " late=" + relay.sentLate.get() + " maxLateUs=" + relay.maxLateNanos / 1000
                        + " maxLateAtMs=" + relay.maxLateAtNanos / 1_000_000
                        + " realtime=" + relay.realtime.get());
                System.out.flush();
            }
        }
    }

    private record Held(long due, long seq, DatagramChannel via, SocketAddress to, byte[] data) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Held h = (Held) o;
            int c = Long.compare(due, h.due);
            return c != 0 ? c : Long.compare(seq, h.seq);
        }
    }

    @Override
    public void close() throws IOException {
        stop = true;
        selector.wakeup();
        try {
            reader.join(2000);
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
        front.close();
        for (DatagramChannel ch : upstream.values()) {
            ch.close();
        }
    }
}
