package jambox.packaging;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands with a time limit and keeps what they print. Test threads only. */
final class Shell {
    private Shell() {
    }

    /** What a finished command printed, and how it ended. */
    record Result(List<String> command, int exit, String out, String err) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError(this + "");
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Result run(Duration limit, List<String> command) {
        return run(limit, command, null);
    }

    /** Runs {@code command}, feeding it {@code stdin} if not null; a command past its limit is killed and fails. */
    static Result run(Duration limit, List<String> command, String stdin) {
        try {
            Path out = Files.createTempFile("jambox-sh", ".out");
            Path err = Files.createTempFile("jambox-sh", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin == null) {
                    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                }
                Process p = pb.start();
                if (stdin != null) {
                    try (var in = p.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor();
                    throw new AssertionError(String.join(" ", command) + ": still running after " + limit
                            + "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
                }
                return new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Deletes a folder and everything in it (a root filesystem holds files only root may touch). */
    static void deleteTree(Path dir) {
        run(Duration.ofMinutes(2), List.of("rm", "-rf", dir.toString())).ok();
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Skips the test when this machine cannot run it, except under CI=true, where it fails:
     * CI must not pass by skipping. {@code ./jambox test} installs every tool these tests need.
     */
    static void need(boolean condition, String why) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(why + "; CI=true, so this fails instead of skipping");
        }
        assumeTrue(false, why + ": skipped (./jambox test, as root, installs what it needs)");
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
