package jambox.appliance.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.dsp.ir.ImpulseResponse;
import jambox.dsp.ir.IrBank;

class IrLibraryTest {
    @TempDir
    Path dir;

    private Path folder() {
        return dir.resolve("irs");
    }

    @Test
    void aResponsePutIsOnDiskInTheBankAndBackAfterARestart() throws Exception {
        IrBank bank = new IrBank();
        IrLibrary library = IrLibrary.open(folder(), bank);
        float[][] x = TestIrs.samples(2, 12_000, 1);
        byte[] wav = TestIrs.wav24(x, 44_100);
        ImpulseResponse ir = library.put(3, "  Mesa 4x12 V30 ", wav);
        assertEquals("Mesa 4x12 V30", ir.name());
        assertArrayEquals(wav, Files.readAllBytes(folder().resolve("slot-3.wav")));
        assertArrayEquals(x, bank.user(2).channels());
        assertEquals(44_100, bank.user(2).sampleRate());

        IrBank again = new IrBank();
        IrLibrary reopened = IrLibrary.open(folder(), again);
        assertEquals(bank.user(2), again.user(2));
        assertEquals("Mesa 4x12 V30", again.user(2).name());
        assertTrue(reopened.problems().isEmpty());
        assertEquals("{\"slot\":3,\"name\":\"Mesa 4x12 V30\",\"rate\":44100,\"channels\":2,\"seconds\":0.272}",
                reopened.describe(3).toString());
        assertEquals("{\"slot\":4,\"empty\":true}", reopened.describe(4).toString());
    }

    @Test
    void aRefusedFileChangesNothing() throws Exception {
        IrBank bank = new IrBank();
        IrLibrary library = IrLibrary.open(folder(), bank);
        byte[] good = TestIrs.wav24(TestIrs.samples(1, 4000, 2), 48_000);
        library.put(1, "old", good);
        int version = bank.version();
        byte[] truncated = Arrays.copyOf(good, good.length - 100);
        IrRefused bad = assertThrows(IrRefused.class, () -> library.put(1, "new", truncated));
        assertTrue(bad.getMessage().startsWith("truncated data chunk"), bad.getMessage());
        assertFalse(bad.tooBig());
        IrRefused big = assertThrows(IrRefused.class, () -> library.put(1, "new", new byte[IrLibrary.MAX_FILE_BYTES + 1]));
        assertTrue(big.tooBig());
        assertEquals("2.1 MiB: an impulse response file is at most 2 MiB", big.getMessage());
        assertEquals("no IR slot 9: the slots are 1 .. 8",
                assertThrows(IrRefused.class, () -> library.put(9, "new", good)).getMessage());
        assertEquals("no IR slot 0: the slots are 1 .. 8",
                assertThrows(IrRefused.class, () -> library.clear(0)).getMessage());
        assertEquals("a name is 1 to 40 characters, none of them control characters",
                assertThrows(IrRefused.class, () -> library.put(1, "a\nb", good)).getMessage());
        assertThrows(IrRefused.class, () -> library.put(1, " ", good));
        assertThrows(IrRefused.class, () -> library.put(1, "x".repeat(41), good));
        assertArrayEquals(good, Files.readAllBytes(folder().resolve("slot-1.wav")));
        assertEquals("old", bank.user(0).name());
        assertEquals(version, bank.version());
        try (var files = Files.list(folder())) {
            assertEquals(2, files.count(), "the WAV and its name, no temporary file left");
        }
    }

    @Test
    void aBadFileOnDiskIsReportedAndTheRestStillLoad() throws Exception {
        IrLibrary first = IrLibrary.open(folder(), new IrBank());
        first.put(2, "two", TestIrs.wav24(TestIrs.samples(1, 1000, 3), 48_000));
        first.put(5, "five", TestIrs.wav24(TestIrs.samples(2, 1000, 4), 96_000));
        Files.write(folder().resolve("slot-4.wav"), "not audio at all".getBytes());
        Files.write(folder().resolve("slot-6.wav"), new byte[IrLibrary.MAX_FILE_BYTES + 10]);
        Files.writeString(folder().resolve("slot-5.json"), "{broken"); // the sound still loads, as "user 5"

        IrBank bank = new IrBank();
        IrLibrary library = IrLibrary.open(folder(), bank);
        assertEquals("two", bank.user(1).name());
        assertEquals("user 5", bank.user(4).name());
        assertEquals(96_000, bank.user(4).sampleRate());
        assertNull(bank.user(3));
        assertNull(bank.user(5));
        assertEquals(2, library.problems().size(), library.problems().toString());
        IrLibrary.Problem p = library.problems().get(0);
        assertEquals(folder().resolve("slot-4.wav"), p.file());
        assertEquals("not a WAV file", p.reason());
        assertEquals("2.1 MiB: an impulse response file is at most 2 MiB", library.problems().get(1).reason());

        // Replacing or clearing a bad slot is the player's fix: its problem goes.
        library.put(4, "four", TestIrs.wav24(TestIrs.samples(1, 100, 5), 8000));
        library.clear(6);
        assertTrue(library.problems().isEmpty());
        assertFalse(Files.exists(folder().resolve("slot-6.wav")));
    }

    @Test
    void aNameLeftFromAnEarlierFileIsNotTrusted() throws Exception {
        IrLibrary library = IrLibrary.open(folder(), new IrBank());
        library.put(1, "first", TestIrs.wav24(TestIrs.samples(1, 1000, 6), 48_000));
        byte[] other = TestIrs.wav24(TestIrs.samples(1, 1000, 7), 48_000);
        Files.write(folder().resolve("slot-1.wav"), other); // as if the power went before the name was written
        IrBank bank = new IrBank();
        IrLibrary.open(folder(), bank);
        assertEquals("user 1", bank.user(0).name());
    }

    @Test
    void clearEmptiesTheSlotOnDiskAndInTheBank() throws Exception {
        IrBank bank = new IrBank();
        IrLibrary library = IrLibrary.open(folder(), bank);
        library.put(8, null, TestIrs.wav24(TestIrs.samples(1, 1000, 8), 48_000));
        assertEquals("user 8", bank.user(7).name());
        library.clear(8);
        library.clear(8); // already empty: fine
        assertNull(bank.user(7));
        assertFalse(Files.exists(folder().resolve("slot-8.wav")));
        assertFalse(Files.exists(folder().resolve("slot-8.json")));
        IrBank again = new IrBank();
        IrLibrary.open(folder(), again);
        assertNull(again.user(7));
    }
}
