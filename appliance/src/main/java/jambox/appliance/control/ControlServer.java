package jambox.appliance.control;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The control page's server: static files from the jar, recorded takes under {@code /recordings/}
 * ({@link RecordingFiles}), impulse-response uploads to {@code /irs/N} ({@link IrUpload}) and the WebSocket at {@code /ws}, on one
 * Netty event loop. Commands leave the event loop for the command service's one control thread
 * (a pedal removed fades out first, and that wait must not stall other pages), where they queue
 * with the knobs' own; state pushes go to every page as changes happen, meters about 20 times a
 * second, the tuner about 15, stats once a second.
 */
public final class ControlServer implements AutoCloseable {
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** The longest request line (method, path, version): the page's paths are a few dozen characters. */
    static final int MAX_REQUEST_LINE = 2048;
    /** All of a request's headers together. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /**
     * A request's body: the page sends none (files are fetched, commands go over the WebSocket),
     * but for an impulse-response upload, which {@link IrUploadBody} takes up to its own limit.
     */
    static final int MAX_BODY_BYTES = 8 * 1024;
    /** What one page may have waiting unsent before it is closed, however briefly. */
    static final long MAX_BACKLOG_BYTES = 16L << 20;
    /** How long a page may read nothing while the box has things waiting for it. */
    static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * How the page is served: port (0 picks one), bind address, the optional PIN, the host names it
     * answers to besides its own ({@link HostNames}), and its {@link Limits}.
     */
    public record Settings(String bindAddress, int port, String pin, List<String> hosts, Limits limits) {
        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("control port " + port + " is outside 0 .. 65535");
            }
            if (pin != null && !pin.matches("[0-9]{4,12}")) {
                throw new IllegalArgumentException("the control PIN is 4 to 12 digits");
            }
            hosts = List.copyOf(hosts);
            java.util.Objects.requireNonNull(limits, "limits");
        }

        /** No host names beyond the box's own, the {@link Limits#DEFAULT} limits. */
        public Settings(String bindAddress, int port, String pin) {
            this(bindAddress, port, pin, List.of(), Limits.DEFAULT);
        }
    }

    /**
     * How long a connection may take and how many there may be (see {@link #DEFAULT}). Constants,
     * not config: tests shorten them.
     *
     * @param request     from a request's first byte until its line, headers and body are all in;
     *                    a request slower than this is answered 408 and its connection closed
     * @param idle        how long a connection may send nothing: an HTTP connection between
     *                    requests, or a page's WebSocket, which is pinged three times in this
     *                    while (a browser answers pings by itself, so an open page stays)
     * @param connections connections open at once; beyond this the box first closes an HTTP
     *                    connection idle between requests, and if there is none, answers the new
     *                    one 503 and closes it
     */
    public record Limits(Duration request, Duration idle, int connections) {
        /** 10 s for a request, 60 s of silence, 64 connections: a few phones on a home network use a dozen. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 64);

        public Limits {
            if (request.isNegative() || request.isZero() || idle.isNegative() || idle.isZero() || connections < 1) {
                throw new IllegalArgumentException("control limits must be positive");
            }
        }
    }

    private final ControlService control;
    private final Settings settings;
    private final PinGuard pinGuard = new PinGuard(System::nanoTime);
    /** Impulse-response uploads being received, box-wide ({@link IrUploadBody}). */
    private final java.util.concurrent.Semaphore uploads = new java.util.concurrent.Semaphore(IrUploadBody.AT_ONCE);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final ChannelGroup pages = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    /** How long a change may wait for more before the state goes out. */
    static final long COALESCE_MILLIS = 15;
    /** The last MIDI message goes out at most this often (10 a second), whatever the controller sends. */
    static final long MIDI_PUSH_MILLIS = 100;
    /** The message count the last {@code midi} push carried; the event loop's own. */
    private long midiPushed;
    private final java.util.concurrent.atomic.AtomicReference<ObjectNode> pendingState =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Channel listener;

    private ControlServer(ControlService control, Settings settings) throws InterruptedException {
        this.control = control;
        this.settings = settings;
        ConnectionGuard.Connections connections = new ConnectionGuard.Connections(settings.limits());
        HostNames names = HostNames.of(settings.hosts(), settings.bindAddress());
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ConnectionGuard guard = new ConnectionGuard(connections);
                        ch.pipeline().addLast(guard,
                                new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(MAX_REQUEST_LINE)
                                        .setMaxHeaderSize(MAX_HEADER_BYTES)),
                                guard.httpSide(),
                                new IrUploadBody(control.recordings(), uploads),
                                new HttpObjectAggregator(MAX_BODY_BYTES),
                                new OriginCheck("/ws", names),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").maxFramePayloadLength(MAX_MESSAGE_BYTES)
                                        .checkStartsWith(false).handleCloseFrames(false).build()),
                                new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                                new RecordingFiles(control.recordings()),
                                new IrUpload(control, control.recordings()),
                                new StaticFiles("jambox/web/"),
                                new PageSession(ControlServer.this));
                    }
                });
        listener = b.bind(new InetSocketAddress(settings.bindAddress(), settings.port())).sync().channel();
        control.onChange(this::pushState);
        group.scheduleAtFixedRate(this::pushMeters, 50, 50, TimeUnit.MILLISECONDS);
        group.scheduleAtFixedRate(this::pushTuner, 66, 66, TimeUnit.MILLISECONDS);
        group.scheduleAtFixedRate(this::pushStats, 1000, 1000, TimeUnit.MILLISECONDS);
        group.scheduleAtFixedRate(this::pushMidi, MIDI_PUSH_MILLIS, MIDI_PUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    public static ControlServer start(ControlService control, Settings settings) throws InterruptedException {
        return new ControlServer(control, settings);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    ControlService control() {
        return control;
    }

    Settings settings() {
        return settings;
    }

    /** The box-wide count of wrong PINs, shared by every page's connection. */
    PinGuard pinGuard() {
        return pinGuard;
    }

    /**
     * A change: the state goes out within {@link #COALESCE_MILLIS}, the latest of a burst only (a pot
     * turning changes the state 100 times a second; every page needs the last of those, not each).
     */
    private void pushState(ObjectNode state) {
        if (pendingState.getAndSet(state) == null) {
            group.schedule(this::flushNow, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Sends the state waiting to go, if any: also before a reply, so a page sees its change first.
     * Always from the event loop, the one thread every page is on: the send is queued ahead of the
     * reply the caller writes next, and states go out in the order they were made. Sent from the
     * command thread instead, a state could be overtaken by a newer one the loop sent meanwhile
     * (the room's news comes from another thread) and arrive after it, stale.
     */
    void flushState() {
        try {
            group.execute(this::flushNow);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // shutting down: no page is left to tell
        }
    }

    private void flushNow() {
        ObjectNode state = pendingState.getAndSet(null);
        if (state != null) {
            sendState(state);
        }
    }

    private void sendState(ObjectNode state) {
        ObjectNode msg = ControlService.JSON.createObjectNode().put("v", ControlService.VERSION).put("type", "state");
        msg.set("state", state);
        String text = msg.toString();
        for (Channel page : pages) {
            if (!PageSession.admitted(page)) {
                continue;
            }
            if (closeIfStuck(page)) {
                continue;
            }
            page.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    /** Frequent pushes skip a page whose socket is backed up: it gets fewer frames, nobody waits. */
    private void pushFrequent(ObjectNode msg) {
        String text = msg.toString();
        for (Channel page : pages) {
            if (PageSession.admitted(page) && page.isWritable()) {
                page.writeAndFlush(new TextWebSocketFrame(text));
            }
        }
    }

    private void pushMeters() {
        if (!pages.isEmpty()) {
            pushFrequent(control.meters());
        }
    }

    private void pushTuner() {
        if (!pages.isEmpty()) {
            ObjectNode reading = control.tunerReading();
            if (reading != null) {
                pushFrequent(reading.put("v", ControlService.VERSION).put("type", "tuner"));
            }
        }
    }

    /**
     * The last MIDI message, when one came since the last look: a busy controller sends hundreds a
     * second, and a player reading the page needs the latest, not each. Event loop only.
     */
    private void pushMidi() {
        long heard = control.midiHeard();
        if (heard != midiPushed && !pages.isEmpty()) {
            ObjectNode push = control.midiActivity();
            if (push != null) {
                midiPushed = push.path("heard").asLong(heard);
                pushFrequent(push);
            }
        }
    }

    private void pushStats() {
        if (!pages.isEmpty()) {
            pages.forEach(this::closeIfStuck);
            pushFrequent(control.stats());
        }
    }

    /**
     * A page that has read nothing for {@link #STUCK_NANOS} while pushes wait for it (a phone gone
     * to sleep mid-song), or has a huge backlog, would make the box hold every state since: let it
     * go; it reconnects and gets the state as it is then. A page merely slow for a moment is kept.
     */
    private boolean closeIfStuck(Channel page) {
        long since = PageSession.unwritableSince(page);
        if (page.bytesBeforeWritable() > MAX_BACKLOG_BYTES || since != 0 && System.nanoTime() - since > STUCK_NANOS) {
            page.close();
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        pages.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
