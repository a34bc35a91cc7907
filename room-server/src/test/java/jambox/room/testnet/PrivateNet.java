package jambox.room.testnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * A fresh network namespace with nothing in it but its own loopback, and a way to run test code
 * inside it: the code runs on a new thread that has joined the namespace ({@code setns} is per
 * thread), so every socket it opens, and every thread it starts, lives there. Forged packets sent
 * from inside cannot reach anything outside. Closing deletes the namespace; a JVM shutdown hook
 * does the same if a test never gets to close it.
 */
public final class PrivateNet implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private final String name;
    private final Thread hook;
    private boolean closed;

    private PrivateNet(String name) {
        this.name = name;
        this.hook = new Thread(this::delete, "netns-cleanup-" + name);
    }

    /** Null when this machine can run these tests (root, {@code ip netns}, raw sockets); else why not. */
    public static String unavailable() {
        try {
            if (!run(List.of("id", "-u")).strip().equals("0")) {
                return "needs root (ip netns, raw sockets)";
            }
            Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "'ip netns' does not work here";
            }
            LibC.INSTANCE.getClass(); // loads libc through JNA
            return null;
        } catch (IOException | UnsatisfiedLinkError | InterruptedException e) {
            return "cannot check for network namespaces: " + e;
        }
    }

    /** A new namespace called {@code name}-pid, its loopback up. */
    public static PrivateNet create(String name) throws IOException {
        PrivateNet n = new PrivateNet(name + "-" + ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(n.hook);
        try {
            check("ip", "netns", "add", n.name);
            check("ip", "-n", n.name, "link", "set", "lo", "up");
        } catch (IOException e) {
            n.close();
            throw e;
        }
        return n;
    }

    /** Runs {@code body} on a thread inside the namespace and returns what it returns (or throws what it throws). */
    public <T> T run(Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                int fd = LibC.INSTANCE.open("/var/run/netns/" + name, O_RDONLY);
                if (fd < 0) {
                    throw new IOException("cannot open namespace " + name + ": errno " + Native.getLastError());
                }
                int rc = LibC.INSTANCE.setns(fd, CLONE_NEWNET);
                int errno = Native.getLastError();
                LibC.INSTANCE.close(fd);
                if (rc != 0) {
                    throw new IOException("cannot enter namespace " + name + ": errno " + errno);
                }
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "in-" + name);
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception x) {
            throw x;
        }
        if (e instanceof Error x) {
            throw x;
        }
        return result.get();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            delete();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will
            }
        }
    }

    private void delete() {
        try {
            run(List.of("ip", "netns", "del", name));
        } catch (IOException e) {
            System.err.println("could not delete namespace " + name + ": " + e);
        }
    }

    private static void check(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
