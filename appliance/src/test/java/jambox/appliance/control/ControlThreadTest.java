package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.preset.PresetStore;

/**
 * The command service's one control thread: the snapshot surfaces read follows every change the
 * page makes, commands run there in order, and closing lets what was handed in run and refuses
 * what comes after.
 */
class ControlThreadTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ControlService service(Appliance box) throws Exception {
        ControlService control = new ControlService(box, new ControlService.Options(CommandFixture.TEMPLATE,
                dir.resolve("recordings"), PresetStore.open(dir.resolve("presets")), null));
        open.add(control);
        return control;
    }

    @Test
    void theSnapshotHoldsWhatThePageSeesAfterEveryCommandFromThePage() throws Exception {
        Appliance box = CommandFixture.box();
        open.add(box);
        ControlService control = service(box);
        ControlServer server = ControlServer.start(control, new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(server);
        TestPage page = new TestPage(server.address().getPort());
        open.add(page);
        page.awaitType("state");
        JsonNode state = page.command("{\"v\":1,\"cmd\":\"state\"}").get("state");
        int overdrive = pedalIndex(state, "overdrive");
        int delay = pedalIndex(state, "delay");
        assertSame(control.snapshot(), state, "at the start");
        List<String> commands = List.of(
                "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + overdrive + ",\"param\":\"drive\",\"value\":30}",
                "{\"v\":1,\"cmd\":\"bypass\",\"channel\":0,\"index\":" + delay + ",\"on\":true}",
                "{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-12.5}",
                "{\"v\":1,\"cmd\":\"mixer.self\",\"channel\":1,\"gainDb\":-20}",
                "{\"v\":1,\"cmd\":\"tuner\",\"on\":true,\"mute\":true}",
                // a second overdrive in front: controls bound to "overdrive" now mean this one
                "{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":0,\"type\":\"overdrive\"}",
                "{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":0,\"param\":\"tone\",\"value\":75}",
                "{\"v\":1,\"cmd\":\"preset.load\",\"name\":\"Lead\"}",
                "{\"v\":1,\"cmd\":\"tuner\",\"on\":false}",
                "{\"v\":1,\"cmd\":\"move\",\"channel\":0,\"from\":0,\"to\":2}",
                "{\"v\":1,\"cmd\":\"remove\",\"channel\":0,\"index\":0}");
        for (String command : commands) {
            JsonNode reply = page.command(command);
            assertEquals("reply", reply.path("type").asText(), command + " -> " + reply);
            // The reply leaves after the change: the snapshot is already the new one.
            Snapshot now = control.snapshot();
            assertSame(now, page.command("{\"v\":1,\"cmd\":\"state\"}").get("state"), command);
        }
        Snapshot last = control.snapshot();
        assertEquals("Lead", last.preset());
        assertEquals(-12.5, last.masterDb());
        assertEquals(-20, last.selfDb(1));
        assertFalse(last.tunerOn());
        System.out.println("snapshot after " + commands.size() + " page commands: master " + last.masterDb()
                + " dB, preset " + last.preset() + ", first pedals " + last.pedals().keySet());
    }

    /** The snapshot says what the state JSON says, for every value a surface reads. */
    private static void assertSame(Snapshot s, JsonNode state, String after) {
        assertEquals(state.at("/mixer/master").asDouble(), s.masterDb(), 1e-12, after + ": master");
        for (int c = 0; c < 2; c++) {
            assertEquals(state.at("/mixer/self/" + c + "/gainDb").asDouble(), s.selfDb(c), 1e-12, after + ": self " + c);
        }
        JsonNode preset = state.get("preset");
        if (preset.isNull()) {
            assertNull(s.preset(), after);
        } else {
            assertEquals(preset.asText(), s.preset(), after);
        }
        assertEquals(state.at("/tuner/on").asBoolean(), s.tunerOn(), after + ": tuner");
        assertEquals(state.at("/tuner/mute").asBoolean(), s.tunerMute(), after + ": tuner mute");
        JsonNode pedals = state.at("/board/channels/0/pedals");
        Set<String> first = new HashSet<>();
        for (int i = 0; i < pedals.size(); i++) {
            JsonNode p = pedals.get(i);
            String type = p.get("type").asText();
            if (!first.add(type)) {
                continue;
            }
            Snapshot.Pedal sp = s.pedal(type);
            assertEquals(i, sp.index(), after + ": " + type);
            assertEquals(p.get("bypass").asBoolean(), sp.bypass(), after + ": " + type + " bypass");
            assertEquals(p.get("params").size(), sp.params().size(), after + ": " + type + " params");
            p.get("params").fields().forEachRemaining(e ->
                    assertEquals(e.getValue().asDouble(), sp.param(e.getKey()), 1e-12, after + ": " + type + "." + e.getKey()));
        }
        assertEquals(first, s.pedals().keySet(), after + ": the pedal types on input 1");
    }

    private static int pedalIndex(JsonNode state, String type) {
        JsonNode pedals = state.at("/board/channels/0/pedals");
        for (int i = 0; i < pedals.size(); i++) {
            if (pedals.get(i).get("type").asText().equals(type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " on the default board");
    }

    @Test
    void commandsRunOnTheControlThreadInTheOrderHandedIn() throws Exception {
        Appliance box = CommandFixture.box();
        open.add(box);
        ControlService control = service(box);
        List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        control.onChange(s -> threads.add(Thread.currentThread().getName()));
        for (int i = 0; i < 20; i++) {
            replies.add(control.submit(CommandFixture.JSON.readTree("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":" + -i + "}"))
                    .thenApply(r -> r));
        }
        CompletableFuture.allOf(replies.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        assertEquals(-19.0, box.engine().mixer().masterDb(), "the last handed in is the last applied");
        assertEquals(List.of("jambox-control"), threads.stream().distinct().toList());
        assertEquals(20, threads.size());
        // From the control thread itself, handle runs at once rather than waiting for its own turn.
        CompletableFuture<JsonNode> inline = new CompletableFuture<>();
        control.execute(() -> {
            try {
                inline.complete(control.handle(CommandFixture.JSON.readTree("{\"v\":1,\"cmd\":\"system\"}")));
            } catch (BadCommandException e) {
                inline.completeExceptionally(e);
            } catch (Exception e) {
                inline.completeExceptionally(e);
            }
        });
        assertTrue(inline.get(10, TimeUnit.SECONDS).has("system"));
    }

    @Test
    void closingRunsWhatWasHandedInAndRefusesWhatComesAfter() throws Exception {
        Appliance box = CommandFixture.box();
        open.add(box);
        ControlService control = service(box);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        control.execute(() -> {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(held.await(10, TimeUnit.SECONDS));
        CompletableFuture<com.fasterxml.jackson.databind.node.ObjectNode> queued =
                control.submit(CommandFixture.JSON.readTree("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-6}"));
        AtomicReference<Throwable> closeFailed = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                control.close();
            } catch (Throwable t) {
                closeFailed.set(t);
            }
        }, "closer");
        closer.start();
        // Once closing has begun (the closer waits for the queue), a new command is refused at once, in words.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        CompletableFuture<com.fasterxml.jackson.databind.node.ObjectNode> late =
                control.submit(CommandFixture.JSON.readTree("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-30}"));
        assertTrue(late.isDone(), "refused at once");
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> late.get(1, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof BadCommandException, refused.toString());
        assertEquals("the box is shutting down", refused.getCause().getMessage());
        assertTrue(closer.isAlive(), "close waits for what was handed in");
        release.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertNull(closeFailed.get());
        assertTrue(queued.isDone() && !queued.isCompletedExceptionally(), "the command handed in before close ran");
        assertEquals(-6.0, box.engine().mixer().masterDb());
    }
}
