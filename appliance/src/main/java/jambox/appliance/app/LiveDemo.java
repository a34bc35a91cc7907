package jambox.appliance.app;

import java.io.PrintStream;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.sim.Riff;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * {@code ./jambox demo}: the whole path in one process, on any laptop. A room server on
 * localhost, this box (JACK if a server runs, else simulated audio with a riff on its first
 * input), and a simulated remote player who plays another riff into the room; once a second, how
 * both are doing. Runs until interrupted, or for {@code seconds}.
 */
public final class LiveDemo {
    private LiveDemo() {
    }

    public static int run(long seconds, PrintStream out, PrintStream err) {
        byte[] key = new byte[8];
        new SecureRandom().nextBytes(key); // getSeed would ask the entropy source itself, and may wait
        String secret = HexFormat.of().formatHex(key);
        CountDownLatch closed = new CountDownLatch(1);
        try (RoomServer server = RoomServer.start(ServerConfig.defaults().withBind(InetAddress.getLoopbackAddress())
                        .withPort(0).withStatusPort(0),
                List.of(new RoomConfig("demo", secret, 16)))) {
            int port = server.address().getPort();
            out.println("room server: UDP port " + port + ", room 'demo'");
            ApplianceConfig local = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                    room(port, secret, "you"), ApplianceConfig.Jitter.DEFAULT);
            SimulatedBackend remoteAudio = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE,
                    LoopedInput.firstInput(Riff.render(48_000, 8, 132)), null);
            try (Appliance box = Appliance.start(local, DefaultBoard.load(), Backends.starter(local.audio(), err));
                 Appliance remote = Appliance.start(new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                         room(port, secret, "remote player"), ApplianceConfig.Jitter.DEFAULT), DefaultBoard.load(),
                         remoteAudio)) {
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
                try {
                    while (System.nanoTime() < end) {
                        TimeUnit.SECONDS.sleep(1);
                        out.println("you:    " + box.status());
                        out.println("remote: " + remote.status());
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
            err.println("jambox demo: " + e.getMessage());
            return 1;
        } finally {
            closed.countDown();
        }
    }

    private static StreamConfig room(int port, String secret, String name) {
        return new StreamConfig("127.0.0.1", port, "demo", secret, name, List.of("guitar", "voice"), Codec.PCM16, 64);
    }
}
