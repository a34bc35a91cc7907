package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jambox.appliance.audio.Capture;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.hardware.MidiClock;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * A box in a room whose metronome runs (a room server on loopback): the MIDI clock's beats fall on
 * the clicks the box plays, and its downbeats on the accented ones. "As the box hears it" is
 * measured where the player hears it: the click in the box's output, after the limiter. The
 * simulated backend's frames are its output's samples (the capture's index) and its MIDI out is
 * looped to its MIDI in at the frames the events were played at, so the two are compared on one
 * clock, to the sample. That the click itself sits on the room's beat is {@link RoomClickTest}'s.
 */
class RoomMidiClockTest {
    private static final int RATE = 48_000;
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Each click's first sample above silence, and whether it is accented (beat 1). */
    private static List<int[]> clicks(float[] x, int from, int to) {
        List<int[]> at = new ArrayList<>();
        for (int i = from; i < to - 600; i++) {
            if (Math.abs(x[i]) > 1e-6f) {
                float peak = 0;
                for (int k = i; k < i + 600; k++) {
                    peak = Math.max(peak, Math.abs(x[k]));
                }
                at.add(new int[] {i, peak > 0.4f ? 1 : 0});
                i += RATE / 100 + 600;
                while (i < x.length && Math.abs(x[i]) > 1e-6f) {
                    i++;
                }
            }
        }
        return at;
    }

    @Test
    void theClocksBeatsFallOnTheClicksTheBoxPlaysInTheRoom() throws Exception {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", "clock secret", 16)));
        open.add(server);
        int seconds = 14;
        Capture out = new Capture(RATE * seconds);
        SimulatedBackend audio = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, null, out);
        ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                new StreamConfig("127.0.0.1", server.address().getPort(), "jam", "clock secret", "Ann",
                        List.of("guitar", "voice"), Codec.PCM16, 64), new ApplianceConfig.Jitter(false, 6));
        Appliance box = Appliance.start(config, EMPTY, audio);
        open.add(box);
        box.engine().mixer().self(0).setMute(true);
        box.engine().mixer().self(1).setMute(true);
        box.engine().click().setLevelDb(-6);
        box.engine().click().setAccentDb(6);
        List<long[]> midi = java.util.Collections.synchronizedList(new ArrayList<>());
        box.backend().midi().addListener((frame, data, length) -> midi.add(new long[] {frame, data[0] & 0xff}));
        MidiClock clock = new MidiClock(box.engine().click(), box.backend().midi(), box.backend()::sampleRate,
                new MidiClock.Metronome() {
                    @Override
                    public double tempoBpm() {
                        return 150;
                    }

                    @Override
                    public void setTempo(double bpm) {
                    }

                    @Override
                    public void setRunning(boolean on) {
                    }
                }, null);
        open.add(clock);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!box.stream().joined() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(box.stream().joined(), box.status());
        box.stream().setTempo(150_000, 3); // the room's metronome: 150 bpm, 3 beats a bar
        Thread.sleep(2000); // the room's beats have come, and the click is on them
        box.engine().click().setOn(true); // the metronome runs: the clock starts on the next downbeat
        deadline = System.nanoTime() + 30_000_000_000L;
        while (out.frames() < RATE * seconds && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(150_000, box.stream().roomTempo());

        List<long[]> events;
        synchronized (midi) {
            events = new ArrayList<>(midi);
        }
        int start = 0;
        while (start < events.size() && events.get(start)[1] != 0xFA) {
            start++;
        }
        assertTrue(start < events.size(), "the clock started");
        assertEquals(0xF2, events.get(start - 1)[1], "song position before start");
        // Every 24th tick from the start is a beat, every 72nd (a bar of 3) a downbeat.
        List<long[]> beats = new ArrayList<>();
        int tick = 0;
        for (int i = start + 1; i < events.size(); i++) {
            if (events.get(i)[1] == 0xF8) {
                if (tick % 24 == 0) {
                    beats.add(new long[] {events.get(i)[0], tick % 72 == 0 ? 1 : 0});
                }
                tick++;
            }
        }
        int from = RATE * (seconds - 5);
        int to = RATE * seconds;
        List<int[]> heard = clicks(out.audio()[0], from, to);
        List<Long> apart = new ArrayList<>();
        int mismatched = 0;
        int matched = 0;
        for (long[] beat : beats) {
            if (beat[0] < from + 1000 || beat[0] > to - 1000) {
                continue;
            }
            int[] nearest = heard.stream().min((x, y) -> Long.compare(Math.abs(x[0] - beat[0]), Math.abs(y[0] - beat[0])))
                    .orElseThrow();
            apart.add(nearest[0] - 1 - beat[0]); // the click's sample 0 is silent: it began the sample before
            matched++;
            mismatched += nearest[1] == beat[1] ? 0 : 1;
        }
        long worst = apart.stream().mapToLong(Math::abs).max().orElseThrow();
        long median = apart.stream().map(Math::abs).sorted().toList().get(apart.size() / 2);
        System.out.println("RoomMidiClockTest: the click began after the clock's beat tick by " + apart
                + " frames (worst " + worst + ", median " + median + "); " + matched + " beats, " + mismatched
                + " with beat 1 on one side only; " + heard.size() + " clicks");
        assertTrue(matched >= 10, "beats in the last 5 s at 150 bpm: " + matched);
        assertEquals(0, mismatched, "the clock's downbeats are the accented clicks");
        // The click starts on the first sample at or after its beat, the tick on the sample nearest it.
        assertTrue(median <= 1, "median " + median + " frames");
        // A move onto the room's beat reaches ticks already planned up to two periods ahead.
        assertTrue(worst <= 128, "worst " + worst + " frames");
    }
}
