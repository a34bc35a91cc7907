package jambox.appliance.app;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jambox.appliance.audio.AudioException;
import jambox.appliance.control.ControlPlane;

/**
 * {@code jambox run --config FILE}: the service as systemd starts it. Reads the config (a bad one
 * is said in one line, and the box starts anyway with its built-in settings so that its page can
 * say so too: {@link Startup}), starts the box, follows the sound card jambox-jack chose
 * ({@link AudioInterfaceWatch}), logs how it is doing every 10 seconds, and on SIGTERM leaves the
 * room and stops. Only bad usage exits with status 2.
 */
public final class RunCommand {
    static final String USAGE = "usage: jambox run --config FILE";
    private static final long STATUS_SECONDS = 10;
    /** The exit status when JACK could not be reconnected: a failure, so systemd restarts the box. */
    static final int WEDGED_EXIT = 70;
    /** How long to watch for the first audio period (JACK may be slow, or absent, at boot). */
    private static final long FIRST_PERIOD_WAIT_SECONDS = 120;

    private RunCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 2 || !args.get(0).equals("--config")) {
            err.println(USAGE);
            return 2;
        }
        Running running;
        try {
            running = Running.start(Path.of(args.get(1)), err);
        } catch (Exception e) {
            err.println("jambox run: " + e.getMessage());
            return 1;
        }
        // The JVM halts once its shutdown hooks return, so the hook itself leaves the room.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "run-stop"));
        out.println("jambox: " + running.box().status());
        if (running.control().url() != null) {
            out.println("jambox: control page on port " + running.port());
        }
        try {
            firstPeriod(running.box(), stopped, out);
            while (!stopped.await(STATUS_SECONDS, TimeUnit.SECONDS)) {
                out.println("jambox: " + running.box().status());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Says once when the first audio period has run, and how long after the JVM started: the end of
     * the box's start-up, which the image test reads from the journal (its monotonic stamp is the
     * time since the kernel started). The audio thread only counts; this thread watches the count.
     */
    static void firstPeriod(Appliance box, CountDownLatch stopped, PrintStream out) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRST_PERIOD_WAIT_SECONDS);
        while (box.engine().periods() == 0) {
            if (System.nanoTime() > deadline || stopped.await(2, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        out.println("jambox: first audio period " + ManagementFactory.getRuntimeMXBean().getUptime()
                + " ms after the JVM started");
    }

    /** The service while it runs: the box, its control side and the watch on its sound card. */
    record Running(Appliance box, ControlPlane control, AudioInterfaceWatch card, int port) implements AutoCloseable {
        /** Starts the box as {@code configFile} says; a mistake in it is said on {@code log} and shown on the page. */
        static Running start(Path configFile, PrintStream log) throws AudioException, IOException {
            Startup s = Startup.read(configFile);
            if (s.configError() != null) {
                log.println("jambox run: " + s.configError() + "; the box starts with its built-in settings (no room)"
                        + " and its page says what is wrong");
            }
            // A reconnect wedged in libjack cannot be undone in this process: exit non-zero (no
            // shutdown hooks: they would wait on the wedged client) and systemd starts a fresh box.
            Appliance box = Appliance.start(s.config(), s.board(), Backends.starter(s.config().audio(), log,
                    () -> Runtime.getRuntime().halt(WEDGED_EXIT), Backends.SERVICE_JACK_WAIT));
            ControlPlane control;
            try {
                control = ControlPlane.start(box, s.config());
            } catch (IOException e) {
                box.close();
                throw e;
            }
            control.service().setConfigError(s.configError());
            AudioInterfaceWatch card = AudioInterfaceWatch.start(AudioInterfaceWatch.file(), log,
                    control.service()::setAudioInterface);
            return new Running(box, control, card, s.config().control().port());
        }

        @Override
        public void close() {
            card.close();
            control.close();
            box.close();
        }
    }
}
