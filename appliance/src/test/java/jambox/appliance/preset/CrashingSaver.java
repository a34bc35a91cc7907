package jambox.appliance.preset;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;

/**
 * The child process of {@link PresetCrashTest}: saves presets and renames one back and forth as fast
 * as it can, until the test kills it. Prints "saving" after its first round (class loading and JSON
 * set-up done), so the kill lands in the loop rather than in start-up, then a line per round so the
 * test can tell how far it got.
 */
public final class CrashingSaver {
    static final List<String> NAMES = List.of("Alpha", "Beta", "Gamma");
    static final String ROAMING = "Roaming";
    static final String ROAMED = "Roamed";
    /** Two contents per preset; one is the other with every value changed, so a mixed file would not pass as either. */
    static final List<List<List<PedalSpec>>> CONTENTS = List.of(
            List.of(List.of(new PedalSpec("overdrive", false, Map.of("drive", 20.0, "tone", 55.0)),
                    new PedalSpec("reverb", false, Map.of("mix", 20.0)))),
            List.of(List.of(new PedalSpec("overdrive", true, Map.of("drive", 31.5, "tone", 40.25)),
                    new PedalSpec("reverb", true, Map.of("mix", 45.0))),
                    List.of(new PedalSpec("delay", false, Map.of("time", 480.0)))));

    private CrashingSaver() {
    }

    public static void main(String[] args) throws Exception {
        PresetStore store = PresetStore.open(Path.of(args[0]));
        for (long i = 0; ; i++) {
            for (int n = 0; n < NAMES.size(); n++) {
                store.save(NAMES.get(n), new BoardSpec("", CONTENTS.get((int) ((i + n) % 2))));
            }
            List<String> names = store.list().names();
            boolean roaming = names.contains(ROAMING);
            boolean roamed = names.contains(ROAMED);
            if (roaming && roamed) {
                store.delete(ROAMED); // an earlier kill came between writing the new file and deleting the old
            } else {
                store.rename(roaming ? ROAMING : ROAMED, roaming ? ROAMED : ROAMING);
            }
            System.out.println(i == 0 ? "saving" : "round " + i);
            System.out.flush();
        }
    }
}
