package jambox.appliance.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jambox.appliance.audio.AudioException;
import jambox.appliance.audio.JackMessages;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlPlane;
import jambox.appliance.control.ControlServer;
import jambox.appliance.sim.Riff;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamConfig;
import jambox.common.LocalRoomServer;
import jambox.protocol.Codec;

/**
 * {@code ./jambox demo}: the whole path in one process, on any laptop. A room server on
 * localhost, this box (simulated audio with a riff on its first input; JACK only when asked, since
 * a jackd that happens to run would feed the pedals its silent capture ports instead of the
 * riff), and a simulated remote player who plays another riff into the room; once a second, how
 * both are doing in a few words ({@link DemoStatus}), or every counter when verbose. Runs until
 * interrupted, or for {@code seconds}.
 */
public final class LiveDemo {
    private LiveDemo() {
    }

    /** The page's port when it is free; else any free one (the URL printed says which). */
    public static final int PAGE_PORT = 8080;

    /**
     * How the demo runs: for {@code seconds} (0: until stopped), its control page on
     * 127.0.0.1:{@code port} (0: any free port), its presets and recordings in {@code data} (null:
     * the user's data folder); on JACK's default server when {@code jack} (else simulated audio);
     * {@code verbose}: every counter once a second, and libjack's own messages on stderr.
     */
    public record Settings(long seconds, int port, Path data, boolean jack, boolean verbose) {
    }

    /**
     * Runs the demo. The page listens on loopback only: the demo has no PIN, and a laptop's
     * network is not the player's own.
     */
    public static int run(Settings settings, PrintStream out, PrintStream err) {
        long seconds = settings.seconds();
        if (settings.jack() && !settings.verbose()) {
            JackMessages.quiet();
        }
        // The servers' own log lines (who joined, which priority) would break up the status; a
        // warning still shows. Put back when the demo ends: tests run it inside a longer-lived JVM.
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        java.util.logging.Level logLevel = root.getLevel();
        if (!settings.verbose()) {
            root.setLevel(java.util.logging.Level.WARNING);
        }
        byte[] key = new byte[8];
        new SecureRandom().nextBytes(key); // getSeed would ask the entropy source itself, and may wait
        String secret = HexFormat.of().formatHex(key);
        CountDownLatch closed = new CountDownLatch(1);
        try (LocalRoomServer server = LocalRoomServer.start("demo", secret, 16)) {
            int roomPort = server.port();
            out.println("room server: UDP port " + roomPort + ", room 'demo'");
            ApplianceConfig local = new ApplianceConfig(audio(settings.jack()), null,
                    room(roomPort, secret, "you"), ApplianceConfig.Jitter.DEFAULT);
            SimulatedBackend remoteAudio = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE,
                    LoopedInput.firstInput(Riff.render(48_000, 8, 132)), null);
            try (Appliance box = Appliance.start(local, DefaultBoard.load(), Backends.starter(local.audio(), err));
                 Appliance remote = Appliance.start(new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                         room(roomPort, secret, "remote player"), ApplianceConfig.Jitter.DEFAULT), DefaultBoard.load(),
                         remoteAudio);
                 ControlPlane control = page(box, local.room(), settings.port(),
                         settings.data() != null ? settings.data() : demoData(), err)) {
                out.println("control page: " + control.url());
                Thread main = Thread.currentThread();
                // The JVM halts once its hooks return: this one waits until both boxes have left the room.
                Thread stop = new Thread(() -> {
                    main.interrupt();
                    try {
                        closed.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "demo-stop");
                Runtime.getRuntime().addShutdownHook(stop);
                long end = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
                DemoStatus status = new DemoStatus();
                long start = System.nanoTime();
                try {
                    while (System.nanoTime() < end) {
                        TimeUnit.SECONDS.sleep(1);
                        if (settings.verbose()) {
                            verbose(box, remote, out);
                            continue;
                        }
                        List<String> lines = status.lines(box, control.service().stats().path("latency"));
                        String time = String.format(Locale.ROOT, "%3d s ", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
                        for (int i = 0; i < lines.size(); i++) {
                            out.println((i == 0 ? time : " ".repeat(time.length())) + lines.get(i));
                        }
                    }
                } catch (InterruptedException e) {
                    out.println("stopping");
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException e) {
                    // already shutting down
                }
                return 0;
            }
        } catch (Exception e) {
            err.println("jambox demo: " + e.getMessage()
                    + (settings.jack() && e instanceof AudioException ? " (without --jack the demo plays on simulated audio)" : ""));
            return 1;
        } finally {
            root.setLevel(logLevel);
            closed.countDown();
        }
    }

    /** Every counter there is: the box's status line, then each member's whole jitter buffer, for both boxes. */
    private static void verbose(Appliance box, Appliance remote, PrintStream out) {
        for (Appliance a : List.of(box, remote)) {
            String who = a == box ? "you:    " : "remote: ";
            out.println(who + a.status());
            var stream = a.stream();
            for (RoomMembers.Member m : a.members().members()) {
                if (stream != null && m.id() != stream.memberId() && m.stats() != null) {
                    out.println("        " + m.name() + ": " + m.stats());
                }
            }
        }
    }

    /** Simulated audio with the riff on the first input; JACK's default server (and no fallback) when asked. */
    private static ApplianceConfig.Audio audio(boolean jack) {
        ApplianceConfig.Audio d = ApplianceConfig.Audio.DEFAULT;
        return new ApplianceConfig.Audio(jack ? "jack" : "simulated", d.jackServer(), d.jackClient(), d.capture(),
                d.playback(), d.input(), d.sampleRate(), d.frames(), d.device(), d.periods());
    }

    /** The page on the asked port, or on any free one when that is taken. */
    private static ControlPlane page(Appliance box, StreamConfig template, int port, Path data, PrintStream err)
            throws IOException {
        try {
            return ControlPlane.start(box, template, data, new ControlServer.Settings("127.0.0.1", port, null));
        } catch (IOException e) {
            if (port == 0) {
                throw e;
            }
            err.println("jambox demo: port " + port + " is taken; the page gets another");
            return ControlPlane.start(box, template, data, new ControlServer.Settings("127.0.0.1", 0, null));
        }
    }

    /** The demo's presets and recordings outlive it, in the user's data folder (XDG), not in /var/lib. */
    private static Path demoData() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jambox-demo");
    }

    private static StreamConfig room(int port, String secret, String name) {
        return new StreamConfig("127.0.0.1", port, "demo", secret, name, List.of("guitar", "voice"), Codec.PCM16, 64);
    }
}
