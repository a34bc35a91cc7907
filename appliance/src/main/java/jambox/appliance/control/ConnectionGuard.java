package jambox.appliance.control;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * One connection's limits ({@link ControlServer.Limits}): the cap on connections, how long a
 * request may take to arrive (a client sending its headers a byte at a time is cut off), how long
 * a connection may say nothing, and the pings that keep an open page's WebSocket talking. First in
 * the pipeline, so it sees every byte read; {@link #httpSide()}, just after the HTTP codec, sees
 * requests the codec could not read and the end of each response.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    /** What the connection is doing, for the timer that watches it. */
    private enum Phase { WAITING, REQUEST, SOCKET, REFUSED }

    /** The server's count of its connections, and those idle between HTTP requests (the first to go). */
    static final class Connections {
        final ControlServer.Limits limits;
        final AtomicInteger open = new AtomicInteger();
        final Set<Channel> idle = ConcurrentHashMap.newKeySet();

        Connections(ControlServer.Limits limits) {
            this.limits = limits;
        }

        /** Closes one HTTP connection idle between requests, if there is one: a browser opens another when it needs it. */
        boolean evictIdle() {
            for (Channel c : idle) {
                if (idle.remove(c)) {
                    c.close();
                    return true;
                }
            }
            return false;
        }
    }

    private final Connections connections;
    private final HttpSide httpSide = new HttpSide();
    private Channel channel;
    private Phase phase = Phase.WAITING;
    private ScheduledFuture<?> timer;
    private long lastRead = System.nanoTime();

    ConnectionGuard(Connections connections) {
        this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        if (connections.open.incrementAndGet() > connections.limits.connections() && !connections.evictIdle()) {
            phase = Phase.REFUSED;
            ctx.writeAndFlush(raw(HttpResponseStatus.SERVICE_UNAVAILABLE, "the box has "
                    + connections.limits.connections() + " connections open, its most; try again shortly"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        waiting();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connections.open.decrementAndGet();
        connections.idle.remove(ctx.channel());
        cancelTimer();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (phase == Phase.REFUSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastRead = System.nanoTime();
        if (phase == Phase.WAITING && msg instanceof ByteBuf b && b.isReadable()) {
            phase = Phase.REQUEST;
            connections.idle.remove(channel);
            schedule(this::requestTooSlow, connections.limits.request().toNanos());
        }
        super.channelRead(ctx, msg);
    }

    /** The handshake is done: from now on a page's socket, kept by pings while its browser answers. */
    void webSocket(ChannelHandlerContext anyCtx) {
        phase = Phase.SOCKET;
        connections.idle.remove(channel);
        cancelTimer();
        long every = Math.max(1, connections.limits.idle().toNanos() / 3);
        timer = channel.eventLoop().scheduleAtFixedRate(this::pingOrClose, every, every, TimeUnit.NANOSECONDS);
        if (anyCtx.pipeline().context(httpSide) != null) {
            anyCtx.pipeline().remove(httpSide);
        }
    }

    /**
     * A long answer (a recorded take, gigabytes maybe) is going out as {@code region}, until
     * {@code transfer} is done: the request's time limit no longer applies, but a transfer that
     * moves not a byte for the idle limit (a reader gone) closes the connection. The answer's end,
     * written when the transfer is done, starts the wait for the next request as usual. Event loop only.
     */
    void sending(FileRegion region, Future<?> transfer) {
        cancelTimer();
        long idle = connections.limits.idle().toNanos();
        long every = Math.max(1, idle / 4);
        long[] moved = {-1, System.nanoTime()}; // bytes sent when last looked, and when they last grew
        timer = channel.eventLoop().scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            if (region.transferred() != moved[0]) {
                moved[0] = region.transferred();
                moved[1] = now;
            } else if (!transfer.isDone() && now - moved[1] > idle) {
                channel.close();
            }
        }, every, every, TimeUnit.NANOSECONDS);
    }

    /** Between requests: idle, and the first to go when the box is full. */
    private void waiting() {
        if (phase == Phase.SOCKET || phase == Phase.REFUSED || !channel.isActive()) {
            return; // (a response written as the connection closed must not leave it in the idle set)
        }
        phase = Phase.WAITING;
        connections.idle.add(channel);
        schedule(this::idleTooLong, connections.limits.idle().toNanos());
    }

    private void requestTooSlow() {
        if (phase == Phase.REQUEST && channel.isActive()) {
            phase = Phase.REFUSED;
            // Raw, from the head of the pipeline: the codec holds half a request it will never finish.
            channel.pipeline().firstContext().writeAndFlush(raw(HttpResponseStatus.REQUEST_TIMEOUT,
                    "the request took more than " + seconds(connections.limits.request()) + " to arrive"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void idleTooLong() {
        if (phase == Phase.WAITING) {
            channel.close();
        }
    }

    private void pingOrClose() {
        if (System.nanoTime() - lastRead > connections.limits.idle().toNanos()) {
            channel.close(); // nothing, not even a pong, for the whole while: the page is gone
        } else {
            channel.writeAndFlush(new PingWebSocketFrame());
        }
    }

    private void schedule(Runnable task, long nanos) {
        cancelTimer();
        timer = channel.eventLoop().schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** A whole response as bytes, for when the codec cannot be used; the connection closes after it. */
    private static ByteBuf raw(HttpResponseStatus status, String message) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: "
                + body.length + "\r\nconnection: close\r\n\r\n";
        return Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body);
    }

    /** Answers with {@code status} and a one-line plain-text reason through the codec, then closes. */
    static void plainAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(why + "\n", CharsetUtil.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    /** The handler that goes right after the HTTP codec. */
    ChannelDuplexHandler httpSide() {
        return httpSide;
    }

    /**
     * Answers a request the codec could not read (400; a request line over the limit 414, headers
     * over it 431) and closes; sees each response end, after which the connection waits for the
     * next request.
     */
    private final class HttpSide extends ChannelDuplexHandler {
        private boolean failed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (failed) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                failed = true;
                ReferenceCountUtil.release(msg);
                Throwable cause = o.decoderResult().cause();
                HttpResponseStatus status;
                String why;
                if (cause instanceof TooLongHttpLineException) {
                    status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
                    why = "the request line is longer than " + ControlServer.MAX_REQUEST_LINE + " bytes";
                } else if (cause instanceof TooLongHttpHeaderException) {
                    status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
                    why = "the request's headers are longer than " + ControlServer.MAX_HEADER_BYTES + " bytes";
                } else if (cause instanceof TooLongFrameException) {
                    status = HttpResponseStatus.BAD_REQUEST;
                    why = "a part of the request is too long";
                } else {
                    status = HttpResponseStatus.BAD_REQUEST;
                    why = "not an HTTP request the box can read";
                }
                plainAndClose(ctx, status, why);
                return;
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            // "100 Continue" is not the answer: the request's body is still to come.
            boolean ends = msg instanceof LastHttpContent
                    && !(msg instanceof HttpResponse r && r.status().equals(HttpResponseStatus.CONTINUE));
            super.write(ctx, msg, promise);
            if (ends) {
                waiting();
            }
        }
    }
}
