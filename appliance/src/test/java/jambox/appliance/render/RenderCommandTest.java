package jambox.appliance.render;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.sound.sampled.AudioFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.dsp.Signals;

class RenderCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int render(String... args) {
        return RenderCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path sineWav(String name, AudioFormat format, double hz, double amplitude) throws Exception {
        int frames = (int) format.getSampleRate();
        float[][] ch = new float[format.getChannels()][frames];
        for (int c = 0; c < ch.length; c++) {
            for (int i = 0; i < frames; i++) {
                ch[c][i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * (c + 1) * i / format.getSampleRate()));
            }
        }
        Path p = dir.resolve(name);
        Wav.write(p, format, ch);
        return p;
    }

    private Path board(String json) throws Exception {
        Path p = dir.resolve("board.json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void rendersAStereo24BitFileThroughTheBoardKeepingItsFormat() throws Exception {
        AudioFormat f = new AudioFormat(44100, 24, 2, true, false);
        Path in = sineWav("in.wav", f, 500, 0.1);
        Path b = board("""
                {"version": 1, "name": "plus six",
                 "channels": [{"pedals": [{"type": "boost", "params": {"gain": 6}}]},
                              {"pedals": [{"type": "boost", "params": {"gain": -6}}]}]}""");
        Path outWav = dir.resolve("out.wav");
        assertEquals(0, render(in.toString(), outWav.toString(), "--board", b.toString(), "--tail=0.5"), err.toString());
        Wav.Audio result = Wav.read(outWav);
        assertEquals(44100, result.sampleRate());
        assertEquals(24, result.format().getSampleSizeInBits());
        assertEquals(2, result.channels().length);
        assertEquals(44100 + 22050, result.frames(), "input plus half a second of tail");
        float[] left = java.util.Arrays.copyOfRange(result.channels()[0], 22050, 44100);
        float[] right = java.util.Arrays.copyOfRange(result.channels()[1], 22050, 44100);
        assertEquals(6.0, 20 * Math.log10(Signals.amplitudeAt(left, 500, 44100) / 0.1), 0.1);
        assertEquals(-6.0, 20 * Math.log10(Signals.amplitudeAt(right, 1000, 44100) / 0.1), 0.1);
        assertTrue(out.toString().contains("plus six"), out.toString());
    }

    @Test
    void aMonoBoardServesBothChannelsOfAStereoFileAndFloatFilesStayFloat() throws Exception {
        AudioFormat f = new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, 48000, 32, 2, 8, 48000, false);
        Path in = sineWav("in.wav", f, 300, 0.5);
        Path b = board("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"gain\": 12}}]}]}");
        Path outWav = dir.resolve("out.wav");
        assertEquals(0, render(in.toString(), outWav.toString(), "--board", b.toString()), err.toString());
        Wav.Audio result = Wav.read(outWav);
        assertEquals(AudioFormat.Encoding.PCM_FLOAT, result.format().getEncoding());
        float[] right = java.util.Arrays.copyOfRange(result.channels()[1], 24000, 48000);
        // 0.5 * 12 dB = 1.99: above full scale, kept because the file is float.
        assertEquals(12.0, 20 * Math.log10(Signals.amplitudeAt(right, 600, 48000) / 0.5), 0.1);
    }

    @Test
    void badInputGetsOneLineAndExit2AndWritesNothing() throws Exception {
        Path in = sineWav("in.wav", new AudioFormat(48000, 16, 1, true, false), 440, 0.3);
        Path good = board("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\"}]}]}");
        Path notWav = dir.resolve("notes.txt");
        Files.writeString(notWav, "this is not audio");
        Path outWav = dir.resolve("out.wav");
        String[][] cases = {
                {in.toString(), outWav.toString()},
                {in.toString(), outWav.toString(), "--board"},
                {in.toString(), "--board", good.toString()},
                {in.toString(), outWav.toString(), "--board", good.toString(), "--tail", "-1"},
                {in.toString(), outWav.toString(), "--board", good.toString(), "--tail", "soon"},
                {in.toString(), outWav.toString(), "--board", good.toString(), "--loud"},
                {dir.resolve("missing.wav").toString(), outWav.toString(), "--board", good.toString()},
                {notWav.toString(), outWav.toString(), "--board", good.toString()},
                {in.toString(), outWav.toString(), "--board", dir.resolve("missing.json").toString()},
                {in.toString(), in.toString(), "--board", good.toString()},
        };
        for (String[] args : cases) {
            err.reset();
            assertEquals(2, render(args), String.join(" ", args));
            String message = err.toString().trim();
            assertTrue(message.startsWith("jambox render: "), message);
            assertFalse(Files.exists(outWav), "nothing written for " + String.join(" ", args));
        }
        byte[] before = Files.readAllBytes(in);
        String[] badBoards = {
                "{", "[]", "{\"version\": 2, \"channels\": []}",
                "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"fuzzface\"}]}]}",
                "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"gain\": 99}}]}]}",
        };
        for (String json : badBoards) {
            err.reset();
            Path b = board(json);
            assertEquals(2, render(in.toString(), outWav.toString(), "--board", b.toString()), json);
            assertTrue(err.toString().contains(b.toString()), "names the file: " + err);
            assertEquals(1, err.toString().trim().lines().count(), "one line: " + err);
            assertFalse(Files.exists(outWav));
        }
        assertArrayEquals(before, Files.readAllBytes(in), "the input is never touched");
    }

    @Test
    void aBoardOfMorePedalsThanAChainHoldsIsRefusedBeforeAnyIsMade() throws Exception {
        Path in = sineWav("in.wav", new AudioFormat(48000, 16, 1, true, false), 440, 0.3);
        Path outWav = dir.resolve("out.wav");
        for (int pedals : new int[] {17, 3000}) {
            err.reset();
            Path b = board(jambox.appliance.board.Boards.ofDelays("Echoes", pedals));
            assertEquals(2, render(in.toString(), outWav.toString(), "--board", b.toString()));
            assertEquals("jambox render: " + b + ": channels[0].pedals: " + pedals + " pedals; a chain holds at most 16",
                    err.toString().trim());
            assertFalse(Files.exists(outWav));
        }
    }

    /** A 16-bit mono 48 kHz WAV whose RIFF and data sizes are as given, holding {@code frames} frames of a quiet tone. */
    private Path craftedWav(String name, long riffSize, long dataSize, int frames) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * frames).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) riffSize).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(48000).putInt(96000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataSize);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) (3000 * Math.sin(2 * Math.PI * 440 * i / 48000.0)));
        }
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void aWavWhoseHeaderPromisesMoreThanItHoldsIsRefusedWithWhatItPromisesAndHolds() throws Exception {
        Path b = board("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\"}]}]}");
        Path outWav = dir.resolve("out.wav");

        // 10.5 s promised, 5.25 s there: a copy that stopped half way.
        long promised = 2L * 48000 * 21 / 2;
        Path half = craftedWav("half.wav", 36 + promised, promised, 48000 * 21 / 4);
        assertEquals(2, render(half.toString(), outWav.toString(), "--board", b.toString()));
        assertEquals("jambox render: " + half + ": its header promises 1008000 bytes of audio (10.50 s) but the file"
                + " holds 504000 (5.25 s): it was cut short, or its header is wrong", err.toString().trim());
        assertFalse(Files.exists(outWav));

        // A size no file has: 0xFFFFFFE0 bytes of audio.
        err.reset();
        Path huge = craftedWav("huge.wav", 0xFFFFFFFFL, 0xFFFFFFE0L, 48000);
        assertEquals(2, render(huge.toString(), outWav.toString(), "--board", b.toString()));
        assertEquals("jambox render: " + huge + ": its header promises 4294967264 bytes of audio (44739.24 s) but the"
                + " file holds 96000 (1.00 s): it was cut short, or its header is wrong", err.toString().trim());
        assertFalse(Files.exists(outWav));

        // The audio is all there, but the file is shorter than the RIFF header says.
        err.reset();
        Path riff = craftedWav("riff.wav", 36 + 96000 + 1000, 96000, 48000);
        assertEquals(2, render(riff.toString(), outWav.toString(), "--board", b.toString()));
        assertEquals("jambox render: " + riff + ": its header says the file is 97044 bytes long, but it is 96044:"
                + " it was cut short, or its header is wrong", err.toString().trim());

        // The same bytes with honest sizes render.
        err.reset();
        Path whole = craftedWav("whole.wav", 36 + 96000, 96000, 48000);
        assertEquals(0, render(whole.toString(), outWav.toString(), "--board", b.toString()), err.toString());
        assertEquals(48000 + 4800, Wav.read(outWav).frames(), "the input, and 100 ms of silence after the boost");
    }

    @Test
    void aWavLongerThanTheCapIsRefusedBeforeItIsRead() throws Exception {
        Path b = board("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\"}]}]}");
        Path outWav = dir.resolve("out.wav");
        long frames = Wav.MAX_SAMPLES + 48000; // one second over, mono
        Path in = craftedWav("long.wav", 36 + 2 * frames, 2 * frames, 0);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(in.toFile(), "rw")) {
            f.setLength(44 + 2 * frames); // sparse: the silence costs no disk
        }
        assertEquals(2, render(in.toString(), outWav.toString(), "--board", b.toString()));
        assertEquals("jambox render: " + in + ": holds 601 s of audio; jambox reads at most 600 s of mono at 48000 Hz",
                err.toString().trim());
    }

    /** The Ambient preset on the demo riff: by default its reverb and delay ring out to silence in the file on disk. */
    @Test
    void theAmbientPresetsTailRingsOutBelowMinus90DbfsByDefault() throws Exception {
        Path in = dir.resolve("riff.wav");
        float[] riff = jambox.appliance.sim.Riff.render(48000, 8, 100);
        Wav.write(in, new AudioFormat(48000, 24, 1, true, false), new float[][] {riff});
        Path ambient = dir.resolve("ambient.json");
        try (var preset = RenderCommandTest.class.getResourceAsStream("/jambox/presets/ambient.json")) {
            Files.write(ambient, preset.readAllBytes());
        }
        Path outWav = dir.resolve("ambient.wav");
        assertEquals(0, render(in.toString(), outWav.toString(), "--board", ambient.toString()), err.toString());
        float[] x = Wav.read(outWav).channels()[0];
        double tail = (x.length - riff.length) / 48000.0;
        assertTrue(tail > 0.5 && tail < Render.MAX_TAIL_SECONDS, "the tail rang out, and ended on its own: " + tail + " s");
        double endDb = Signals.db(Signals.peak(java.util.Arrays.copyOfRange(x, x.length - 4800, x.length)));
        assertTrue(endDb < -90, "the last 100 ms peak at " + endDb + " dBFS");
        // The tail is what was asked: the sound just before it had not died yet (the cut would have clicked).
        double atInputEnd = Signals.db(Signals.peak(java.util.Arrays.copyOfRange(x, riff.length - 4800, riff.length)));
        assertTrue(atInputEnd > -60, "the board still rang when the input ended: " + atInputEnd + " dBFS");
        assertTrue(out.toString().contains("rung out to below -90 dBFS"), out.toString());

        // --tail still forces a fixed length.
        Path fixed = dir.resolve("fixed.wav");
        assertEquals(0, render(in.toString(), fixed.toString(), "--board", ambient.toString(), "--tail", "0.25"),
                err.toString());
        assertEquals(riff.length + 12000, Wav.read(fixed).frames());
    }

    /** A dry board ends 100 ms after its input; one whose echoes outlast the cap stops at 30 s, and says so. */
    @Test
    void aDryBoardEndsAtOnceAndATailThatOutlastsTheCapIsCutThere() throws Exception {
        AudioFormat f = new AudioFormat(48000, 24, 1, true, false);
        Path in = sineWav("in.wav", f, 440, 0.5);
        Path dry = board("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"gain\": 0}}]}]}");
        Path outWav = dir.resolve("dry.wav");
        assertEquals(0, render(in.toString(), outWav.toString(), "--board", dry.toString()), err.toString());
        assertEquals(48000 + 4800, Wav.read(outWav).frames(), 64, "the input and 100 ms of silence");

        Path echoes = board("""
                {"version": 1, "channels": [{"pedals": [{"type": "delay",
                  "params": {"time": 2000, "feedback": 95, "mix": 100, "tone": 20000}}]}]}""");
        Path cut = dir.resolve("cut.wav");
        assertEquals(0, render(in.toString(), cut.toString(), "--board", echoes.toString()), err.toString());
        assertEquals(48000 + 30 * 48000, Wav.read(cut).frames());
        assertTrue(out.toString().contains("the tail cut at 30 s"), out.toString());
    }
}
