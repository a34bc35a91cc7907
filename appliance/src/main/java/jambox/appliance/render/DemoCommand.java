package jambox.appliance.render;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.sound.sampled.AudioFormat;

import jambox.appliance.app.DefaultBoard;
import jambox.appliance.app.LiveDemo;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.appliance.sim.Riff;

/**
 * {@code jambox demo}: the box on any laptop. Plain, the whole path live ({@link LiveDemo});
 * with {@code --out}, a built-in riff through the default board into a WAV file to listen to.
 */
public final class DemoCommand {
    static final String USAGE = "usage: jambox demo [--seconds N] [--port N] [--data DIR] [--jack] [--verbose]"
            + " | jambox demo --out FILE.wav";
    static final float RATE = 48000f;

    private DemoCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path target = null;
        long seconds = 0;
        int port = LiveDemo.PAGE_PORT;
        Path data = null;
        boolean jack = false, verbose = false;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--out") && i + 1 < args.size()) {
                target = Path.of(args.get(++i));
            } else if (args.get(i).equals("--seconds") && i + 1 < args.size() && args.get(i + 1).matches("[1-9][0-9]{0,6}")) {
                seconds = Long.parseLong(args.get(++i));
            } else if (args.get(i).equals("--port") && i + 1 < args.size() && args.get(i + 1).matches("[0-9]{1,5}")
                    && Integer.parseInt(args.get(i + 1)) <= 65535) {
                port = Integer.parseInt(args.get(++i));
            } else if (args.get(i).equals("--data") && i + 1 < args.size()) {
                data = Path.of(args.get(++i));
            } else if (args.get(i).equals("--jack")) {
                jack = true;
            } else if (args.get(i).equals("--verbose")) {
                verbose = true;
            } else {
                err.println("jambox demo: unexpected argument " + args.get(i));
                err.println(USAGE);
                return 2;
            }
        }
        if (target == null) {
            return LiveDemo.run(new LiveDemo.Settings(seconds, port, data, jack, verbose), out, err);
        }
        BoardSpec board;
        try {
            board = DefaultBoard.load();
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println("jambox demo: " + e.getMessage());
            return 1;
        }
        float[] riff = Riff.render(RATE, 8, 100);
        float[][] result = Render.renderRingingOut(new float[][] {riff}, RATE, board);
        try {
            Wav.write(target, new AudioFormat(RATE, 24, 1, true, false), result);
        } catch (IOException e) {
            err.println("jambox demo: cannot write " + target + ": " + e.getMessage());
            return 1;
        }
        out.println("board '" + board.name() + "': " + board.channel(0).stream().map(PedalSpec::type).collect(Collectors.joining(" -> ")));
        out.printf(Locale.ROOT, "wrote %s: %.1f s of a plucked riff through the board, 48 kHz mono, peak %.1f dBFS%n",
                target.toAbsolutePath(), result[0].length / RATE, Render.peakDb(result));
        out.println("listen: aplay " + target + "   (or open it in any audio player)");
        return 0;
    }
}
