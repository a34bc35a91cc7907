package jambox.appliance.preset;

import java.text.Normalizer;
import java.util.Locale;

/**
 * What makes a preset name acceptable, when two names are the same preset, and which file name a
 * preset gets. The file name is derived, never taken from the player: whatever they type
 * ("../x", "/", "AC/DC"), it lands in the preset folder as plain letters, digits and dashes.
 */
final class PresetName {
    static final int MAX_LENGTH = 64;
    private static final int MAX_SLUG = 40;

    private PresetName() {
    }

    /**
     * The name as it will be stored: surrounding spaces trimmed, in Unicode's composed form so an
     * "é" typed two ways is one name.
     */
    static String check(String raw) throws PresetException {
        String name = raw == null ? "" : Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        if (name.isEmpty()) {
            throw new PresetException("a preset needs a name");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            throw new PresetException("a preset name can be at most " + MAX_LENGTH + " characters; '"
                    + name.substring(0, name.offsetByCodePoints(0, 20)) + "...' has " + length);
        }
        int at = 0;
        for (int cp : name.codePoints().toArray()) {
            at++;
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                throw new PresetException("a preset name cannot contain line breaks, tabs or other control characters"
                        + String.format(Locale.ROOT, " (U+%04X at character %d)", cp, at));
            }
            if (type == Character.SURROGATE) {
                // A lone half of a character pair: it cannot be written as UTF-8 and would come back as '?'.
                throw new PresetException("a preset name cannot contain a broken character (at character " + at + ")");
            }
        }
        return name;
    }

    /** Names that differ only in case are one preset: "Lead" and "lead" on a phone look like a mistake, not two sounds. */
    static String key(String checkedName) {
        return checkedName.toLowerCase(Locale.ROOT);
    }

    /** The file name's stem: lower-case ASCII letters, digits and single dashes; never empty, never starting with a dot. */
    static String slug(String checkedName) {
        String s = Normalizer.normalize(checkedName, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (s.length() > MAX_SLUG) {
            s = s.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "preset" : s;
    }
}
