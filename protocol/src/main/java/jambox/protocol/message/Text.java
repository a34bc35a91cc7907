package jambox.protocol.message;

import java.nio.charset.StandardCharsets;

/** Strings on the wire: UTF-8, length-limited. */
public final class Text {
    private Text() {
    }

    /** The longest prefix of s, on a character boundary, that fits in maxBytes of UTF-8. */
    public static String fit(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int n = s.length();
        while (n > 0 && s.substring(0, n).getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            n = Character.isLowSurrogate(s.charAt(n - 1)) && n > 1 ? n - 2 : n - 1;
        }
        return s.substring(0, n);
    }
}
