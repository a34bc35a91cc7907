package jambox.appliance.app;

import java.io.PrintStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.config.ConfigFile;
import jambox.appliance.control.ControlPlane;

/**
 * {@code jambox run --config FILE}: the service as systemd starts it. Reads the config (a bad one
 * is one clear line and exit status 2), starts the box, follows the sound card jambox-jack chose
 * ({@link AudioInterfaceWatch}), logs how it is doing every 10 seconds, and on SIGTERM leaves the
 * room and stops.
 */
public final class RunCommand {
    static final String USAGE = "usage: jambox run --config FILE";
    private static final long STATUS_SECONDS = 10;

    private RunCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 2 || !args.get(0).equals("--config")) {
            err.println(USAGE);
            return 2;
        }
        ApplianceConfig config;
        BoardSpec board;
        try {
            config = ConfigFile.read(Path.of(args.get(1)));
            board = config.board() == null ? DefaultBoard.load() : BoardFile.read(config.board());
        } catch (ConfigFile.BadConfigException | BoardFile.BadBoardException e) {
            err.println("jambox run: " + e.getMessage());
            return 2;
        }
        Appliance box;
        ControlPlane control;
        try {
            box = Appliance.start(config, board, Backends.starter(config.audio(), err));
        } catch (Exception e) {
            err.println("jambox run: " + e.getMessage());
            return 1;
        }
        try {
            control = ControlPlane.start(box, config);
        } catch (IOException e) {
            box.close();
            err.println("jambox run: " + e.getMessage());
            return 1;
        }
        AudioInterfaceWatch card = AudioInterfaceWatch.start(AudioInterfaceWatch.file(), err,
                control.service()::setAudioInterface);
        // The JVM halts once its shutdown hooks return, so the hook itself leaves the room.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            card.close();
            control.close();
            box.close();
            stopped.countDown();
        }, "run-stop"));
        out.println("jambox: " + box.status());
        if (control.url() != null) {
            out.println("jambox: control page on port " + config.control().port());
        }
        try {
            while (!stopped.await(STATUS_SECONDS, TimeUnit.SECONDS)) {
                out.println("jambox: " + box.status());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
