package jambox.appliance.control;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses a request for a name the box does not answer to ({@link HostNames}): a page on another
 * site whose name has been pointed at the box (DNS rebinding) gets neither the page nor the
 * WebSocket. Then refuses a WebSocket opened by a page from another site: any web page the player
 * visits could otherwise script a connection to the box on the local network and turn its knobs.
 * Browsers always send {@code Origin}; it must name the host the request was sent to. Clients that
 * are not browsers send none and are let through (they could forge it anyway; the PIN is for them).
 * A POST (an impulse-response upload) from another site's page is refused the same way.
 */
final class OriginCheck extends ChannelInboundHandlerAdapter {
    private final String path;
    private final HostNames names;

    OriginCheck(String path, HostNames names) {
        this.path = path;
        this.names = names;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) {
            var hosts = req.headers().getAll(HttpHeaderNames.HOST);
            String host = hosts.size() == 1 ? HostNames.hostOf(hosts.get(0)) : null;
            if (host == null) {
                refuse(ctx, msg, HttpResponseStatus.BAD_REQUEST, hosts.isEmpty() ? "a request needs a Host header"
                        : "the Host header is not one host name or address");
                return;
            }
            InetAddress local = ctx.channel().localAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
            if (!names.answersTo(host, local)) {
                refuse(ctx, msg, HttpResponseStatus.FORBIDDEN, "this box does not answer to the name '" + abbreviate(host)
                        + "'; if that name is the box's, add it to control.hosts in its config");
                return;
            }
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            boolean socket = pathOf(req.uri()).equals(path);
            // A page on another site may post to the box without asking (a form, a "simple" fetch).
            if ((socket || req.method().equals(HttpMethod.POST)) && origin != null && !sameHost(origin, hosts.get(0).strip())) {
                refuse(ctx, msg, HttpResponseStatus.FORBIDDEN, (socket ? "WebSocket" : "POST") + " from another origin ("
                        + abbreviate(origin) + ") refused");
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String why) {
        ReferenceCountUtil.release(msg);
        ConnectionGuard.plainAndClose(ctx, status, why);
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
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
