package jambox.appliance.render;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;

/**
 * {@code jambox render IN.wav OUT.wav --board BOARD.json [--tail SECONDS]}. Without {@code --tail}
 * the boards ring out after the input until they fall silent ({@link Render#renderRingingOut}): a
 * reverb cut short ends the file with a click.
 */
public final class RenderCommand {
    static final String USAGE = "usage: jambox render IN.wav OUT.wav --board BOARD.json [--tail SECONDS]";
    static final double MAX_TAIL = 60;

    private RenderCommand() {
    }

    /** Exit status: 0 done, 2 bad arguments or input files, 1 the output could not be written. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<>();
        String board = null;
        double tail = -1; // -1: ring out
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value = null;
            String flag = a;
            if (a.startsWith("--") && a.contains("=")) {
                flag = a.substring(0, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            }
            switch (flag) {
                case "--board", "--tail" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            return usage(err, flag + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    if (flag.equals("--board")) {
                        board = value;
                    } else {
                        try {
                            tail = Double.parseDouble(value);
                        } catch (NumberFormatException e) {
                            tail = Double.NaN;
                        }
                        if (!(tail >= 0 && tail <= MAX_TAIL)) {
                            return usage(err, "--tail takes seconds from 0 to " + (int) MAX_TAIL + ", not '" + value + "'");
                        }
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (a.startsWith("-") && a.length() > 1) {
                        return usage(err, "unknown option " + a);
                    }
                    files.add(a);
                }
            }
        }
        if (files.size() != 2) {
            return usage(err, "expected an input and an output WAV file");
        }
        if (board == null) {
            return usage(err, "--board BOARD.json is required");
        }
        Path inPath = Path.of(files.get(0)), outPath = Path.of(files.get(1));
        BoardSpec spec;
        Wav.Audio in;
        try {
            spec = BoardFile.read(Path.of(board));
            in = Wav.read(inPath);
        } catch (BoardFile.BadBoardException | Wav.BadWavException e) {
            err.println("jambox render: " + e.getMessage());
            return 2;
        }
        if (inPath.toAbsolutePath().normalize().equals(outPath.toAbsolutePath().normalize())) {
            return usage(err, "the output would overwrite the input");
        }
        float[][] result = tail >= 0 ? Render.render(in.channels(), in.sampleRate(), spec, tail)
                : Render.renderRingingOut(in.channels(), in.sampleRate(), spec);
        int clipped;
        try {
            clipped = Wav.write(outPath, in.format(), result);
        } catch (IOException e) {
            err.println("jambox render: cannot write " + outPath + ": " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "rendered %s -> %s: %d channel(s), %.2f s at %.0f Hz through '%s' (%s), peak %.1f dBFS%s%n",
                inPath, outPath, result.length, result[0].length / in.sampleRate(), in.sampleRate(),
                spec.name().isEmpty() ? board : spec.name(), tail(tail, in.channels()[0].length, result, in.sampleRate()),
                Render.peakDb(result),
                clipped > 0 ? ", " + clipped + " samples clipped (lower a level, or render to 32-bit float)" : "");
        return 0;
    }

    /** What the tail was: asked for, rung out to silence, or cut at the cap. */
    static String tail(double asked, int inputFrames, float[][] result, float sampleRate) {
        double seconds = (result[0].length - inputFrames) / sampleRate;
        if (asked >= 0) {
            return String.format(Locale.ROOT, "a %.2f s tail as asked", seconds);
        }
        if (seconds >= Render.MAX_TAIL_SECONDS) {
            return String.format(Locale.ROOT, "the tail cut at %.0f s: the board never fell below %.0f dBFS",
                    Render.MAX_TAIL_SECONDS, Render.SILENCE_DBFS);
        }
        return String.format(Locale.ROOT, "a %.2f s tail, rung out to below %.0f dBFS", seconds, Render.SILENCE_DBFS);
    }

    private static int usage(PrintStream err, String problem) {
        err.println("jambox render: " + problem);
        err.println(USAGE);
        return 2;
    }
}
