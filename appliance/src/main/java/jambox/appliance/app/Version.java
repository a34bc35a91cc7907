package jambox.appliance.app;

import java.io.PrintStream;
import java.util.List;

/**
 * The version the box was built as, and {@code jambox --version}. It comes from the appliance
 * jar's manifest ({@code Implementation-Version}, written by Maven from the project's version), so
 * it is never typed twice; run from class folders (tests, an IDE) there is no manifest to say.
 */
public final class Version {
    /** What is reported when the classes were not loaded from the built jar. */
    public static final String UNKNOWN = "unknown";
    static final String USAGE = "usage: jambox --version";

    private Version() {
    }

    /** The project version, e.g. "0.1.0-SNAPSHOT", or {@link #UNKNOWN}. Any thread. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? UNKNOWN : v;
    }

    /** {@code jambox --version} (or {@code jambox version}): one line, {@code jambox VERSION}. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        out.println("jambox " + current());
        return 0;
    }
}
