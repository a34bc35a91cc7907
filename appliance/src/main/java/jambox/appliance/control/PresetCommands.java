package jambox.appliance.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.board.BoardSpec;
import jambox.appliance.engine.Engine;
import jambox.appliance.preset.PresetException;
import jambox.appliance.preset.PresetList;
import jambox.appliance.preset.PresetStore;

/**
 * The preset commands over the {@link PresetStore}; remembers which preset the board came from and
 * whether it has been changed since, so the page can say "Crunch (edited)".
 */
final class PresetCommands {
    private static final int MAX_NAME = 64;

    private final PresetStore store;
    private final Engine engine;
    private String current;
    private boolean edited;

    PresetCommands(PresetStore store, Engine engine) {
        this.store = store;
        this.engine = engine;
    }

    /** The board changed by a command other than a preset's. */
    void boardEdited() {
        edited = true;
    }

    /** The preset the board came from, or null. */
    String current() {
        return current;
    }

    void describe(ObjectNode state) {
        if (current == null) {
            state.putNull("preset");
        } else {
            state.put("preset", current);
        }
        state.put("presetEdited", edited);
    }

    void list(Args a, ObjectNode reply) throws BadCommandException {
        a.only();
        PresetList list = store.list();
        ArrayNode names = reply.putArray("presets");
        list.names().forEach(names::add);
        ArrayNode problems = reply.putArray("problems");
        for (PresetList.Problem p : list.problems()) {
            problems.addObject().put("file", p.file().toString()).put("reason", p.reason());
        }
    }

    void load(Args a) throws BadCommandException {
        a.only("name");
        String name = a.text("name", MAX_NAME);
        BoardSpec board = call(() -> store.load(name));
        engine.loadBoard(board);
        current = board.name();
        edited = false;
    }

    void save(Args a) throws BadCommandException {
        a.only("name");
        String raw = a.text("name", MAX_NAME);
        String name = raw.strip(); // what the store keeps; it refuses control characters, trim() would drop them
        BoardSpec named = new BoardSpec(name, engine.board().channels());
        call(() -> {
            store.save(raw, named);
            return null;
        });
        engine.changeBoard(named); // the same pedals, only the name is new
        current = name;
        edited = false;
    }

    void rename(Args a) throws BadCommandException {
        a.only("from", "to");
        String from = a.text("from", MAX_NAME);
        String to = a.text("to", MAX_NAME);
        call(() -> {
            store.rename(from, to);
            return null;
        });
        if (from.equalsIgnoreCase(current)) {
            current = to.strip();
            engine.changeBoard(new BoardSpec(current, engine.board().channels()));
        }
    }

    void delete(Args a) throws BadCommandException {
        a.only("name");
        String name = a.text("name", MAX_NAME);
        call(() -> {
            store.delete(name);
            return null;
        });
        if (name.equalsIgnoreCase(current)) {
            current = null; // the board plays on; it is just no longer a saved preset
        }
    }

    /** Factory presets back as they came; the player's own untouched. Replies {@code "restored"}: the names written. */
    void restoreFactory(Args a, ObjectNode reply) throws BadCommandException {
        a.only();
        ArrayNode restored = reply.putArray("restored");
        call(store::restoreFactory).forEach(restored::add);
    }

    void importPreset(Args a, ObjectNode reply) throws BadCommandException {
        a.only("preset", "name");
        JsonNode preset = a.raw("preset");
        if (!preset.isObject()) {
            throw new BadCommandException("preset.import: 'preset' is a preset file's JSON object");
        }
        String name = a.has("name") ? a.text("name", MAX_NAME) : null;
        String saved = call(() -> store.importJson(preset.toString().getBytes(StandardCharsets.UTF_8), name));
        reply.put("name", saved);
    }

    void export(Args a, ObjectNode reply) throws BadCommandException {
        a.only("name");
        String name = a.text("name", MAX_NAME);
        byte[] json = call(() -> store.exportJson(name));
        try {
            reply.set("preset", ControlService.JSON.readTree(json));
        } catch (IOException e) {
            throw new BadCommandException("the preset file of '" + name + "' is not valid JSON: "
                    + jambox.appliance.store.JsonRules.oneLine(e));
        }
    }

    private interface StoreCall<T> {
        T call() throws PresetException;
    }

    private static <T> T call(StoreCall<T> c) throws BadCommandException {
        try {
            return c.call();
        } catch (PresetException e) {
            throw new BadCommandException(e.getMessage());
        }
    }
}
