package jambox.appliance.control;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;

/**
 * The page's files, straight from the jar (no build step): {@code /} is {@code index.html}; only
 * plain names of letters, digits, dots, dashes and slashes are looked up, so no request reaches
 * outside the web folder.
 */
final class StaticFiles extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "json", "application/json", "ico", "image/x-icon", "webmanifest", "application/manifest+json");

    private final String root;

    StaticFiles(String root) {
        this.root = root;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            send(ctx, req, text(req, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD here"));
            return;
        }
        String path;
        try {
            path = new QueryStringDecoder(req.uri()).path();
        } catch (IllegalArgumentException e) { // "/%": an escape cut short, or not UTF-8
            send(ctx, req, text(req, HttpResponseStatus.BAD_REQUEST, "the path is not valid URL encoding"));
            return;
        }
        if (path.equals("/")) {
            path = "/index.html";
        }
        if (!path.matches("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+") || path.contains("..")) {
            send(ctx, req, text(req, HttpResponseStatus.NOT_FOUND, "no such page: " + path));
            return;
        }
        String ext = path.substring(path.lastIndexOf('.') + 1);
        byte[] body;
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + path.substring(1))) {
            if (in == null || !TYPES.containsKey(ext)) {
                send(ctx, req, text(req, HttpResponseStatus.NOT_FOUND, "no such page: " + path));
                return;
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            send(ctx, req, text(req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot read " + path));
            return;
        }
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
                req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(ext))
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set("X-Content-Type-Options", "nosniff")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        send(ctx, req, res);
    }

    private static FullHttpResponse text(FullHttpRequest req, HttpResponseStatus status, String message) {
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), status,
                Unpooled.copiedBuffer(message + "\n", CharsetUtil.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        return res;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && res.status().equals(HttpResponseStatus.OK);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
