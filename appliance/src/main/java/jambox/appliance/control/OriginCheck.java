package jambox.appliance.control;

import java.net.URI;
import java.net.URISyntaxException;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses a WebSocket opened by a page from another site: any web page the player visits could
 * otherwise script a connection to the box on the local network and turn its knobs. Browsers
 * always send {@code Origin}; it must name the host the request was sent to. Clients that are
 * not browsers send none and are let through (they could forge it anyway; the PIN is for them).
 */
final class OriginCheck extends ChannelInboundHandlerAdapter {
    private final String path;

    OriginCheck(String path) {
        this.path = path;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req && pathOf(req.uri()).equals(path)) {
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            String host = req.headers().get(HttpHeaderNames.HOST);
            if (origin != null && !sameHost(origin, host)) {
                ReferenceCountUtil.release(msg);
                var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.FORBIDDEN,
                        Unpooled.copiedBuffer("WebSocket from another origin (" + origin + ") refused\n", CharsetUtil.UTF_8));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    private static boolean sameHost(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI o = new URI(origin);
            if (o.getHost() == null || !("http".equals(o.getScheme()) || "https".equals(o.getScheme()))) {
                return false;
            }
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return authority.equalsIgnoreCase(host)
                    || (o.getPort() < 0 && host.equalsIgnoreCase(o.getHost() + (o.getScheme().equals("https") ? ":443" : ":80")));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
