package jambox.appliance.control;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code GET /recordings/TAKE/FILE.wav?key=...}: a recorded file, straight from disk (a take runs
 * to gigabytes: it is sent as a file region, never read into memory). Every other path goes on
 * to the page's files. What may be served is {@link Recordings#file}'s decision alone; anything
 * else under {@code /recordings/} is 404, and a path that is not valid URL encoding 400.
 */
final class RecordingFiles extends ChannelInboundHandlerAdapter {
    private final Recordings recordings;

    RecordingFiles(Recordings recordings) {
        this.recordings = recordings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req) || !req.uri().startsWith(Recordings.PREFIX)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            serve(ctx, req);
        } finally {
            ReferenceCountUtil.release(req);
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            plain(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD here");
            return;
        }
        QueryStringDecoder uri;
        String path;
        try {
            uri = new QueryStringDecoder(req.uri());
            path = uri.path();
        } catch (IllegalArgumentException e) { // "%" cut short, or not UTF-8
            plain(ctx, req, HttpResponseStatus.BAD_REQUEST, "the path is not valid URL encoding");
            return;
        }
        String[] parts = path.split("/", -1); // "", "recordings", take, file
        List<String> keys = uri.parameters().get("key");
        Path file = parts.length == 4 && (Recordings.PREFIX).equals("/" + parts[1] + "/")
                ? recordings.file(keys == null || keys.size() != 1 ? null : keys.get(0), parts[2], parts[3]) : null;
        if (file == null) {
            plain(ctx, req, HttpResponseStatus.NOT_FOUND, "no such recording");
            return;
        }
        FileChannel channel;
        long length;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            length = channel.size(); // a take being recorded grows: send what there is now
        } catch (IOException e) {
            plain(ctx, req, HttpResponseStatus.NOT_FOUND, "no such recording");
            return;
        }
        HttpResponse res = new DefaultHttpResponse(req.protocolVersion(), HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "audio/wav")
                .set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + parts[2] + "-" + parts[3] + "\"")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        if (req.method().equals(HttpMethod.HEAD)) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was read from it
            }
            ctx.write(res);
            end(ctx, keepAlive);
            return;
        }
        ctx.write(res);
        DefaultFileRegion region = new DefaultFileRegion(channel, 0, length); // closes the file once sent
        ChannelFuture sent = ctx.writeAndFlush(region);
        ConnectionGuard guard = ctx.pipeline().get(ConnectionGuard.class);
        if (guard != null) {
            guard.sending(region, sent);
        }
        // The answer's end only once the file is out: it is what starts the wait for the next request.
        sent.addListener(f -> {
            if (f.isSuccess()) {
                end(ctx, keepAlive);
            } else {
                ctx.close();
            }
        });
    }

    private static void end(ChannelHandlerContext ctx, boolean keepAlive) {
        var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void plain(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message) {
        var res = new DefaultFullHttpResponse(req.protocolVersion(), status,
                Unpooled.copiedBuffer(message + "\n", CharsetUtil.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        HttpUtil.setKeepAlive(res, false);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
