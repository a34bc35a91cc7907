package jambox.appliance.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;

import jambox.common.TokenBucket;

/**
 * One page's WebSocket: greets it, lets it in (at once, or after the PIN), limits how fast it may
 * send, parses each message and hands the command to the control thread; the answer goes back
 * to this page only, the state change to every page.
 */
final class PageSession extends SimpleChannelInboundHandler<WebSocketFrame> {
    /** The one command a page session answers itself, before (and instead of) the service: the PIN. */
    static final String LOGIN = "login";
    /** Commands a page may send per second, bursts included; a knob dragged sends about 30. */
    static final int RATE = 200;
    /** What {@code id} may be: a whole number the page's JavaScript holds exactly. */
    static final long MAX_ID = (1L << 53) - 1;
    private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf("jambox.admitted");
    private static final AttributeKey<Boolean> SOCKET = AttributeKey.valueOf("jambox.socket");
    private static final AttributeKey<Long> UNWRITABLE_SINCE = AttributeKey.valueOf("jambox.unwritableSince");

    private final ControlServer server;
    private final TokenBucket commands = new TokenBucket(RATE, RATE, System.nanoTime(), TimeUnit.NANOSECONDS);

    PageSession(ControlServer server) {
        this.server = server;
    }

    static boolean admitted(Channel page) {
        return Boolean.TRUE.equals(page.attr(ADMITTED).get());
    }

    /** When this page's socket stopped taking more (System.nanoTime), or 0 while it takes everything. */
    static long unwritableSince(Channel page) {
        Long since = page.attr(UNWRITABLE_SINCE).get();
        return since == null ? 0 : since;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().attr(UNWRITABLE_SINCE).set(ctx.channel().isWritable() ? null : System.nanoTime());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            ctx.channel().attr(SOCKET).set(true);
            ConnectionGuard guard = ctx.pipeline().get(ConnectionGuard.class);
            if (guard != null) {
                guard.webSocket(ctx);
            }
            boolean pin = server.settings().pin() != null;
            send(ctx.channel(), message("hello").put("pinRequired", pin));
            if (!pin) {
                admit(ctx.channel());
            }
            server.pages.add(ctx.channel());
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * A message over the size limit (or a broken frame) ends this page's connection, no one else's.
     * Before the handshake the connection is still HTTP: it gets an HTTP answer.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!Boolean.TRUE.equals(ctx.channel().attr(SOCKET).get())) {
            if (cause instanceof IOException || !ctx.channel().isActive()) {
                ctx.close();
                return;
            }
            ConnectionGuard.plainAndClose(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "the box could not answer that request");
            return;
        }
        int code = cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
                && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code() ? 1009 : 1002;
        ctx.writeAndFlush(new CloseWebSocketFrame(code, code == 1009 ? "message too big" : "protocol error"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The page closes: the box answers with the same code and lets go. A code no endpoint may send
     * (RFC 6455, 7.4: under 1000, 1004 to 1006, 1015 to 2999, 5000 and above) is a protocol error.
     */
    private static void closing(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        int code = close.statusCode();
        CloseWebSocketFrame answer = code == -1 ? new CloseWebSocketFrame()
                : validCloseCode(code) ? new CloseWebSocketFrame(code, "")
                : new CloseWebSocketFrame(1002, "protocol error: close code " + code);
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private void admit(Channel page) {
        page.attr(ADMITTED).set(true);
        try {
            // Through the control thread, so the state sent is in order with changes being made.
            server.control().execute(() -> send(page, message("state").set("state", server.control().state())));
        } catch (RejectedExecutionException closing) {
            page.close();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        Channel page = ctx.channel();
        if (frame instanceof CloseWebSocketFrame close) {
            closing(ctx, close);
            return;
        }
        if (!(frame instanceof TextWebSocketFrame text)) {
            send(page, error(null, "send JSON text messages, not binary ones"));
            return;
        }
        JsonNode id = null;
        JsonNode cmd;
        try {
            cmd = Messages.parse(text.text());
        } catch (Messages.BadMessageException e) {
            send(page, error(null, e.getMessage()));
            return;
        }
        if (cmd.isObject()) {
            id = cmd.get("id");
            if (id != null && !(id.isIntegralNumber() && id.canConvertToLong() && id.longValue() >= -MAX_ID
                    && id.longValue() <= MAX_ID)) {
                send(page, error(null, "id: expected a whole number -" + MAX_ID + " .. " + MAX_ID + ", found "
                        + (id.toString().length() > 40 ? id.toString().substring(0, 40) + "..." : id)));
                return;
            }
        }
        if (!take()) {
            send(page, error(id, "too many commands: at most " + RATE + " a second"));
            return;
        }
        if (!admitted(page)) {
            login(page, cmd, id);
            return;
        }
        JsonNode replyTo = id;
        long arrived = System.nanoTime(); // a tap counts from its arrival, not from its turn
        try {
            // In the control thread's one queue, in turn with the knobs' and the other pages' commands;
            // there handle() runs at once, and the event loop never waits for it.
            server.control().execute(() -> {
                try {
                    ObjectNode reply = server.control().handle(cmd, arrived);
                    server.flushState();
                    send(page, message("reply").setAll(withId(reply, replyTo)));
                } catch (BadCommandException e) {
                    send(page, error(replyTo, e.getMessage()));
                } catch (RuntimeException e) {
                    send(page, error(replyTo, "the box could not do that: " + e));
                }
            });
        } catch (RejectedExecutionException closing) {
            send(page, error(id, "the box is shutting down"));
        }
    }

    private void login(Channel page, JsonNode cmd, JsonNode id) {
        if (cmd != null && cmd.isObject() && cmd.path("cmd").asText().equals(LOGIN)) {
            PinGuard guard = server.pinGuard();
            long wait = guard.waitSeconds();
            if (wait > 0) {
                send(page, error(id, "too many wrong PINs: try again in " + wait + " s"));
                return;
            }
            JsonNode pin = cmd.path("pin");
            boolean right = pin.isTextual() && java.security.MessageDigest.isEqual( // in constant time: the time taken tells nothing
                    pin.textValue().getBytes(StandardCharsets.UTF_8), server.settings().pin().getBytes(StandardCharsets.UTF_8));
            guard.tried(right);
            if (right) {
                send(page, withId(message("reply"), id));
                admit(page);
            } else {
                send(page, error(id, "wrong PIN"));
            }
            return;
        }
        send(page, error(id, "this box needs its PIN first: send {\"v\": 1, \"cmd\": \"login\", \"pin\": ...}"));
    }

    private boolean take() {
        return commands.take(System.nanoTime());
    }

    private static ObjectNode message(String type) {
        return ControlService.JSON.createObjectNode().put("v", ControlService.VERSION).put("type", type);
    }

    private static ObjectNode withId(ObjectNode o, JsonNode id) {
        if (id != null) {
            o.set("id", id);
        }
        return o;
    }

    private static ObjectNode error(JsonNode id, String why) {
        return withId(message("error"), id).put("error", why);
    }

    private static void send(Channel page, ObjectNode msg) {
        page.writeAndFlush(new TextWebSocketFrame(msg.toString()));
    }
}
