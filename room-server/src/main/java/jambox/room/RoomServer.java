package jambox.room;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;

import jambox.protocol.Header;

/**
 * The room server on a UDP socket: one Netty event loop (epoll on Linux) owns every room and
 * member, so nothing is locked; recordings are written by their own threads, and the status page
 * runs on another loop and asks this one for a snapshot.
 */
public final class RoomServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("jambox.room");
    private static final int SOCKET_BUFFER = 4 << 20;
    /**
     * Datagrams read before their forwards are sent: enough for bundles to form under load, few
     * enough that one batch's sending does not keep the next packets waiting for a millisecond.
     */
    private static final int MAX_READ_BATCH = 64;

    private final EventLoopGroup group;
    private final Channel channel;
    private final RoomService service;
    private final ExecutorService io;
    private final StatusHttp status;

    private RoomServer(ServerConfig config, List<RoomConfig> rooms) throws IOException, InterruptedException {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "room-io");
            t.setDaemon(true);
            return t;
        });
        Handler handler = new Handler(config.batchMicros());
        boolean ipv4Only = config.bind() instanceof java.net.Inet4Address;
        SocketProtocolFamily family = ipv4Only ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        Bootstrap b = new Bootstrap().group(group)
                // An IPv4 bind gets an IPv4 socket: the dual-stack one pays for v4-mapped sends.
                .channelFactory(() -> epoll ? new EpollDatagramChannel(family) : new NioDatagramChannel(family))
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                // One byte more than the largest packet, so an oversized datagram cannot pass as a
                // valid one; how many datagrams a wake reads is the handler's ReadBudget.
                .option(ChannelOption.RCVBUF_ALLOCATOR, handler.budget)
                .handler(handler);
        InetSocketAddress local = config.bind() == null ? new InetSocketAddress(config.port())
                : new InetSocketAddress(config.bind(), config.port());
        try {
            channel = b.bind(local).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            io.shutdownNow();
            throw new IOException("cannot listen on UDP " + local + ": " + e.getMessage(), e);
        }
        service = new RoomService(config, rooms, new ServerClock(), handler, channel.eventLoop(), io);
        service.startMixing();
        channel.eventLoop().scheduleAtFixedRate(() -> {
            service.tick();
            channel.flush();
        }, RoomService.TICK_MILLIS, RoomService.TICK_MILLIS, TimeUnit.MILLISECONDS);
        StatusHttp http = null;
        if (config.statusPort() > 0) {
            try {
                http = StatusHttp.start(new InetSocketAddress(config.statusBind(), config.statusPort()), this::status);
            } catch (IOException e) {
                close();
                throw e;
            }
        }
        status = http;
        LOG.log(System.Logger.Level.INFO, "room server on UDP {0} ({1}), {2} room(s){3}", Member.format(address()),
                epoll ? "epoll" : "nio", Integer.toString(rooms.size()),
                http == null ? "" : ", status on http://" + Member.format(http.address()));
    }

    public static RoomServer start(ServerConfig config, List<RoomConfig> rooms) throws IOException {
        try {
            return new RoomServer(config, rooms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The thread that mixes for the mix rooms, or null when every room forwards (for tests). */
    MixTick mixTick() {
        return service.mixTick();
    }

    /** The mix of the room called {@code name}, or null (for tests). */
    MixRoom mixRoom(String name) {
        return service.mixRoom(name);
    }

    public InetSocketAddress statusAddress() {
        return status == null ? null : status.address();
    }

    /** A snapshot of rooms, members and counters, taken on the event loop. */
    public CompletableFuture<ServerStatus> status() {
        CompletableFuture<ServerStatus> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> f.complete(service.status()));
        return f;
    }

    private boolean closed;

    /** Stops serving; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (status != null) {
            status.close();
        }
        if (channel != null) {
            service.stopMixing();
            channel.eventLoop().submit(service::stopRecordings).awaitUninterruptibly(10, TimeUnit.SECONDS);
            channel.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        io.shutdown();
    }

    /**
     * How many datagrams one wake of the event loop reads. Netty's epoll is level-triggered, so a
     * wake may stop after one datagram: if more arrived, the loop comes straight back. Reading on
     * "until the socket is empty" finds it empty with one more recvmsg, and when datagrams arrive
     * one at a time (a few rooms of a few players) that is a third of the receive path's syscalls,
     * which on a VM are the server's main cost (docs/benchmarks.md). Under load, though, a batch
     * lets bundles form. So: while whole-batch wakes find only one datagram, read one a wake; every
     * {@link #PROBE}th wake reads a whole batch again, and a batch that finds more than one keeps
     * the budget there.
     */
    static final class ReadBudget extends FixedRecvByteBufAllocator {
        static final int PROBE = 8;
        private int budget = MAX_READ_BATCH;
        private int untilProbe;

        ReadBudget() {
            super(Header.MAX_PACKET + 1);
            respectMaybeMoreData(false); // a datagram never fills the buffer: that is no sign of an empty socket
        }

        /** Read by Netty at the start of each wake, on the event loop, as {@link #after} is. */
        @Override
        public int maxMessagesPerRead() {
            return budget;
        }

        /** After a wake that read {@code read} datagrams: the budget for the next. */
        void after(int read) {
            if (budget > 1) {
                if (read <= 1) {
                    budget = 1;
                    untilProbe = PROBE;
                }
            } else if (--untilProbe <= 0) {
                budget = MAX_READ_BATCH;
            }
        }
    }

    /** The Netty side: datagrams in to the service, the service's packets out as datagrams. */
    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> implements RoomService.Outbox {
        private final byte[] scratch = new byte[Header.MAX_PACKET + 1];
        private final long pauseMicros;
        private final ReadBudget budget = new ReadBudget();
        private final Runnable resume = () -> channel.config().setAutoRead(true);
        private ChannelHandlerContext ctx;

        Handler(long pauseMicros) {
            this.pauseMicros = pauseMicros;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext c) {
            ctx = c;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext c, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int len = Math.min(content.readableBytes(), scratch.length);
            content.getBytes(content.readerIndex(), scratch, 0, len);
            service.receive(scratch, len, packet.sender());
            readInBatch++;
        }

        private int readInBatch;

        @Override
        public void channelReadComplete(ChannelHandlerContext c) {
            service.flushBundles();
            c.flush();
            int read = readInBatch;
            readInBatch = 0;
            if (pauseMicros > 0) {
                if (read < MAX_READ_BATCH) {
                    // Stop reading for a moment: what arrives meanwhile is read in one batch after
                    // it, so the loop wakes a few thousand times a second instead of once per
                    // packet. Never while packets are still waiting: a full batch means the server
                    // is behind.
                    c.channel().config().setAutoRead(false);
                    c.executor().schedule(resume, pauseMicros, TimeUnit.MICROSECONDS);
                }
            } else {
                budget.after(read);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            // A send that failed (no route to a reply's address) or a bug: it must not take the
            // server down, nor flood the log when it repeats for every packet.
            RoomService s = service;
            if (s == null) {
                LOG.log(System.Logger.Level.ERROR, "on the UDP socket", cause);
                return;
            }
            s.counters.socketErrors++;
            s.logs.log(System.nanoTime() / 1000, cause.getClass().getName() + ": " + cause.getMessage(),
                    System.Logger.Level.ERROR, () -> "errors like it", () -> "on the UDP socket (a reply that could not be"
                            + " sent, or a bug): " + cause, cause);
        }

        @Override
        public void flush() {
            ctx.flush();
        }

        @Override
        public void send(InetSocketAddress to, byte[] b, int off, int len) {
            ByteBuf buf = ctx.alloc().directBuffer(len).writeBytes(b, off, len);
            ctx.write(new DatagramPacket(buf, to), ctx.voidPromise());
        }
    }
}
