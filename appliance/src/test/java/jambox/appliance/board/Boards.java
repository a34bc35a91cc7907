package jambox.appliance.board;

/** Finding pedals on a board, for tests that turn them. */
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
}
