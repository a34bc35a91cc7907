package jambox.appliance.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.engine.Engine;
import jambox.dsp.Board;
import jambox.dsp.LoopAction;
import jambox.dsp.Pedal;
import jambox.dsp.pedal.Looper;

/**
 * The box's loopers, as the control side sees them: one action for all of them (both channels'
 * loopers make the box's stereo loop, and take the action in the same period through the engine's
 * clock), and their state for the page.
 */
final class Loopers {
    private Loopers() {
    }

    /** Control thread: hands every looper on the running boards {@code action} for the next period. */
    static void act(Engine engine, String action) throws BadCommandException {
        LoopAction a;
        try {
            a = LoopAction.byId(action);
        } catch (IllegalArgumentException e) {
            throw new BadCommandException("looper.action: " + e.getMessage());
        }
        if (first(engine) == null) {
            throw new BadCommandException("there is no looper on the board: insert one first");
        }
        if (!engine.transport().cue().post(a)) {
            throw new BadCommandException("the audio is not running: the looper cannot take '" + action + "' now");
        }
    }

    /**
     * The first looper on input 1's running board (or input 2's): the one the page shows. The
     * other channel's, taking the same actions in the same periods, is in the same state.
     */
    static Looper first(Engine engine) {
        for (int c = 0; c < 2; c++) {
            Board b = engine.runningBoard(c);
            if (b != null) {
                for (Pedal p : b.pedals()) {
                    if (p instanceof Looper l) {
                        return l;
                    }
                }
            }
        }
        return null;
    }

    /**
     * {@code {"state": "playing", "lengthSeconds": 4.0, "positionSeconds": 1.25, "canUndo": true,
     * "send": "room"}}, or null with no looper on the board. Any thread: it reads what the audio
     * thread published.
     */
    static JsonNode state(Engine engine) {
        Looper l = first(engine);
        if (l == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        double rate = engine.runningBoard(0).sampleRate();
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("state", l.state().id());
        s.put("lengthSeconds", Math.round(l.lengthSamples() / rate * 1000) / 1000.0);
        s.put("positionSeconds", Math.round(l.positionSamples() / rate * 1000) / 1000.0);
        s.put("canUndo", l.canUndo());
        s.put("send", l.isLocal() ? "local" : "room");
        return s;
    }
}
