package jambox.bench.room;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A peer's program (a server, a client, a jackd) started in a process group of its own with
 * {@code setsid}, its output in a log file, so that stopping it stops whatever it started too:
 * SIGTERM to the group (jackd frees its registry slot only on a clean exit), then SIGKILL.
 */
final class PeerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private PeerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** {@code core}: the core to pin it to with taskset, or -1 to inherit this process's affinity. */
    static PeerProcess start(String name, int core, List<String> command, Map<String, String> env, Path dir)
            throws IOException {
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        if (core >= 0) {
            cmd.addAll(List.of("taskset", "-c", Integer.toString(core)));
        }
        cmd.addAll(command);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().putAll(env);
        // setsid and taskset exec what they run: the pid is the program's own, and its group's.
        return new PeerProcess(name, b.start(), log);
    }

    /** Whether {@code program} is an executable on the PATH. */
    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(its log is unreadable: " + e.getMessage() + ")";
        }
    }

    /** Throws with the program's output when it has exited. */
    void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name + " exited (status " + process.exitValue() + "):\n" + tail(log(), 2000));
        }
    }

    static String tail(String s, int chars) {
        return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            signal("TERM");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                signal("KILL");
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        // Whatever it left in its group (a child that outlived it) goes too.
        signal("KILL");
    }

    private void signal(String sig) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroyForcibly();
        }
    }

    /** Stops them in reverse order of start, each fully, even when one of them fails to stop. */
    static void closeAll(List<PeerProcess> started) throws InterruptedException {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
    }
}
