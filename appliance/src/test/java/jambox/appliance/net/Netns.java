package jambox.appliance.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to the root namespace by a veth pair: {@code 10.77.<subnet>.1/24} on
 * the root side, {@code .2} inside. Closing deletes the pair and the namespace; a JVM shutdown hook
 * does the same if the test never gets to close it.
 */
final class Netns implements AutoCloseable {
    final String name;
    final String rootIf;
    final String nsIf;
    final String rootAddress;
    final String nsAddress;
    private final Thread hook;
    private boolean closed;

    private Netns(String name, int subnet) {
        this.name = name;
        this.rootIf = name + "r";
        this.nsIf = name + "n";
        this.rootAddress = "10.77." + subnet + ".1";
        this.nsAddress = "10.77." + subnet + ".2";
        this.hook = new Thread(this::remove, "netns-cleanup-" + name);
    }

    /** Root, and {@code ip netns} works: what this class needs. */
    static boolean available() {
        try {
            return run(List.of("id", "-u")).out.strip().equals("0") && run(List.of("ip", "netns", "list")).code == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code name} is at most 14 characters (interface names get one more, the kernel allows 15). */
    static Netns create(String name, int subnet) throws IOException {
        if (name.length() > 14) {
            throw new IllegalArgumentException("namespace name too long for its interfaces: " + name);
        }
        Netns n = new Netns(name, subnet);
        Runtime.getRuntime().addShutdownHook(n.hook);
        try {
            n.check("ip", "netns", "add", name);
            n.check("ip", "link", "add", n.rootIf, "type", "veth", "peer", "name", n.nsIf, "netns", name);
            n.check("ip", "addr", "add", n.rootAddress + "/24", "dev", n.rootIf);
            n.check("ip", "link", "set", n.rootIf, "up");
            n.check("ip", "-n", name, "addr", "add", n.nsAddress + "/24", "dev", n.nsIf);
            n.check("ip", "-n", name, "link", "set", n.nsIf, "up");
            n.check("ip", "-n", name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    /**
     * Puts {@code tc qdisc ... root netem <args>} on both ends of the pair, so traffic is impaired
     * both ways. False (and nothing changed) when the kernel has no netem.
     */
    boolean netem(String args) throws IOException {
        List<String> rootSide = new ArrayList<>(List.of("tc", "qdisc", "add", "dev", rootIf, "root", "netem"));
        rootSide.addAll(List.of(args.split(" ")));
        Result r = run(rootSide);
        if (r.code != 0) {
            if (r.out.contains("unknown")) {
                return false;
            }
            throw new IOException(String.join(" ", rootSide) + ": " + r.out);
        }
        List<String> nsSide = new ArrayList<>(List.of("ip", "netns", "exec", name, "tc", "qdisc", "add", "dev", nsIf,
                "root", "netem"));
        nsSide.addAll(List.of(args.split(" ")));
        check(nsSide.toArray(String[]::new));
        return true;
    }

    /** What {@code tc} says about both ends, for the log. */
    String qdiscs() throws IOException {
        return run(List.of("tc", "qdisc", "show", "dev", rootIf)).out.strip() + " / "
                + run(List.of("ip", "netns", "exec", name, "tc", "qdisc", "show", "dev", nsIf)).out.strip();
    }

    /** {@code command} to be run inside this namespace. */
    ProcessBuilder exec(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(command);
        return new ProcessBuilder(all);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            remove();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will
            }
            closed = true;
        }
    }

    private void remove() {
        try {
            run(List.of("ip", "link", "del", rootIf)); // takes its peer with it
            run(List.of("ip", "netns", "del", name));
        } catch (IOException e) {
            System.err.println("could not remove namespace " + name + ": " + e);
        }
    }

    private void check(String... command) throws IOException {
        Result r = run(List.of(command));
        if (r.code != 0) {
            throw new IOException(String.join(" ", command) + ": " + r.out.strip());
        }
    }

    private record Result(int code, String out) {
    }

    private static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer in 20 s");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
