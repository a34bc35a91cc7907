package jambox.appliance.preset;

import java.nio.file.Path;
import java.util.List;

/**
 * What the preset folder holds: the presets that load, sorted for a menu, and a problem for each
 * file that does not, so one broken file never hides the others.
 */
public record PresetList(List<String> names, List<Problem> problems) {
    public PresetList {
        names = List.copyOf(names);
        problems = List.copyOf(problems);
    }

    /** A file in the preset folder that is not a usable preset, and why. */
    public record Problem(Path file, String reason) {
        @Override
        public String toString() {
            return file + ": " + reason;
        }
    }
}
