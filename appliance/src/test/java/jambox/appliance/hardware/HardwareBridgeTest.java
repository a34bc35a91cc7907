package jambox.appliance.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlService;
import jambox.appliance.control.Snapshot;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.stream.StreamConfig;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.protocol.Codec;
import jambox.surface.Target;

/**
 * The knobs' listener on a real box (simulated audio, the real command service): what the hardware
 * thread hands over while the control thread is busy is carried out afterwards, in order, and the
 * hardware thread itself never waits for it.
 */
class HardwareBridgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Target OVERDRIVE = Target.bypass("overdrive");
    private static final Target DRIVE = Target.param("overdrive", "drive");

    @TempDir
    Path data;
    private Appliance box;
    private ControlService control;
    /** Stands in for {@code jambox-gpio}: the one thread the knobs call from. */
    private final ExecutorService hardwareThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-gpio"));

    @BeforeEach
    void start() throws Exception {
        box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
        control = new ControlService(box, new ControlService.Options(new StreamConfig("localhost", 7891, "jam",
                "template secret", "me", List.of("guitar"), Codec.PCM16, 64), data.resolve("recordings"),
                PresetStore.open(data.resolve("presets")), null));
    }

    @AfterEach
    void stop() {
        hardwareThread.shutdownNow();
        control.close();
        box.close();
    }

    /** How the hardware thread fared over a batch of listener calls. */
    private record Timing(long[] wallNanos, long[] cpuNanos, long blocked, long waited) {
        long maxWall() {
            return Arrays.stream(wallNanos).max().orElse(0);
        }

        long maxCpu() {
            return Arrays.stream(cpuNanos).max().orElse(0);
        }

        String figures() {
            long[] w = wallNanos.clone();
            Arrays.sort(w);
            return String.format(java.util.Locale.ROOT, "%d calls, wall median %.1f us, p99 %.1f us, max %.1f us; "
                            + "CPU max %.1f us; blocked %d times, waited %d times", w.length, w[w.length / 2] / 1e3,
                    w[(int) (w.length * 0.99)] / 1e3, w[w.length - 1] / 1e3, maxCpu() / 1e3, blocked, waited);
        }
    }

    /**
     * The calls, one after another on the hardware thread: how long each took there (wall clock and
     * the thread's own CPU time), and how often the thread blocked on a monitor or parked meanwhile
     * (the JVM's contention counters: a surface waiting for a command shows here, whatever the clock).
     */
    private Timing onHardwareThread(List<Runnable> calls) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads.isThreadContentionMonitoringSupported()) {
            threads.setThreadContentionMonitoringEnabled(true);
        }
        return hardwareThread.submit(() -> {
            long id = Thread.currentThread().threadId();
            ThreadInfo before = threads.getThreadInfo(id);
            long[] wall = new long[calls.size()];
            long[] cpu = new long[calls.size()];
            for (int i = 0; i < calls.size(); i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                calls.get(i).run();
                wall[i] = System.nanoTime() - t0;
                cpu[i] = threads.getCurrentThreadCpuTime() - c0;
            }
            ThreadInfo after = threads.getThreadInfo(id);
            return new Timing(wall, cpu, after.getBlockedCount() - before.getBlockedCount(),
                    after.getWaitedCount() - before.getWaitedCount());
        }).get(10, TimeUnit.SECONDS);
    }

    /** Returns once everything handed to the control thread before has run. */
    private void drain() throws Exception {
        control.handle(JSON.readTree("{\"v\":1,\"cmd\":\"state\"}"));
    }

    /**
     * While the control thread moves the overdrive (a real fade) and is then held, the hardware
     * thread presses footswitch 1 twice, turns the master encoder between and after, and sweeps the
     * drive pot. The wall clock is the brief's figure; on a shared machine the OS takes the core away
     * for milliseconds at a time (seen here: up to 190 ms, no safepoint, the thread runnable), so the
     * run is repeated until a window is clean, up to five times. Every run must show the thread
     * never blocked nor parked, every call under 1 ms of CPU, and the changes in press order.
     */
    @Test
    void footswitchPressesDuringAFadeAreAppliedInOrderAfterItAndTheHardwareThreadNeverWaits() throws Exception {
        HardwareBridge bridge = new HardwareBridge(control, new ConcurrentHashMap<>());
        // Once through every path before measuring, so class loading and the first compile are not
        // counted; the two presses and the two turns cancel out.
        Snapshot fresh = control.snapshot();
        onHardwareThread(List.of(() -> bridge.pressed(OVERDRIVE), () -> bridge.pressed(OVERDRIVE),
                () -> bridge.relative(Target.master(), 1), () -> bridge.relative(Target.master(), -1),
                () -> bridge.absolute(DRIVE, Catalog.byId("overdrive").param("drive")
                        .toNormalized(fresh.pedal("overdrive").param("drive")))));
        drain();
        List<Snapshot> changes = new CopyOnWriteArrayList<>();
        control.onChange(state -> changes.add(control.snapshot()));
        Timing best = null;
        for (int run = 1; run <= 5 && (best == null || best.maxWall() >= 1_000_000); run++) {
            changes.clear();
            Timing t = pressTwiceDuringAFade(bridge, changes);
            System.out.println("run " + run + ": " + t.figures());
            assertEquals(0, t.blocked(), "the hardware thread blocked on a lock");
            assertEquals(0, t.waited(), "the hardware thread parked");
            assertTrue(t.maxCpu() < 1_000_000, "a listener call took " + t.maxCpu() / 1e3 + " us of CPU");
            best = best == null || t.maxWall() < best.maxWall() ? t : best;
        }
        assertTrue(best.maxWall() < 1_000_000, "every run had a listener call over 1 ms: best " + best.figures());
    }

    /**
     * Four taps 400 ms apart (150 bpm) on the tap footswitch while the control thread is held: they
     * run one after another when it is free, microseconds apart, yet the tempo is the player's, since
     * each counts from its press.
     */
    @Test
    void tapsPressedWhileTheControlThreadIsHeldKeepThePlayersBeat() throws Exception {
        HardwareBridge bridge = new HardwareBridge(control, new ConcurrentHashMap<>());
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        control.execute(() -> {
            busy.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        long[] pressed = new long[4];
        hardwareThread.submit(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                long due = start + i * 400_000_000L;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                pressed[i] = System.nanoTime();
                bridge.pressed(Target.tap());
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
        release.countDown();
        drain();
        // The tempo from the press times as the hardware thread saw them: a press late by a busy core
        // is late for the box too, and the box must agree with its own clock, not with a nominal 150.
        double played = 60e9 / ((pressed[3] - pressed[0]) / 3.0);
        double bpm = control.tempoBpm();
        System.out.printf("taps pressed %.1f bpm apart; the box set %.2f bpm%n", played, bpm);
        assertEquals(played, bpm, 0.5, "the tempo counts from the presses, not from their turn");
        assertEquals(150, bpm, 15, "four taps 400 ms apart");
    }

    private Timing pressTwiceDuringAFade(HardwareBridge bridge, List<Snapshot> changes) throws Exception {
        ParamSpec drive = Catalog.byId("overdrive").param("drive");
        control.handle(JSON.readTree("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":0}"));
        changes.clear();
        Snapshot before = control.snapshot();
        int from = before.pedal("overdrive").index();
        int to = from == 0 ? 3 : 0;
        double sweptTo = to == 0 ? 0.8 : 0.6; // unlike the last run's, so the change shows

        // The control thread: a move (the overdrive fades out, changes place, fades back in), then
        // held until the hardware has had its say.
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong fadeNanos = new AtomicLong();
        control.execute(() -> {
            busy.countDown();
            try {
                long t0 = System.nanoTime();
                control.handle(JSON.readTree("{\"v\":1,\"cmd\":\"move\",\"channel\":0,\"from\":" + from
                        + ",\"to\":" + to + "}"));
                fadeNanos.set(System.nanoTime() - t0);
                release.await(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            done.set(true);
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));

        List<Runnable> calls = new ArrayList<>();
        calls.add(() -> bridge.pressed(OVERDRIVE));
        calls.add(() -> bridge.relative(Target.master(), 2));
        for (int i = 0; i <= 200; i++) {
            double at = sweptTo * i / 200;
            calls.add(() -> bridge.absolute(DRIVE, at));
        }
        calls.add(() -> bridge.pressed(OVERDRIVE));
        calls.add(() -> bridge.relative(Target.master(), 1));
        Timing timing = onHardwareThread(calls);
        assertFalse(done.get(), "the control thread was busy all along");
        assertEquals(before.pedal("overdrive").bypass(), control.snapshot().pedal("overdrive").bypass(),
                "nothing is applied while the control thread is busy");
        release.countDown();
        drain();

        // The changes in the order they were made: the move, the first press (at the overdrive's new
        // place), the master's three steps as one, the pot's latest reading as one, the second press.
        List<String> seen = new ArrayList<>();
        Snapshot last = before;
        for (Snapshot s : changes) {
            seen.add(describe(last, s));
            last = s;
        }
        System.out.printf("control thread busy %.1f ms in the move's fade, then held; changes after: %s%n",
                fadeNanos.get() / 1e6, seen);
        boolean wasBypassed = before.pedal("overdrive").bypass();
        double expectedDrive = drive.fromNormalized(sweptTo);
        assertEquals(List.of("overdrive at " + to, "overdrive bypass " + !wasBypassed, "master 1.5",
                String.format(java.util.Locale.ROOT, "drive %.3f", expectedDrive), "overdrive bypass " + wasBypassed), seen);
        Snapshot after = control.snapshot();
        assertEquals(wasBypassed, after.pedal("overdrive").bypass(), "two toggles: back where it was");
        assertEquals(wasBypassed, box.engine().runningBoard(0).get(to).isBypassed(), "the running pedal agrees");
        assertEquals(1.5, box.engine().mixer().masterDb(), 1e-9);
        assertEquals(expectedDrive, box.engine().runningBoard(0).get(to).get("drive"), 1e-4);
        return timing;
    }

    /** What changed from {@code a} to {@code b}, in words (the first difference). */
    private static String describe(Snapshot a, Snapshot b) {
        Snapshot.Pedal pa = a.pedal("overdrive");
        Snapshot.Pedal pb = b.pedal("overdrive");
        if (pa.index() != pb.index()) {
            return "overdrive at " + pb.index();
        }
        if (pa.bypass() != pb.bypass()) {
            return "overdrive bypass " + pb.bypass();
        }
        if (a.masterDb() != b.masterDb()) {
            return "master " + b.masterDb();
        }
        if (pa.param("drive") != pb.param("drive")) {
            return String.format(java.util.Locale.ROOT, "drive %.3f", pb.param("drive"));
        }
        return "something else";
    }
}
