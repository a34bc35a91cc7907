package jambox.appliance.control;

import java.util.List;
import java.util.concurrent.Semaphore;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

import jambox.appliance.ir.IrLibrary;

/**
 * Collects the body of an impulse-response upload ({@code POST /irs/N}), which is far over the
 * page's other requests' {@value ControlServer#MAX_BODY_BYTES} bytes, and hands it on whole, as
 * one {@link FullHttpRequest} that the general aggregator after it lets pass, to {@link IrUpload}.
 * Before it holds a byte of the body it checks what it can from the head: the page's key (no one
 * else gets the box to buffer megabytes), the declared length (over
 * {@link IrLibrary#MAX_FILE_BYTES}: refused at once, the body never read), and that no more than
 * {@link #AT_ONCE} uploads are being received box-wide. A body that grows past the limit while
 * coming in (chunked, or longer than it said) is refused as soon as it does. Every refusal closes
 * the connection: the rest of the body is not worth reading. One per connection, event loop only.
 */
final class IrUploadBody extends ChannelInboundHandlerAdapter {
    /** Uploads being received at once, box-wide: each may hold 2 MiB. */
    static final int AT_ONCE = 2;

    private final Recordings keys;
    private final Semaphore uploads;
    private HttpRequest head;
    private CompositeByteBuf body;
    private boolean refused;

    IrUploadBody(Recordings keys, Semaphore uploads) {
        this.keys = keys;
        this.uploads = uploads;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (head == null && msg instanceof HttpRequest req && !(msg instanceof FullHttpRequest)
                && req.decoderResult().isSuccess() && req.method().equals(HttpMethod.POST)
                && OriginCheck.pathOf(req.uri()).startsWith(IrUpload.PREFIX)) {
            start(ctx, req);
            return;
        }
        if (head != null && msg instanceof HttpContent part) {
            collect(ctx, part);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void start(ChannelHandlerContext ctx, HttpRequest req) {
        List<String> key;
        try {
            key = new QueryStringDecoder(req.uri()).parameters().get("key");
        } catch (IllegalArgumentException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "the path is not valid URL encoding");
            return;
        }
        if (key == null || key.size() != 1 || !keys.keyIs(key.get(0))) {
            refuse(ctx, HttpResponseStatus.FORBIDDEN, "no upload without the page's key: reload the page");
            return;
        }
        long declared;
        try {
            declared = HttpUtil.getContentLength(req, -1L);
        } catch (NumberFormatException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "the Content-Length is not a number");
            return;
        }
        if (declared > IrLibrary.MAX_FILE_BYTES) {
            refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, IrLibrary.tooBig(declared));
            return;
        }
        if (!uploads.tryAcquire()) {
            refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "other uploads are under way: try again in a moment");
            return;
        }
        head = req;
        body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        if (HttpUtil.is100ContinueExpected(req)) {
            req.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    private void collect(ChannelHandlerContext ctx, HttpContent part) {
        try {
            if ((long) body.readableBytes() + part.content().readableBytes() > IrLibrary.MAX_FILE_BYTES) {
                done();
                refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "more than " + (IrLibrary.MAX_FILE_BYTES >> 20)
                        + " MiB: an impulse response file is at most " + (IrLibrary.MAX_FILE_BYTES >> 20) + " MiB");
                return;
            }
            body.addComponent(true, part.content().retain());
            if (part instanceof LastHttpContent last) {
                FullHttpRequest whole = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                        body, head.headers(), last.trailingHeaders());
                whole.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                HttpUtil.setContentLength(whole, body.readableBytes());
                body = null;
                done();
                ctx.fireChannelRead(whole);
            }
        } finally {
            part.release();
        }
    }

    /** Lets go of this upload: its permit, and its body unless it was handed on. */
    private void done() {
        if (head != null) {
            head = null;
            uploads.release();
        }
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        refused = true;
        IrUpload.answer(ctx, status, IrUpload.error(why));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        done();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        done();
    }
}
