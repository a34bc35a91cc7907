package jambox.room;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The status page on its own TCP port (localhost by default): {@code /status} as JSON and
 * {@code /metrics} in the Prometheus text format, both from one snapshot of the server.
 */
final class StatusHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final EventLoopGroup group;
    private final Channel channel;

    private StatusHttp(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    static StatusHttp start(InetSocketAddress at, Supplier<CompletableFuture<ServerStatus>> snapshot) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new Page(snapshot));
                    }
                });
        try {
            return new StatusHttp(group, b.bind(at).sync().channel());
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("cannot serve status on TCP " + at + ": " + e.getMessage(), e);
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static final class Page extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Supplier<CompletableFuture<ServerStatus>> snapshot;

        Page(Supplier<CompletableFuture<ServerStatus>> snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = req.uri().replaceFirst("\\?.*", "");
            if (!req.method().equals(HttpMethod.GET)) {
                reply(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET\n");
                return;
            }
            if (!path.equals("/status") && !path.equals("/metrics")) {
                reply(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain", "try /status or /metrics\n");
                return;
            }
            snapshot.get().whenComplete((s, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    reply(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", failure + "\n");
                } else if (path.equals("/status")) {
                    reply(ctx, keepAlive, HttpResponseStatus.OK, "application/json", json(s));
                } else {
                    reply(ctx, keepAlive, HttpResponseStatus.OK, "text/plain; version=0.0.4", Metrics.text(s));
                }
            }));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static String json(ServerStatus s) {
            try {
                return JSON.writeValueAsString(s) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void reply(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                  String type, String body) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type + (type.contains("charset") ? "" : "; charset=utf-8"));
            HttpUtil.setContentLength(r, r.content().readableBytes());
            HttpUtil.setKeepAlive(r, keepAlive);
            var f = ctx.writeAndFlush(r);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
