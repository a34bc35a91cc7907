package jambox.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two boxes on one network: two booted trixie systems with the jambox package, each in a network
 * namespace of this test's own, joined by a veth pair (10.23.0.1 and 10.23.0.2; nothing else is
 * on that wire). Only one of them may be jambox.local; each is its own HOSTNAME.local; when the
 * holder goes, the other takes the name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MdnsNameIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String[] NAMES = {"jambox-a", "jambox-b"};
    private static final String[] ADDRESSES = {"10.23.0.1", "10.23.0.2"};
    private static final String[] NETNS = {"jambox-mdns-a", "jambox-mdns-b"};

    private Path work;
    private final List<Nspawn> boxes = new ArrayList<>();

    @BeforeAll
    void twoBoxesOnOneWire() throws IOException, InterruptedException {
        Nspawn.requireHost("the mDNS test", "ip");
        work = Path.of("target/mdns").toAbsolutePath();
        Path share = Debs.share(work, Debs.box());
        deleteNamespaces();
        for (int i = 0; i < 2; i++) {
            ip("netns", "add", NETNS[i]);
        }
        ip("link", "add", "jbmdns-a", "netns", NETNS[0], "type", "veth", "peer", "name", "jbmdns-b", "netns", NETNS[1]);
        for (int i = 0; i < 2; i++) {
            String dev = i == 0 ? "jbmdns-a" : "jbmdns-b";
            ip("-n", NETNS[i], "addr", "add", ADDRESSES[i] + "/24", "dev", dev);
            ip("-n", NETNS[i], "link", "set", dev, "up");
            ip("-n", NETNS[i], "link", "set", "lo", "up");
            // The box finds its address by the default route, as on a home network.
            ip("-n", NETNS[i], "route", "add", "default", "dev", dev);
        }
        for (int i = 0; i < 2; i++) {
            Path root = Rootfs.build(work.resolve(NAMES[i]), Debs.allDepends());
            Files.writeString(root.resolve("etc/hostname"), NAMES[i] + "\n");
            // Try again every 3 s, not every minute, so the hand-over fits in a test.
            Path dropIn = Files.createDirectories(root.resolve("etc/systemd/system/jambox-mdns.service.d"));
            Files.writeString(dropIn.resolve("test.conf"), "[Service]\nEnvironment=JAMBOX_MDNS_RETRY=3\n");
            boxes.add(Nspawn.boot(root, share, work.resolve(NAMES[i] + ".log"),
                    "--network-namespace-path=/run/netns/" + NETNS[i]));
        }
        for (Nspawn box : boxes) {
            box.await("systemd up", "systemctl is-system-running --wait >/dev/null; true", WAIT);
            box.ok("DEBIAN_FRONTEND=noninteractive apt-get install -y -q /host/deb/" + Debs.box().getFileName());
            box.await("jambox-mdns active", "systemctl is-active --quiet jambox-mdns", WAIT);
        }
    }

    @AfterAll
    void powerOff() throws InterruptedException {
        for (int i = 0; i < boxes.size(); i++) {
            boxes.get(i).close(work.resolve(NAMES[i] + "-journal.txt"));
        }
        deleteNamespaces();
        if (work != null) {
            for (String name : NAMES) {
                Shell.deleteTree(work.resolve(name));
            }
        }
    }

    @Test
    @Order(1)
    void exactlyOneBoxIsJamboxLocalAndEachIsItsOwnName() throws InterruptedException {
        String holder = resolve(0, "jambox.local");
        assertTrue(holder.equals(ADDRESSES[0]) || holder.equals(ADDRESSES[1]), holder);
        assertEquals(holder, resolve(1, "jambox.local"), "both boxes see the same jambox.local");
        int other = holder.equals(ADDRESSES[0]) ? 1 : 0;
        boxes.get(other).await("the other box says the name is not its own",
                "journalctl -u jambox-mdns -o cat | grep -q 'jambox.local is not ours'", WAIT);
        for (int i = 0; i < 2; i++) {
            assertEquals(ADDRESSES[1 - i], resolve(i, NAMES[1 - i] + ".local"), "each box is its own HOSTNAME.local");
        }
    }

    @Test
    @Order(2)
    void whenTheHolderLeavesTheOtherBoxTakesTheName() throws InterruptedException {
        int holder = resolve(0, "jambox.local").equals(ADDRESSES[0]) ? 0 : 1;
        boxes.get(holder).ok("systemctl stop jambox-mdns");
        int other = 1 - holder;
        boxes.get(other).await("jambox.local moves to the other box", "avahi-resolve -4 -n jambox.local | grep -q '"
                + ADDRESSES[other].replace(".", "\\.") + "$'", WAIT);
    }

    private String resolve(int box, String name) throws InterruptedException {
        String out = boxes.get(box).await(name + " resolves", "avahi-resolve -4 -n " + name + " | grep .", WAIT).out();
        return out.trim().split("\\s+")[1];
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Shell.run(Duration.ofSeconds(20), cmd).ok();
    }

    private static void deleteNamespaces() {
        for (String ns : NETNS) {
            Shell.run(Duration.ofSeconds(20), List.of("ip", "netns", "del", ns));
        }
    }
}
