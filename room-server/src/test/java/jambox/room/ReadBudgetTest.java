package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How many datagrams a wake of the server's loop reads: one while they come singly, a batch under load. */
class ReadBudgetTest {
    @Test
    void startsWithABatchAndDropsToOneWhenAWakeFindsOnlyOne() {
        RoomServer.ReadBudget b = new RoomServer.ReadBudget();
        int batch = b.maxMessagesPerRead();
        assertTrue(batch > 1, "a batch to begin with: " + batch);
        b.after(3);
        assertEquals(batch, b.maxMessagesPerRead(), "three waiting: load, keep the batch");
        b.after(1);
        assertEquals(1, b.maxMessagesPerRead(), "one, then the socket was empty: read one a wake");
    }

    @Test
    void everyProbethWakeTriesABatchAgainAndKeepsItWhenMoreWereWaiting() {
        RoomServer.ReadBudget b = new RoomServer.ReadBudget();
        int batch = b.maxMessagesPerRead();
        b.after(1);
        for (int i = 1; i < RoomServer.ReadBudget.PROBE; i++) {
            b.after(1);
            assertEquals(1, b.maxMessagesPerRead(), "wake " + i + " after the drop");
        }
        b.after(1);
        assertEquals(batch, b.maxMessagesPerRead(), "the probe");
        b.after(1);
        assertEquals(1, b.maxMessagesPerRead(), "the probe found one: back to one");
        for (int i = 0; i < RoomServer.ReadBudget.PROBE; i++) {
            b.after(1);
        }
        b.after(12);
        assertEquals(batch, b.maxMessagesPerRead(), "the probe found twelve: stay on batches");
        b.after(batch);
        assertEquals(batch, b.maxMessagesPerRead());
    }
}
