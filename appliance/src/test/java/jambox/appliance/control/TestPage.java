package jambox.appliance.control;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A control page as a test sees it: a real WebSocket client (the JDK's) keeping every message it gets. */
public final class TestPage implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_SECONDS = 20;

    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger(100);
    volatile Integer closeCode;

    public TestPage(int port) throws Exception {
        this(port, null);
    }

    public TestPage(int port, String origin) throws Exception {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            b.header("Origin", origin);
        }
        socket = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        received.add(JSON.readTree(partial.toString()));
                    } catch (Exception e) {
                        received.add(JSON.createObjectNode().put("type", "unparsable").put("text", partial.toString()));
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closeCode = code;
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Sends a command (an id is added) and returns its reply or error. */
    public JsonNode command(String json) throws Exception {
        ObjectNode cmd = (ObjectNode) JSON.readTree(json);
        int id = ids.incrementAndGet();
        cmd.put("id", id);
        sendText(cmd.toString());
        return await(m -> m.path("id").asInt(-1) == id && (m.path("type").asText().equals("reply")
                || m.path("type").asText().equals("error")));
    }

    void sendText(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    /** The next message (skipping others) that matches. */
    JsonNode await(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            JsonNode m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && wanted.test(m)) {
                return m;
            }
        }
        throw new AssertionError("no such message within " + WAIT_SECONDS + " s");
    }

    public JsonNode awaitType(String type) throws InterruptedException {
        return await(m -> m.path("type").asText().equals(type));
    }

    /** The next state push that satisfies {@code wanted} (its "state" object). */
    public JsonNode awaitState(Predicate<JsonNode> wanted) throws InterruptedException {
        return await(m -> m.path("type").asText().equals("state") && wanted.test(m.get("state"))).get("state");
    }

    @Override
    public void close() {
        socket.abort();
    }
}
