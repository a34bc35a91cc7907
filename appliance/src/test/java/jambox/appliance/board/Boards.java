package jambox.appliance.board;

import java.util.Random;

import jambox.dsp.ParamSpec;

/**
 * Finding pedals on a board, for tests that turn them; boards too big to be one, for tests that
 * refuse them; values a page might send, for tests that send them.
 */
public final class Boards {
    private Boards() {
    }

    /** Where the first pedal of {@code type} sits on input 1's chain. */
    public static int indexOf(BoardSpec board, String type) {
        var chain = board.channel(0);
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i).type().equals(type)) {
                return i;
            }
        }
        throw new AssertionError(type + " not on the board " + board.name());
    }

    /** A board file's JSON with {@code pedals} delays on its one chain, named {@code name}. */
    public static String ofDelays(String name, int pedals) {
        StringBuilder json = new StringBuilder("{\"version\": 1, \"name\": \"" + name + "\", \"channels\": [{\"pedals\": [");
        for (int i = 0; i < pedals; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"type\": \"delay\"}");
        }
        return json.append("]}]}").toString();
    }

    /** A value in range: often an end or the default, else anywhere between (with the digits a page sends). */
    public static double randomValue(Random r, ParamSpec s) {
        if (s.isChoice()) {
            return r.nextInt(s.choices().size());
        }
        return switch (r.nextInt(5)) {
            case 0 -> s.min();
            case 1 -> s.max();
            case 2 -> s.defaultValue();
            default -> Math.min(s.max(), Math.max(s.min(), s.min() + r.nextDouble() * (s.max() - s.min())));
        };
    }
}
