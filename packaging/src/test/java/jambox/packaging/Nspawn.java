package jambox.packaging;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Debian root filesystem booted with systemd as its PID 1 in systemd-nspawn, and commands run
 * inside it through nsenter. The host has no systemd (this machine is a container), so nspawn runs
 * unregistered (no machined) in the caller's own unit (--keep-unit), with a private network (only
 * the guest's loopback) or a network namespace the test made: nothing reaches or leaves the host.
 * Test threads only.
 */
final class Nspawn implements AutoCloseable {
    private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private final Path root;
    private final Process nspawn;
    private final long leader;

    private Nspawn(Path root, Process nspawn, long leader) {
        this.root = root;
        this.nspawn = nspawn;
        this.leader = leader;
    }

    /**
     * Skips (or under CI=true fails) a test of {@code what} on a machine that cannot boot guests:
     * it needs root, mmdebstrap, systemd-nspawn, nsenter and {@code moreTools}.
     */
    static void requireHost(String what, String... moreTools) {
        Shell.need(Shell.root(), what + " builds and boots root filesystems: it needs root");
        List<String> tools = new ArrayList<>(List.of("mmdebstrap", "systemd-nspawn", "nsenter"));
        tools.addAll(List.of(moreTools));
        for (String tool : tools) {
            Shell.need(Shell.onPath(tool), tool + " is not installed (apt-get install mmdebstrap systemd-container iproute2)");
        }
    }

    /** Boots {@code root} with only a loopback network; see {@link #boot(Path, Path, Path, String)}. */
    static Nspawn boot(Path root, Path share, Path console) throws IOException, InterruptedException {
        return boot(root, share, console, "--private-network");
    }

    /**
     * Boots {@code root}, with {@code share} bind-mounted read-only at /host, on {@code network}
     * (--private-network, or --network-namespace-path= a namespace the caller made); waits for
     * systemd to answer.
     */
    static Nspawn boot(Path root, Path share, Path console, String network) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("systemd-nspawn", "--quiet", "--register=no", "--keep-unit", network,
                "--directory=" + root, "--bind-ro=" + share.toAbsolutePath() + ":/host", "--boot")
                .redirectErrorStream(true).redirectOutput(console.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> init = p.toHandle().descendants()
                    .filter(h -> h.info().command().map(c -> c.endsWith("/systemd")).orElse(false)).findFirst();
            if (init.isPresent()) {
                Nspawn box = new Nspawn(root, p, init.get().pid());
                // Until systemd has set up its own bus, systemctl cannot talk to it.
                while (System.nanoTime() < deadline) {
                    if (box.sh("systemctl is-system-running >/dev/null 2>&1; [ -S /run/systemd/private ]").exit() == 0) {
                        return box;
                    }
                    Thread.sleep(200);
                }
            }
            if (!p.isAlive()) {
                fail("systemd-nspawn ended with " + p.exitValue() + ":\n" + Files.readString(console));
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("the guest's systemd did not come up in 60 s:\n" + Files.readString(console));
    }

    /** The guest's file system, as the host sees it. */
    Path path(String inGuest) {
        return root.resolve(inGuest.replaceFirst("^/+", ""));
    }

    /**
     * Runs a shell script in the guest as root, with a clean environment, from the guest's root
     * folder (nsenter keeps the host's working directory, which does not exist in the guest); 2
     * minutes at most.
     */
    Shell.Result sh(String script) {
        return sh(script, Duration.ofMinutes(2));
    }

    Shell.Result sh(String script, Duration limit) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--mount", "--uts",
                "--ipc", "--net", "--pid", "--cgroup", "--root", "--", "/usr/bin/env", "-i", PATH,
                "LANG=C.UTF-8", "/bin/sh", "-c", "cd / && " + script));
        return Shell.run(limit, cmd);
    }

    /** Runs a script that must succeed, and returns what it printed. */
    String ok(String script) {
        return sh(script).ok().out();
    }

    /** Polls {@code script} until it exits 0; fails with its last output after {@code limit}. */
    Shell.Result await(String what, String script, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Shell.Result last;
        do {
            last = sh(script);
            if (last.exit() == 0) {
                return last;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + ": not within " + limit + "\n" + last);
    }

    /** Keeps the guest's journal in {@code journal} for a post-mortem, then powers it off. */
    void close(Path journal) throws InterruptedException {
        try {
            Files.writeString(journal, sh("journalctl --no-pager -o short-monotonic").out());
        } catch (IOException | AssertionError e) {
            // the journal is for a post-mortem only: powering off matters more
        }
        close();
    }

    /** Powers the guest off the way systemd does, killing it if that takes too long. */
    @Override
    public void close() throws InterruptedException {
        if (nspawn.isAlive()) {
            sh("systemctl poweroff --no-block");
            if (!nspawn.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
                nspawn.destroyForcibly().waitFor();
            }
        }
    }
}
