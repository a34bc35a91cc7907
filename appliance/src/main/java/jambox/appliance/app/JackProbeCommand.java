package jambox.appliance.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jambox.appliance.audio.AudioInterface;
import jambox.appliance.audio.CardProbe;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.config.ConfigFile;
import jambox.common.AtomicFiles;

/**
 * {@code jambox jack-probe [--config FILE] [--asound DIR] [--out FILE]}: picks the sound card for
 * jackd ({@link CardProbe}) and prints jackd's driver arguments on one line, for the
 * jambox-jack unit's {@code exec jackd -R -P 70 $args}. Whatever it finds, it prints a line and
 * exits 0 (no card: the dummy driver), so JACK and then the box start and can tell the player what
 * is wrong; only bad usage fails. Why it chose what it did goes to stderr, the journal, and with
 * {@code --out} to a file the box reads.
 */
public final class JackProbeCommand {
    static final String USAGE = "usage: jambox jack-probe [--config FILE] [--asound DIR] [--out FILE]";
    private static final Set<String> OPTIONS = Set.of("--config", "--asound", "--out");

    private JackProbeCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!OPTIONS.contains(args.get(i)) || i + 1 >= args.size() || given.put(args.get(i), args.get(i + 1)) != null) {
                err.println(USAGE);
                return 2;
            }
        }
        Path configFile = Path.of(given.getOrDefault("--config", "/etc/jambox/jambox.json"));
        ApplianceConfig.Audio audio;
        try {
            audio = ConfigFile.read(configFile).audio();
        } catch (ConfigFile.BadConfigException e) {
            // JACK must start all the same: the box then starts too and shows the player the mistake.
            err.println("jambox jack-probe: " + e.getMessage() + " (probing with the built-in audio settings)");
            audio = ApplianceConfig.Audio.DEFAULT;
        }
        AudioInterface chosen = CardProbe.choose(Path.of(given.getOrDefault("--asound", "/proc/asound")), audio);
        err.println("jambox jack-probe: " + chosen.explain());
        if (given.containsKey("--out")) {
            Path file = Path.of(given.get("--out"));
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                AtomicFiles.write(file, chosen.toJson());
            } catch (IOException e) {
                err.println("jambox jack-probe: cannot write " + file + " (" + e.getMessage()
                        + "): the box will not know which card JACK runs on");
            }
        }
        out.println(String.join(" ", chosen.jackdArguments()));
        return 0;
    }
}
