package jambox.appliance.board;

/** Finding pedals on a board, for tests that turn them; boards too big to be one, for tests that refuse them. */
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
}
