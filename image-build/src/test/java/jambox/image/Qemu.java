package jambox.image;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The card booted in {@code qemu-system-aarch64 -M virt -cpu cortex-a72}: the image's own kernel
 * and initrd, the card as a virtio disk, user-mode networking with forwards from the host to the
 * guest's page (80) and SSH (22) only, snd-aloop as the sound card, the serial console in a file.
 */
final class Qemu implements AutoCloseable {
    final Process process;
    final Path serial;
    final int pagePort;
    final int sshPort;
    private final Path key;

    private Qemu(Process process, Path serial, int pagePort, int sshPort, Path key) {
        this.process = process;
        this.serial = serial;
        this.pagePort = pagePort;
        this.sshPort = sshPort;
        this.key = key;
    }

    /**
     * Boots {@code card} (written to: pass a copy). {@code cmdline} is the card's cmdline.txt: the
     * test adds the serial console, snd-aloop and systemd's status lines.
     */
    static Qemu boot(Card card, Path kernel, Path initrd, String cmdline, Path serial, Path key) throws IOException {
        int page = freePort();
        int ssh = freePort();
        String append = cmdline.strip().replaceAll("console=\\S+", "").replaceAll("\\s+", " ")
                + " console=ttyAMA0,115200 modules-load=snd-aloop systemd.show_status=1";
        List<String> cmd = new ArrayList<>(List.of("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72",
                "-smp", "2", "-m", "2048", "-nographic", "-monitor", "none", "-no-reboot",
                "-serial", "file:" + serial,
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", append,
                "-drive", "file=" + card.file() + ",if=none,id=card,format=raw,cache=writeback",
                "-device", "virtio-blk-pci,drive=card",
                "-netdev", "user,id=net,hostfwd=tcp:127.0.0.1:" + page + "-:80,hostfwd=tcp:127.0.0.1:" + ssh + "-:22",
                "-device", "virtio-net-pci,netdev=net,romfile=",
                "-device", "virtio-rng-pci"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(serial.resolveSibling(serial.getFileName() + ".qemu").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new Qemu(p, serial, page, ssh, key);
    }

    /**
     * A command in the guest, as root over SSH (the key jambox.txt gave the box). The emulated guest
     * can be too busy to answer the handshake in time: a failed connection (ssh's status 255) is
     * tried again, a few times, while QEMU runs.
     */
    Run ssh(Duration limit, String command) throws IOException, InterruptedException {
        Run r = null;
        for (int attempt = 0; attempt < 4 && process.isAlive(); attempt++) {
            r = Run.in(null, limit, List.of("ssh", "-i", key.toString(), "-p", String.valueOf(sshPort),
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                    "-o", "ConnectTimeout=60", "-o", "BatchMode=yes", "root@127.0.0.1", command));
            if (r.exit() != 255) {
                return r;
            }
            Thread.sleep(2000);
        }
        return r == null ? new Run(255, "", "QEMU is not running") : r;
    }

    /** Copies a file from this machine into the guest. */
    void copyIn(Path from, String to) throws IOException, InterruptedException {
        Run r = Run.in(null, Duration.ofMinutes(3), List.of("scp", "-q", "-i", key.toString(), "-P", String.valueOf(sshPort),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=60", "-o", "BatchMode=yes", from.toString(), "root@127.0.0.1:" + to));
        if (r.exit() != 0) {
            throw new AssertionError("scp " + from + " to the guest failed: " + r);
        }
    }

    String sshOk(Duration limit, String command) throws IOException, InterruptedException {
        Run r = ssh(limit, command);
        if (r.exit() != 0) {
            throw new AssertionError("in the guest: " + command + " failed: " + r + "\n" + serialTail());
        }
        return r.out();
    }

    /** Waits until SSH answers (the box is up far enough to have applied jambox.txt and started sshd). */
    void awaitSsh(Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Run last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("QEMU stopped (exit " + process.exitValue() + ")\n" + serialTail());
            }
            last = ssh(Duration.ofSeconds(60), "true");
            if (last.exit() == 0) {
                return;
            }
            Thread.sleep(3000);
        }
        throw new AssertionError("no SSH within " + limit + ": " + last + "\n" + serialTail());
    }

    /** A clean shutdown from inside; waits for QEMU to end. */
    void poweroff(Duration limit) throws IOException, InterruptedException {
        ssh(Duration.ofSeconds(60), "systemctl poweroff");
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the guest did not power off within " + limit + "\n" + serialTail());
        }
    }

    /** Pulls the power: QEMU is killed, nothing in the guest gets a say. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String serialLog() {
        try {
            return Files.exists(serial) ? Files.readString(serial, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(serial log unreadable: " + e + ")";
        }
    }

    String serialTail() {
        String s = serialLog();
        return "--- serial console (last 6000 characters)\n" + s.substring(Math.max(0, s.length() - 6000));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
