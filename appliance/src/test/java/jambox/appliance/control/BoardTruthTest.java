package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.BoardSync;
import jambox.appliance.board.Boards;
import jambox.appliance.board.PedalSpec;
import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;

/**
 * Random runs of the board commands (set, bypass, insert, remove, move, preset.load; some of them
 * malformed or impossible) through the real command service, on a box playing simulated audio so
 * every fade really runs. After each command, what each input's running board plays (read back
 * from its pedals: types, order, values, bypass) is what the page was last sent, and what
 * {@code preset.save} then writes to disk; a refused command changes none of it and tells no page.
 */
class BoardTruthTest {
    private static final int STEPS = 300;
    private static final String SAVE = "{\"v\":1,\"cmd\":\"preset.save\",\"name\":\"Probe\"}";

    @TempDir
    Path data;

    /** A command as the page sends it, and whether the service must carry it out or refuse it. */
    private record Command(String json, boolean valid) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {17, 1717, 20261206})
    void theRunningBoardIsWhatThePageShowsAndThePresetSaves(long seed) throws Exception {
        try (Appliance box = CommandFixture.box();
             ControlPlane plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, null)) {
            ControlService control = plane.service();
            AtomicReference<ObjectNode> shown = new AtomicReference<>(control.state());
            AtomicInteger pushes = new AtomicInteger();
            control.onChange(state -> {
                shown.set(state);
                pushes.incrementAndGet();
            });
            List<String> presets = new ArrayList<>();
            CommandFixture.command(plane, "{\"v\":1,\"cmd\":\"preset.list\"}").get("presets").forEach(n -> presets.add(n.asText()));
            CommandFixture.command(plane, SAVE);
            presets.add("Probe"); // saved again after every step
            Random r = new Random(seed);
            int refused = 0;
            int full = 0;
            for (int step = 0; step < STEPS; step++) {
                BoardSpec spec = box.engine().board();
                full += spec.channels().stream().anyMatch(chain -> chain.size() == Board.MAX_PEDALS) ? 1 : 0;
                Command c = random(r, spec, presets, step % 100 >= 60);
                String where = "seed " + seed + ", step " + step + ", " + c.json();
                List<List<PedalSpec>> before = running(box, where);
                List<List<Pedal>> pedalsBefore = pedals(box);
                int pushed = pushes.get();
                try {
                    CommandFixture.command(plane, c.json());
                    if (!c.valid()) {
                        fail(where + ": carried out, but should have been refused");
                    }
                    assertEquals(pushed + 1, pushes.get(), where + ": the page was told");
                    keptAsTheCommandSays(c, pedalsBefore, pedals(box), where);
                } catch (BadCommandException e) {
                    if (c.valid()) {
                        fail(where + ": refused: " + e.getMessage());
                    }
                    refused++;
                    assertSame(spec, box.engine().board(), where + ": a refused command leaves the spec");
                    assertEquals(before, running(box, where), where + ": and the running boards");
                    assertEquals(pushed, pushes.get(), where + ": and tells no page");
                }
                List<List<PedalSpec>> playing = running(box, where);
                assertEquals(playing, perInput(spec(shown.get().get("board"))), where + ": the page shows what plays");

                CommandFixture.command(plane, SAVE);
                BoardSpec saved = BoardFile.read(data.resolve("presets/probe.json"));
                assertEquals("Probe", saved.name(), where);
                assertEquals(playing, perInput(saved), where + ": the preset saved is what plays");
                assertEquals(box.engine().board().channels(), saved.channels(), where + ": and is the spec as it stands");
                assertEquals(playing, running(box, where), where + ": saving changed nothing that plays");
            }
            assertTrue(full > 0, "seed " + seed + ": some chain reached its " + Board.MAX_PEDALS + " pedals");
            assertTrue(refused > STEPS / 10 && refused < STEPS / 2, "seed " + seed + ": a fair share refused: " + refused);
        }
    }

    /**
     * The running pedals a command did not name are the same ones as before (they glide on and
     * keep their tails): one edit keeps all but a removed pedal; a preset loaded makes every pedal anew.
     */
    private static void keptAsTheCommandSays(Command c, List<List<Pedal>> before, List<List<Pedal>> after, String where) {
        boolean load = c.json().contains("\"preset.load\"");
        for (int input = 0; input < 2; input++) {
            List<Pedal> was = before.get(input);
            long kept = after.get(input).stream().filter(p -> was.stream().anyMatch(w -> w == p)).count();
            assertEquals(load ? 0 : Math.min(was.size(), after.get(input).size()), kept,
                    where + ": pedals kept on input " + input);
        }
    }

    private static List<List<Pedal>> pedals(Appliance box) {
        return List.of(box.engine().runningBoard(0).pedals(), box.engine().runningBoard(1).pedals());
    }

    /** What each input's running board holds, read back from its pedals. */
    private static List<List<PedalSpec>> running(Appliance box, String where) {
        List<List<PedalSpec>> chains = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Board b = box.engine().runningBoard(c);
            if (b == null) {
                fail(where + ": the audio is not running");
            }
            chains.add(BoardSync.read(b));
        }
        return chains;
    }

    /** What each input plays by this spec, as a running board holds it. */
    private static List<List<PedalSpec>> perInput(BoardSpec spec) {
        return List.of(BoardSync.held(spec.channel(0)), BoardSync.held(spec.channel(1)));
    }

    /** The board as the page got it ({@code state.board}). */
    private static BoardSpec spec(JsonNode board) {
        List<List<PedalSpec>> chains = new ArrayList<>();
        for (JsonNode chain : board.get("channels")) {
            List<PedalSpec> pedals = new ArrayList<>();
            for (JsonNode p : chain.get("pedals")) {
                Map<String, Double> params = new HashMap<>();
                p.get("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().doubleValue()));
                pedals.add(new PedalSpec(p.get("type").asText(), p.get("bypass").booleanValue(), params));
            }
            chains.add(pedals);
        }
        return new BoardSpec(board.get("name").asText(), chains);
    }

    /**
     * A command for this board: set, bypass, insert, remove and move on either chain, or a preset
     * loaded (while {@code building}, inserts instead of removals and loads, so that chains reach their
     * limit); about a third are made wrong (a chain, place, parameter, value, type or name that
     * is not there, or a field the command does not take) and must be refused.
     */
    private static Command random(Random r, BoardSpec board, List<String> presets, boolean building) {
        int chains = board.channels().size();
        int channel = r.nextInt(chains);
        List<PedalSpec> chain = board.channels().get(channel);
        int n = chain.size();
        boolean wrong = r.nextInt(5) == 0;
        String cmd;
        String fields;
        boolean valid = true;
        int kind = r.nextInt(11);
        if (building && (kind == 7 || kind == 10)) {
            kind = 5; // an insert instead of a removal or a load: the chain fills up to its limit
        }
        switch (kind) {
            case 0, 1, 2 -> {
                cmd = "set";
                if (n == 0) {
                    fields = "\"channel\":" + channel + ",\"index\":0,\"param\":\"level\",\"value\":0";
                    valid = false;
                    break;
                }
                int index = r.nextInt(n);
                List<ParamSpec> params = Catalog.byId(chain.get(index).type()).params();
                ParamSpec s = params.get(r.nextInt(params.size()));
                String value;
                if (s.isChoice()) {
                    int i = (int) Boards.randomValue(r, s);
                    value = r.nextBoolean() ? "\"" + s.choices().get(i) + "\"" : Integer.toString(i);
                } else {
                    value = Double.toString(Boards.randomValue(r, s));
                }
                String param = s.id();
                valid = !wrong;
                if (wrong) {
                    switch (r.nextInt(4)) {
                        case 0 -> param = "loudness";
                        case 1 -> value = s.isChoice() ? "\"" + "13x12" + "\"" : Double.toString(s.max() + 1 + r.nextInt(100));
                        case 2 -> value = s.isChoice() ? Integer.toString(s.choices().size()) : "\"loud\"";
                        default -> index = n;
                    }
                }
                fields = "\"channel\":" + channel + ",\"index\":" + index + ",\"param\":\"" + param + "\",\"value\":" + value;
            }
            case 3, 4 -> {
                cmd = "bypass";
                int index = n == 0 || wrong ? n : r.nextInt(n);
                valid = index < n;
                fields = "\"channel\":" + channel + ",\"index\":" + index + ",\"on\":" + r.nextBoolean();
            }
            case 5, 6 -> {
                cmd = "insert";
                int index = wrong ? n + 1 : r.nextInt(n + 1);
                String type = n > 0 && r.nextBoolean() ? chain.get(r.nextInt(n)).type()
                        : Catalog.ALL.get(r.nextInt(Catalog.ALL.size())).id();
                if (wrong && r.nextBoolean()) {
                    index = r.nextInt(n + 1);
                    type = "fuzzface";
                }
                valid = !wrong && n < Board.MAX_PEDALS;
                fields = "\"channel\":" + channel + ",\"index\":" + index + ",\"type\":\"" + type + "\"";
            }
            case 7 -> {
                cmd = "remove";
                int index = n == 0 || wrong ? n : r.nextInt(n);
                valid = index < n;
                fields = "\"channel\":" + channel + ",\"index\":" + index;
            }
            case 8, 9 -> {
                cmd = "move";
                int from = n == 0 ? 0 : r.nextInt(n);
                int to = n == 0 || wrong ? n : r.nextInt(n);
                valid = to < n;
                fields = "\"channel\":" + channel + ",\"from\":" + from + ",\"to\":" + to;
            }
            default -> {
                cmd = "preset.load";
                String name = wrong ? "No such preset" : presets.get(r.nextInt(presets.size()));
                valid = !wrong;
                fields = "\"name\":\"" + name + "\"";
            }
        }
        if (valid && r.nextInt(15) == 0) {
            fields += ",\"volume\":11"; // a field the command does not take
            valid = false;
        }
        if (!cmd.startsWith("preset") && r.nextInt(12) == 0) {
            // A chain that is not there: the second one of a one-chain board, or a third.
            fields = fields.replaceFirst("\"channel\":\\d", "\"channel\":" + (chains == 1 ? 1 : 2));
            valid = false;
        }
        return new Command("{\"v\":1,\"cmd\":\"" + cmd + "\"," + fields + "}", valid);
    }
}
