package jambox.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command on this machine and returns what it said; the test's one way to start programs. */
record Run(int exit, String out, String err) {

    static Run of(Duration limit, String... command) throws IOException, InterruptedException {
        return in(null, limit, List.of(command));
    }

    static Run in(Path dir, Duration limit, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path outFile = java.nio.file.Files.createTempFile("run", ".out");
        Path errFile = java.nio.file.Files.createTempFile("run", ".err");
        try {
            Process p = pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Run(-1, read(outFile), read(errFile) + "\n(killed after " + limit + ")");
            }
            return new Run(p.exitValue(), read(outFile), read(errFile));
        } finally {
            java.nio.file.Files.deleteIfExists(outFile);
            java.nio.file.Files.deleteIfExists(errFile);
        }
    }

    /** Runs and insists on exit status 0; returns standard output. */
    static String ok(Duration limit, String... command) throws IOException, InterruptedException {
        Run r = of(limit, command);
        if (r.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + r);
        }
        return r.out;
    }

    private static String read(Path file) throws IOException {
        return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
