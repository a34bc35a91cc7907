package jambox.appliance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import jambox.appliance.app.JackProbeCommand;
import jambox.appliance.app.RunCommand;
import jambox.appliance.app.StatusCommand;
import jambox.appliance.app.Version;
import jambox.appliance.firstboot.FirstBootCommand;
import jambox.appliance.render.DemoCommand;
import jambox.appliance.render.RenderCommand;
import jambox.common.AtomicFiles;
import jambox.dsp.PedalDocs;

/** The Java side of {@code ./jambox}: one subcommand per job. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("jambox: expected a command: run, status, version, jack-probe, firstboot, demo, render or docs");
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "render" -> RenderCommand.run(rest, out, err);
            case "demo" -> DemoCommand.run(rest, out, err);
            case "run" -> RunCommand.run(rest, out, err);
            case "status" -> StatusCommand.run(rest, out, err);
            case "version", "--version" -> Version.run(rest, out, err);
            case "jack-probe" -> JackProbeCommand.run(rest, out, err);
            case "firstboot" -> FirstBootCommand.run(rest, out, err);
            case "docs" -> docs(rest, out, err);
            default -> {
                err.println("jambox: unknown command '" + args[0] + "'");
                yield 2;
            }
        };
    }

    private static int docs(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 1) {
            err.println("usage: jambox docs OUT.md");
            return 2;
        }
        try {
            AtomicFiles.write(Path.of(args.get(0)), PedalDocs.markdown().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println("jambox docs: " + e.getMessage());
            return 1;
        }
        out.println("wrote " + args.get(0));
        return 0;
    }
}
