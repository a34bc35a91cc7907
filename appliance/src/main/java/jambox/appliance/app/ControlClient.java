package jambox.appliance.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client of the box's control WebSocket ({@code docs/control-api.md}) on the JDK's own
 * {@code java.net.http}: it keeps the latest push of each type and the answer to each command, and
 * every wait ends by a deadline ({@link System#nanoTime()}) however the box behaves. One thread
 * uses it; the JDK's threads only hand it what arrives.
 */
final class ControlClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long CLOSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** The box closed the connection, or it broke, before the answer waited for came. */
    static final class ClosedException extends IOException {
        ClosedException(String message) {
            super(message);
        }
    }

    private sealed interface Event permits Message, Closed {
    }

    private record Message(JsonNode json) implements Event {
    }

    private record Closed(String why) implements Event {
    }

    private final HttpClient http;
    private final WebSocket socket;
    private final BlockingQueue<Event> arrived;
    private final Map<String, JsonNode> pushes = new HashMap<>();
    private final Map<Integer, JsonNode> answers = new HashMap<>();
    private String closed;
    private int lastId;

    private ControlClient(HttpClient http, WebSocket socket, BlockingQueue<Event> arrived) {
        this.http = http;
        this.socket = socket;
        this.arrived = arrived;
    }

    /**
     * Opens the WebSocket at {@code uri} by {@code deadline}.
     *
     * @throws IOException      the connection failed: refused, the handshake answered with HTTP, ...
     * @throws TimeoutException the deadline passed first
     */
    static ControlClient connect(URI uri, long deadline) throws IOException, TimeoutException, InterruptedException {
        BlockingQueue<Event> arrived = new LinkedBlockingQueue<>();
        long left = Math.max(1, deadline - System.nanoTime());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofNanos(left)).build();
        CompletableFuture<WebSocket> opening = http.newWebSocketBuilder().connectTimeout(Duration.ofNanos(left))
                .buildAsync(uri, new Listener(arrived));
        try {
            return new ControlClient(http, opening.get(left, TimeUnit.NANOSECONDS), arrived);
        } catch (ExecutionException e) {
            http.shutdownNow();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            opening.cancel(true);
            http.shutdownNow();
            throw e;
        }
    }

    /** Sends {@code command} with the next id, and returns the id to wait for its answer with. */
    int send(ObjectNode command, long deadline) throws IOException, TimeoutException, InterruptedException {
        int id = ++lastId;
        String text = command.deepCopy().put("v", 1).put("id", id).toString();
        try {
            socket.sendText(text, true).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new ClosedException("the connection broke: " + e.getCause());
        }
        return id;
    }

    /** The answer ({@code reply} or {@code error}) to command {@code id}. */
    JsonNode answer(int id, long deadline) throws IOException, TimeoutException, InterruptedException {
        while (!answers.containsKey(id)) {
            take(deadline);
        }
        return answers.get(id);
    }

    /** The latest push of {@code type} ("hello", "state", "meters", ...), waiting for the first. */
    JsonNode push(String type, long deadline) throws IOException, TimeoutException, InterruptedException {
        while (!pushes.containsKey(type)) {
            take(deadline);
        }
        return pushes.get(type);
    }

    private void take(long deadline) throws IOException, TimeoutException, InterruptedException {
        if (closed != null) {
            throw new ClosedException(closed);
        }
        Event e = arrived.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        switch (e) {
            case null -> throw new TimeoutException();
            case Closed c -> {
                closed = c.why();
                throw new ClosedException(closed);
            }
            case Message m -> {
                JsonNode id = m.json().get("id");
                String type = m.json().path("type").asText();
                if (id != null && id.canConvertToInt() && (type.equals("reply") || type.equals("error"))) {
                    answers.put(id.intValue(), m.json());
                } else {
                    pushes.put(type, m.json());
                }
            }
        }
    }

    /** Says goodbye if the box still listens, briefly, then lets go of the connection and its threads. */
    @Override
    public void close() {
        try {
            if (closed == null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(CLOSE_NANOS, TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            // going anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            socket.abort();
            http.shutdownNow();
        }
    }

    /** On the JDK's threads, one call at a time: whole messages into the queue. */
    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<Event> arrived;
        private final StringBuilder partial = new StringBuilder();

        Listener(BlockingQueue<Event> arrived) {
            this.arrived = arrived;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    arrived.add(new Message(JSON.readTree(partial.toString())));
                } catch (IOException e) {
                    arrived.add(new Closed("the box sent a message that is not JSON"));
                    ws.abort();
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            arrived.add(new Closed("the box closed the connection (" + code + (reason.isEmpty() ? "" : " " + reason) + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            arrived.add(new Closed("the connection broke: " + error));
        }
    }
}
