package jambox.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.app.StatusCommand;
import jambox.appliance.board.BoardFile;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * The built card image, booted in QEMU as a musician would boot it in a Pi: jambox.txt on the boot
 * partition names a room on this machine (reached from the guest through QEMU's user network at
 * 10.0.2.2) and has one bad line. The guest must reach multi-user.target with no failed unit, join
 * the room, send its input (a 440 Hz tone played into snd-aloop) to a second box on this machine,
 * and write its address and the bad line into jambox-status.txt. Then the power is pulled while
 * presets are being saved, and the next boot must find every preset whole and the root clean.
 * Boot times go to out/boot.json. The built image is never written: the guest boots a copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageBootIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path OUT = Path.of(System.getProperty("jambox.image.out", "out")).toAbsolutePath();
    private static final Path APPLIANCE = Path.of(System.getProperty("jambox.appliance.dir", "../appliance/target"));
    private static final String SECRET = "image test room secret";
    private static final String PLAYER = "qemu box";
    private static final String HOST_PLAYER = "host box";
    /** QEMU emulates every arm64 instruction on a 2-core x86 host: everything takes minutes. */
    private static final Duration BOOT = Duration.ofMinutes(12);
    private static final Duration SETTLE = Duration.ofMinutes(6);
    private static final Duration CMD = Duration.ofMinutes(3);
    /**
     * Two JVM starts in a row in the guest (the card probe with its class-data archive and without),
     * on the first boot while the box itself still warms up: 104 s and 148 s in two passing CI runs,
     * and over 180 s (the limit of any other command) in the failing CI run of e386eb5; then the
     * pair did not finish in 8 minutes in stop 27's run, which failed the image on a figure. A figure
     * for docs/benchmarks.md, not a check: 4 minutes, and a pair that does not finish is recorded as
     * not measured (null in boot.json, a line in the log) instead of failing the boot.
     */
    private static final Duration PROBE_PAIR = Duration.ofMinutes(4);

    private Path work;
    private Path image;
    private Card card;
    private Path kernel;
    private Path initrd;
    private String cmdline;
    private Path key;
    private RoomServer room;
    private Process hostBox;
    private Path hostBoxConfig;
    private int badLine;
    private boolean firstBootDone;
    /** A JVM start figure did not finish in its time in some boot: the later boots skip them. */
    private boolean figuresGaveUp;
    private final ObjectNode bootJson = JSON.createObjectNode();
    private final ArrayNode boots = bootJson.putArray("boots");

    @BeforeAll
    void unpackTheImage() throws Exception {
        assertTrue(Files.isDirectory(OUT), "no " + OUT + ": build the image first (./jambox image)");
        try (Stream<Path> s = Files.list(OUT)) {
            List<Path> xz = s.filter(p -> p.getFileName().toString().matches("jambox-.*-rpi4-arm64\\.img\\.xz")).toList();
            assertEquals(1, xz.size(), "one image in " + OUT + ": " + xz);
            image = xz.get(0);
        }
        work = Path.of("target", "image-test").toAbsolutePath();
        Run.ok(CMD, "rm", "-rf", work.toString());
        Files.createDirectories(work);
        // What the player flashes: the .img.xz, checked against its .sha256 first.
        String check = Run.in(OUT, CMD, List.of("sha256sum", "--check", image.getFileName() + ".sha256")).out();
        assertTrue(check.contains(": OK"), check);
        Path img = work.resolve("card.img");
        Run.ok(Duration.ofMinutes(10), "sh", "-c", "xz -dc '" + image + "' | dd of='" + img + "' bs=1M conv=sparse status=none");
        card = new Card(img);
        kernel = work.resolve("vmlinuz");
        initrd = work.resolve("initrd.img");
        String config = card.readBoot("config.txt");
        card.copyFromBoot(value(config, "kernel"), kernel);
        card.copyFromBoot(value(config, "initramfs").split("\\s+")[0], initrd);
        cmdline = card.readBoot("cmdline.txt");
        key = work.resolve("id_ed25519");
        Run.ok(CMD, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "image test", "-f", key.toString());

        room = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0), List.of(new RoomConfig("jam", SECRET, 16)));
        bootJson.put("image", image.getFileName().toString());
        bootJson.put("qemu", "qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 (TCG: no KVM; " +
                Runtime.getRuntime().availableProcessors() + " host cores)");
    }

    @AfterAll
    void stop() throws Exception {
        if (hostBox != null) {
            hostBox.destroy();
            hostBox.waitFor(10, TimeUnit.SECONDS);
            hostBox.destroyForcibly();
        }
        if (room != null) {
            room.close();
        }
        if (!boots.isEmpty()) {
            Files.writeString(OUT.resolve("boot.json"), JSON.writeValueAsString(bootJson));
        }
    }

    @Test
    @Order(1)
    void theCardIsLaidOutForUpdatesAndBootsByLabel() throws Exception {
        List<Card.Partition> parts = card.partitions();
        assertEquals(4, parts.size(), parts.toString());
        assertEquals(0x0c, parts.get(0).type(), "1: FAT32 (LBA), the Pi's boot partition");
        assertTrue(parts.get(0).bootable());
        assertEquals("JAMBOX-BOOT", card.bootLabel());
        assertEquals(parts.get(1).sectors(), parts.get(2).sectors(), "root B is as big as root A");
        Path rootA = card.extract(2, work.resolve("root-a.ext4"));
        assertTrue(Run.ok(CMD, "dumpe2fs", "-h", rootA.toString()).contains("Filesystem volume name:   jambox-root-a"));
        assertEquals("", Run.of(CMD, "blkid", "-p", "-o", "value", "-s", "TYPE",
                card.extract(3, work.resolve("root-b.img")).toString()).out().strip(), "root B is reserved: empty");
        Files.delete(work.resolve("root-b.img"));
        Path data = card.extract(4, work.resolve("data.ext4"));
        assertTrue(Run.ok(CMD, "dumpe2fs", "-h", data.toString()).contains("Filesystem volume name:   jambox-data"));
        assertTrue(Run.ok(CMD, "dumpe2fs", "-h", data.toString()).contains("has_journal"), "the data partition is journaled");
        String archives = Run.ok(CMD, "debugfs", "-R", "ls -l /cache", data.toString());
        for (String jsa : List.of("jambox.jsa", "jack-probe.jsa")) {
            assertTrue(archives.contains(jsa), "the JVM's class-data archive " + jsa + " ships on the card: " + archives);
        }

        String fstab = Run.ok(CMD, "debugfs", "-R", "cat /etc/fstab", rootA.toString());
        assertTrue(fstab.matches("(?s).*LABEL=jambox-root-a\\s+/\\s+ext4\\s+ro,.*"), fstab);
        assertTrue(fstab.matches("(?s).*LABEL=jambox-data\\s+/var/lib/jambox\\s+ext4\\s.*"), fstab);
        assertFalse(Run.ok(CMD, "debugfs", "-R", "ls /etc/ssh", rootA.toString()).contains("ssh_host_"),
                "no SSH host keys baked into every card");
        assertTrue(cmdline.contains("root=LABEL=jambox-root-a"), cmdline);
        assertTrue(cmdline.matches("(?s).*\\bro\\b.*") && cmdline.contains("usbcore.autosuspend=-1"), cmdline);
        String config = card.readBoot("config.txt");
        assertTrue(config.contains("dtparam=audio=off"), config);
        assertTrue(card.readBoot("jambox.txt").contains("#ROOM_HOST="), "the commented jambox.txt ships on the card");

        List<String> manifest = Files.readAllLines(OUT.resolve("manifest.txt"));
        // Exactly one kernel (and the metapackage that keeps it up to date): the real-time flavour.
        List<String> kernels = manifest.stream().filter(l -> l.matches("linux-image-[0-9].*")).toList();
        assertEquals(1, kernels.size(), "exactly one kernel: " + kernels);
        assertTrue(kernels.get(0).split("\t")[0].endsWith("-rt-arm64"), kernels.toString());
        assertTrue(manifest.stream().anyMatch(l -> l.startsWith("linux-image-rt-arm64\t")), "the rt metapackage");
        assertEquals(List.of(), manifest.stream().filter(l -> l.matches("linux-image-(arm64|cloud-arm64)\t.*")).toList());
        for (String pkg : List.of("jambox", "jambox-room", "raspi-firmware", "firmware-brcm80211", "openssh-server",
                "avahi-daemon", "wpasupplicant", "jackd2", "openjdk-21-jre-headless")) {
            assertTrue(manifest.stream().anyMatch(l -> l.startsWith(pkg + "\t")), pkg + " in manifest.txt");
        }
        Files.delete(rootA);
        Files.delete(data);
    }

    @Test
    @Order(2)
    void theFirstBootJoinsTheRoomAndItsSoundReachesASecondBox() throws Exception {
        String txt = """
                # written by the image test
                ROOM_HOST=10.0.2.2
                ROOM_PORT=%d
                ROOM_NAME=jam
                ROOM_SECRET=%s
                PLAYER=%s
                TEMPO=fast
                SSH_KEY=%s
                """.formatted(room.address().getPort(), SECRET, PLAYER, Files.readString(work.resolve("id_ed25519.pub")).strip());
        badLine = txt.lines().toList().indexOf("TEMPO=fast") + 1;
        card.writeBoot("jambox.txt", txt);
        // A bigger card than the image: the data partition grows into the rest at first boot.
        long imageBytes = Files.size(card.file());
        Run.ok(CMD, "truncate", "-s", "+1G", card.file().toString());

        try (Qemu guest = Qemu.boot(card, kernel, initrd, cmdline, work.resolve("serial-1.log"), key)) {
            guest.awaitSsh(BOOT);
            String state = guest.sshOk(SETTLE, "systemctl is-system-running --wait || true").strip();
            assertEquals("running", state, "no failed unit: " + guest.ssh(CMD, "systemctl --failed --no-legend; "
                    + "systemctl list-jobs --no-legend") + guest.serialTail());
            assertEquals("active", guest.sshOk(CMD, "systemctl is-active multi-user.target").strip());
            // The serial console: systemd's status lines, then a login prompt with the box's name.
            String console = guest.serialLog().replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
            assertTrue(console.contains("Started jambox.service"), guest.serialTail());
            assertTrue(console.contains("jambox-0000 login:"), guest.serialTail());
            assertEquals("active\nactive\n", guest.sshOk(CMD, "systemctl is-active jambox-jack jambox"));
            assertEquals("jambox-0000", guest.sshOk(CMD, "hostname").strip(), "jambox-XXXX: QEMU's board has no serial");
            assertTrue(guest.sshOk(CMD, "findmnt -n -o OPTIONS /").startsWith("ro,"), "the root is read-only while playing");
            long dataMb = Long.parseLong(guest.sshOk(CMD, "df --output=size -B1M /var/lib/jambox | tail -n 1").strip());
            assertTrue(dataMb > 1000, "the data filesystem grew into the bigger card: " + dataMb + " MB");

            // The control page, through the forward.
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + guest.pagePort + "/")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().toLowerCase(java.util.Locale.ROOT).contains("jambox"), page.body());

            // A second box on this machine joins the same room and must hear the guest's guitar:
            // a 440 Hz tone into snd-aloop's other side, which the box records as its guitar. snd-aloop
            // links the two sides: the tone must have JACK's format, rate, channel count and
            // non-interleaved access, or JACK's next start of the card (after an xrun) fails with an
            // I/O error. aplay -I takes one file per channel: the tone on the first, silence on the rest.
            Path tone = work.resolve("tone.raw");
            java.nio.ByteBuffer pcm = java.nio.ByteBuffer.allocate(48000 * 2 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 48000 * 2; i++) {
                pcm.putFloat((float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 48000.0)));
            }
            Files.write(tone, pcm.array());
            guest.copyIn(tone, "/run/image-test-tone.raw");
            guest.sshOk(CMD, "ch=$(awk '/^channels/{print $2}' /proc/asound/Loopback/pcm0c/sub0/hw_params);"
                    + " files=/run/image-test-tone.raw; i=1; while [ $i -lt $ch ]; do files=\"$files /dev/zero\"; i=$((i+1)); done;"
                    + " systemd-run --unit=image-test-tone sh -c \"while :; do aplay -q -D hw:Loopback,1 -I -t raw -f FLOAT_LE"
                    + " -r 48000 -c $ch $files; sleep 0.1; done\"");
            startHostBox();
            Path guestView = work.resolve("guest-view.json");
            Files.writeString(guestView, "{\"version\": 1, \"control\": {\"port\": " + guest.pagePort + ", \"bind\": \"127.0.0.1\"}}");
            JsonNode inRoom = awaitStatus("the guest box in room 'jam' hearing the host box", guestView,
                    s -> s.at("/room/joined").asBoolean() && hears(s, HOST_PLAYER, -200));
            assertEquals("jam", inRoom.at("/room/room").asText(), inRoom.toString());
            JsonNode heard = awaitStatus("the host box hearing the guest's tone above -40 dBFS", hostBoxConfig,
                    s -> hears(s, PLAYER, -40));
            System.out.println("[image] the host box hears the guest: " + heard);

            boots.add(times(guest, "first boot (applies jambox.txt, grows the data partition, makes SSH host keys)"));
            guest.poweroff(Duration.ofMinutes(4));
        } finally {
            stopHostBox();
        }

        String status = card.readBoot("jambox-status.txt");
        assertTrue(status != null && status.contains("10.0.2.15"), "the box's address on the card: " + status);
        assertTrue(status.contains("jambox-0000"), status);
        assertTrue(status.contains("line " + badLine), "the bad line is reported: " + status);
        String scrubbed = card.readBoot("jambox.txt");
        assertFalse(scrubbed.contains(SECRET), "the room secret is off the card: " + scrubbed);
        assertTrue(scrubbed.contains("TEMPO=fast"), "the bad line is left for the player to fix: " + scrubbed);
        Card.Partition data = card.partition(4);
        // To the card's end, give or take the alignment growpart (sfdisk) keeps: under 1 MiB.
        long left = Files.size(card.file()) - data.end();
        assertTrue(left >= 0 && left < 1L << 20, "the data partition fills the card: " + left + " bytes left after it");
        assertTrue(data.end() - imageBytes > 1000L << 20, "grown by the card's extra gigabyte: " + data);
        firstBootDone = true;
    }

    @Test
    @Order(3)
    void pullingThePowerDuringPresetSavesLosesNothingSaved() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(firstBootDone, "the first boot failed: no point in the next ones");
        List<String> acknowledged = new ArrayList<>();
        try (Qemu guest = Qemu.boot(card, kernel, initrd, cmdline, work.resolve("serial-2.log"), key)) {
            guest.awaitSsh(BOOT);
            assertEquals("running", guest.sshOk(SETTLE, "systemctl is-system-running --wait || true").strip(),
                    guest.ssh(CMD, "systemctl --failed --no-legend").toString());
            boots.add(times(guest, "second boot (jambox.txt unchanged: no JVM before JACK)"));
            savePresetsUntilThePowerIsPulled(guest, acknowledged);
        }
        assertTrue(acknowledged.size() >= 3, "saves before the power went: " + acknowledged);

        // The root was read-only: no repair needed, not even a journal to replay.
        Path rootA = card.extract(2, work.resolve("root-a.ext4"));
        Run fsck = Run.of(CMD, "e2fsck", "-f", "-n", rootA.toString());
        assertEquals(0, fsck.exit(), "root A needs no repair after the power cut: " + fsck);
        assertTrue(Run.ok(CMD, "dumpe2fs", "-h", rootA.toString()).contains("Filesystem state:         clean"));
        Files.delete(rootA);

        try (Qemu guest = Qemu.boot(card, kernel, initrd, cmdline, work.resolve("serial-3.log"), key)) {
            guest.awaitSsh(BOOT);
            assertEquals("running", guest.sshOk(SETTLE, "systemctl is-system-running --wait || true").strip(),
                    guest.ssh(CMD, "systemctl --failed --no-legend").toString());
            assertEquals("active\nactive\n", guest.sshOk(CMD, "systemctl is-active jambox-jack jambox"));
            boots.add(times(guest, "boot after the power cut"));
            guest.poweroff(Duration.ofMinutes(4));
        }
        // Every preset on the data partition parses with the box's own reader; every save the box
        // acknowledged is there.
        Path data = card.extract(4, work.resolve("data.ext4"));
        Run fsckData = Run.of(CMD, "e2fsck", "-f", "-n", data.toString());
        assertEquals(0, fsckData.exit(), "the data partition is clean after a clean shutdown: " + fsckData);
        Path presets = work.resolve("presets");
        Run.ok(CMD, "debugfs", "-R", "rdump /presets " + work, data.toString());
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(presets)) {
            for (Path p : s.sorted().toList()) {
                names.add(BoardFile.read(p).name());
            }
        }
        for (String a : acknowledged) {
            assertTrue(names.contains(a), "acknowledged save '" + a + "' survived the power cut: " + names);
        }
        System.out.println("[image] " + names.size() + " presets parse after the power cut; acknowledged: " + acknowledged);
        Files.delete(data);
    }

    /**
     * Saves presets through the page's WebSocket, one after the other, and pulls the power (kills
     * QEMU) while a save is in flight, after at least five were acknowledged.
     */
    private void savePresetsUntilThePowerIsPulled(Qemu guest, List<String> acknowledged) throws Exception {
        Map<Integer, JsonNode> replies = new ConcurrentHashMap<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60))
                .buildAsync(URI.create("ws://127.0.0.1:" + guest.pagePort + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                JsonNode m = JSON.readTree(text.toString());
                                if (m.has("id")) {
                                    replies.put(m.get("id").asInt(), m);
                                }
                            } catch (IOException e) {
                                // not ours to judge here
                            }
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(60, TimeUnit.SECONDS);
        int pullAfter = 5 + new java.util.Random().nextInt(4);
        for (int id = 1; ; id++) {
            String name = "power cut " + id;
            ws.sendText("{\"v\":1,\"id\":" + id + ",\"cmd\":\"preset.save\",\"name\":\"" + name + "\"}", true).get(60, TimeUnit.SECONDS);
            if (acknowledged.size() >= pullAfter) {
                Thread.sleep(new java.util.Random().nextInt(50));
                guest.kill();
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!replies.containsKey(id) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            JsonNode reply = replies.get(id);
            assertTrue(reply != null && reply.path("type").asText().equals("reply"), "save " + id + ": " + reply);
            acknowledged.add(name);
        }
    }

    /** Kernel start to jambox.service active and to its first audio period, from the guest's monotonic clock. */
    private ObjectNode times(Qemu guest, String which) throws Exception {
        ObjectNode t = JSON.createObjectNode().put("boot", which);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String line = "";
        while (System.nanoTime() < deadline && line.isEmpty()) {
            line = guest.sshOk(CMD, "journalctl -b -u jambox.service -o short-monotonic --no-pager"
                    + " | grep 'first audio period' | head -n 1 || true").strip();
            if (line.isEmpty()) {
                Thread.sleep(5000);
            }
        }
        Matcher m = Pattern.compile("^\\[\\s*([0-9.]+)\\].*first audio period (\\d+) ms").matcher(line);
        assertTrue(m.find(), "the box says when its first audio period ran: '" + line + "'");
        for (String unit : List.of("jambox-firstboot", "jambox-jack", "jambox")) {
            long us = Long.parseLong(activeSince(guest, unit));
            t.put("kernelTo_" + unit.replace('-', '_') + "_activeMs", us / 1000);
        }
        t.put("kernelToFirstAudioPeriodMs", Math.round(Double.parseDouble(m.group(1)) * 1000));
        t.put("jvmStartToFirstAudioPeriodMs", Long.parseLong(m.group(2)));
        t.put("systemdAnalyze", guest.sshOk(CMD, "systemd-analyze time || true").strip());
        // How much slower than this machine the emulated CPU is, for the estimate of a Pi's figures
        // (docs/benchmarks.md): the same short JVM command here and in the guest.
        long[] version = figure(guest, CMD, "jambox --version in the guest", which,
                "a=$(date +%s%N); jambox --version >/dev/null; b=$(date +%s%N); echo $(((b - a) / 1000000))", 1);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long hostStart = System.nanoTime();
        Run.ok(CMD, java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", APPLIANCE.resolve("jambox-appliance.jar")
                + ":" + APPLIANCE.resolve("lib") + "/*", "jambox.appliance.Main", "--version");
        long hostNanos = System.nanoTime() - hostStart;
        putFigure(t, "jamboxVersionGuestMs", version, 0);
        t.put("jamboxVersionHostMs", hostNanos / 1_000_000);
        // What the class-data archive shipped on the card saves: the card probe with it and without.
        long[] probe = figure(guest, PROBE_PAIR, "the card probe pair", which, "a=$(date +%s%N);"
                + " JAMBOX_CDS=/var/lib/jambox/cache/jack-probe.jsa jambox jack-probe >/dev/null 2>&1; b=$(date +%s%N);"
                + " jambox jack-probe >/dev/null 2>&1; c=$(date +%s%N); echo $(((b - a) / 1000000)) $(((c - b) / 1000000))", 2);
        putFigure(t, "jackProbeMsWithArchive", probe, 0);
        putFigure(t, "jackProbeMsWithoutArchive", probe, 1);
        System.out.println("[image] " + t);
        return t;
    }

    /**
     * A figure for docs/benchmarks.md, not a check: the {@code count} whole numbers {@code command}
     * prints in the guest, or null when it did not finish within {@code limit} (then boot.json has
     * null and the log says so). In stop 27's runs a JVM start in the guest, with the box playing
     * in the room, took over 3 minutes (3-5 s before). Once one figure has not finished, every
     * later one is skipped, in this boot and the next: two that time out cost 7 minutes a boot, and
     * three boots of that would take the suite past its time.
     */
    private long[] figure(Qemu guest, Duration limit, String what, String which, String command, int count)
            throws IOException, InterruptedException {
        if (figuresGaveUp) {
            System.out.println("[image] " + what + " was skipped (" + which + "): a figure before it did not finish");
            return null;
        }
        Run r = guest.ssh(limit, command);
        String[] f = r.out().strip().split("\\s+");
        if (r.exit() == 0 && f.length == count && Stream.of(f).allMatch(x -> x.matches("\\d+"))) {
            return Stream.of(f).mapToLong(Long::parseLong).toArray();
        }
        figuresGaveUp = true;
        System.out.println("[image] " + what + " was not measured (" + which + "): exit " + r.exit() + " within " + limit);
        return null;
    }

    /** {@code figure[i]} under {@code name}, or null when the figure was not measured. */
    private static void putFigure(ObjectNode t, String name, long[] figure, int i) {
        if (figure == null) {
            t.putNull(name);
        } else {
            t.put(name, figure[i]);
        }
    }

    /**
     * When {@code unit} became active, in microseconds of the guest's monotonic clock. systemctl asks
     * systemd over D-Bus, and in the emulated guest under load the answer can take longer than the
     * call's 25 s ("Failed to get properties: Connection timed out", once, 841 s into a run): a
     * longer bus timeout, and up to three tries.
     */
    private static String activeSince(Qemu guest, String unit) throws Exception {
        String ask = "SYSTEMD_BUS_TIMEOUT=120 systemctl show -p ActiveEnterTimestampMonotonic --value " + unit + ".service";
        for (int attempt = 1; ; attempt++) {
            try {
                return guest.sshOk(CMD, ask).strip();
            } catch (AssertionError | RuntimeException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("[image] systemctl show " + unit + ", try " + attempt + " of 3: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                Thread.sleep(5000);
            }
        }
    }

    private void startHostBox() throws Exception {
        hostBoxConfig = work.resolve("host-box.json");
        Files.writeString(hostBoxConfig, """
                {"version": 1,
                 "audio": {"backend": "simulated"},
                 "room": {"host": "127.0.0.1", "port": %d, "name": "jam", "secret": "%s", "player": "%s"},
                 "control": {"port": %d, "bind": "127.0.0.1", "data": "%s"}}
                """.formatted(room.address().getPort(), SECRET, HOST_PLAYER, Qemu.freePort(), work.resolve("host-box-data")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        hostBox = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                APPLIANCE.resolve("jambox-appliance.jar") + ":" + APPLIANCE.resolve("lib") + "/*",
                "jambox.appliance.Main", "run", "--config", hostBoxConfig.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("host-box.log").toFile()).start();
    }

    private void stopHostBox() throws InterruptedException {
        if (hostBox != null) {
            hostBox.destroy();
            if (!hostBox.waitFor(10, TimeUnit.SECONDS)) {
                hostBox.destroyForcibly();
            }
            hostBox = null;
        }
    }

    /** `jambox status --json` against the box whose control port {@code config} names. */
    private static JsonNode awaitStatus(String what, Path config, Predicate<JsonNode> ok) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = StatusCommand.run(List.of("--config", config.toString(), "--json", "--timeout", "20"),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            last = exit + " " + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            if (exit == 0) {
                JsonNode s = JSON.readTree(out.toByteArray());
                if (ok.test(s)) {
                    return s;
                }
            }
            Thread.sleep(2000);
        }
        throw new AssertionError(what + ": not within " + SETTLE + "; last status: " + last);
    }

    private static boolean hears(JsonNode status, String player, double aboveDbfs) {
        for (JsonNode m : status.path("members")) {
            if (m.path("name").asText().equals(player) && m.path("hearing").asBoolean()
                    && m.path("peakDbfs").isNumber() && m.path("peakDbfs").asDouble() > aboveDbfs) {
                return true;
            }
        }
        return false;
    }

    /** {@code key=value} (or {@code key value}) from config.txt. */
    private static String value(String config, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "[= ](\\S.*)$").matcher(config);
        assertTrue(m.find(), key + " in config.txt:\n" + config);
        return m.group(1).strip();
    }
}
