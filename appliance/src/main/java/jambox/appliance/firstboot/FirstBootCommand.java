package jambox.appliance.firstboot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code jambox firstboot [--boot DIR] [--root DIR] [--serial FILE]}: applies jambox.txt from the
 * card's boot partition and writes jambox-status.txt beside it. Problems in the file are reported
 * (log and status file) and never stop the box from booting: exit 0 unless the command line is wrong.
 */
public final class FirstBootCommand {
    static final String USAGE = "usage: jambox firstboot [--boot /boot/firmware] [--root /] [--serial FILE]";

    private FirstBootCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path boot = Path.of("/boot/firmware");
        Path root = Path.of("/");
        Path serial = Path.of("/proc/device-tree/serial-number");
        for (int i = 0; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                err.println(USAGE);
                return 2;
            }
            Path value = Path.of(args.get(i + 1));
            switch (args.get(i)) {
                case "--boot" -> boot = value;
                case "--root" -> root = value;
                case "--serial" -> serial = value;
                default -> {
                    err.println(USAGE);
                    return 2;
                }
            }
        }
        try {
            FirstBoot.Outcome o = new FirstBoot(root, boot, serial).apply();
            out.println("jambox firstboot: the box is " + o.hostname());
            o.applied().forEach(a -> out.println("jambox firstboot: " + a));
            o.problems().forEach(p -> err.println("jambox firstboot: jambox.txt: " + p));
            return 0;
        } catch (IOException e) {
            err.println("jambox firstboot: " + e);
            return 1;
        }
    }
}
