package jambox.midi;

import jambox.surface.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the MIDI surface said, in order, as words: the real outcome at this layer. */
final class Recording implements MidiListener {

    final List<String> calls = new ArrayList<>();

    @Override
    public void absolute(Target target, double position) {
        calls.add(String.format(Locale.ROOT, "absolute %s %.4f", target, position));
    }

    @Override
    public void relative(Target target, int steps) {
        calls.add("relative " + target + " " + steps);
    }

    @Override
    public void pressed(Target target) {
        calls.add("pressed " + target);
    }

    @Override
    public void loadPreset(int index) {
        calls.add("loadPreset " + index);
    }

    /** The calls since the last take, and forgets them. */
    List<String> take() {
        List<String> taken = List.copyOf(calls);
        calls.clear();
        return taken;
    }
}
