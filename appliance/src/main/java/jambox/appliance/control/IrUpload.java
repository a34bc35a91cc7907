package jambox.appliance.control;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;

import jambox.appliance.ir.IrRefused;
import jambox.dsp.ir.IrBank;

/**
 * {@code POST /irs/N?key=...&name=...} with a WAV file as the body: an impulse response for user
 * slot N (1 .. 8), too big for a WebSocket message. The body arrives whole from
 * {@link IrUploadBody}; it is checked and kept on the control thread
 * ({@link ControlService#uploadIr}), and the answer is JSON: {@code 200} with the slot as
 * {@code ir.list} describes it, or {@code 400}/{@code 403}/{@code 405}/{@code 413}/{@code 503}
 * with {@code "error"}, the reason, and then nothing has changed. Every page hears of a new
 * response through the state push.
 */
final class IrUpload extends ChannelInboundHandlerAdapter {
    static final String PREFIX = "/irs/";

    private final ControlService control;
    private final Recordings keys;

    IrUpload(ControlService control, Recordings keys) {
        this.control = control;
        this.keys = keys;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req) || !OriginCheck.pathOf(req.uri()).startsWith(PREFIX)) {
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
        if (!req.method().equals(HttpMethod.POST)) {
            answer(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, error("only POST here: the WAV file as the body"));
            return;
        }
        QueryStringDecoder uri;
        try {
            uri = new QueryStringDecoder(req.uri());
            uri.path();
        } catch (IllegalArgumentException e) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST, error("the path is not valid URL encoding"));
            return;
        }
        List<String> key = uri.parameters().get("key");
        if (key == null || key.size() != 1 || !keys.keyIs(key.get(0))) {
            answer(ctx, HttpResponseStatus.FORBIDDEN, error("no upload without the page's key: reload the page"));
            return;
        }
        String slotText = uri.path().substring(PREFIX.length());
        int slot = slotText.matches("[1-9]") ? Integer.parseInt(slotText) : -1;
        if (slot < 1 || slot > IrBank.USER_SLOTS) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST, error("no IR slot '" + abbreviate(slotText) + "': the slots are 1 .. "
                    + IrBank.USER_SLOTS));
            return;
        }
        List<String> names = uri.parameters().get("name");
        if (names != null && names.size() != 1) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST, error("one name, not " + names.size()));
            return;
        }
        byte[] wav = ByteBufUtil.getBytes(req.content());
        control.uploadIr(slot, names == null ? null : names.get(0), wav).whenComplete((described, failure) -> {
            if (failure == null) {
                answer(ctx, HttpResponseStatus.OK, described);
            } else if (failure instanceof IrRefused refused) {
                answer(ctx, refused.tooBig() ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : HttpResponseStatus.BAD_REQUEST,
                        error(refused.getMessage()));
            } else {
                answer(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, error("the box could not keep it: " + failure));
            }
        });
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "..." : s;
    }

    static ObjectNode error(String why) {
        return ControlService.JSON.createObjectNode().put("error", why);
    }

    /**
     * A JSON answer, and the connection closes (an upload is rare: a new connection for the next
     * costs nothing, and a refused body need not be read to its end). Any thread: Netty queues a
     * write from elsewhere on the event loop.
     */
    static void answer(ChannelHandlerContext ctx, HttpResponseStatus status, ObjectNode body) {
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body.toString() + "\n", CharsetUtil.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
