package jambox.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A card image file: its MBR partitions, files on its FAT boot partition (mtools, no mounting) and
 * copies of its ext4 partitions for e2fsck and debugfs.
 */
record Card(Path file) {
    private static final Duration TOOL = Duration.ofMinutes(5);

    /** One MBR entry: type, bootable flag, first sector and length in 512-byte sectors. */
    record Partition(int number, int type, boolean bootable, long start, long sectors) {
        long offset() {
            return start * 512;
        }

        long end() {
            return (start + sectors) * 512;
        }
    }

    List<Partition> partitions() throws IOException {
        byte[] mbr = new byte[512];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.readFully(mbr);
        }
        if ((mbr[510] & 0xff) != 0x55 || (mbr[511] & 0xff) != 0xaa) {
            throw new AssertionError(file + " has no MBR signature");
        }
        ByteBuffer b = ByteBuffer.wrap(mbr).order(ByteOrder.LITTLE_ENDIAN);
        List<Partition> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int at = 446 + 16 * i;
            int type = mbr[at + 4] & 0xff;
            if (type != 0) {
                out.add(new Partition(i + 1, type, (mbr[at] & 0xff) == 0x80, Integer.toUnsignedLong(b.getInt(at + 8)),
                        Integer.toUnsignedLong(b.getInt(at + 12))));
            }
        }
        return out;
    }

    Partition partition(int number) throws IOException {
        return partitions().stream().filter(p -> p.number() == number).findFirst()
                .orElseThrow(() -> new AssertionError("no partition " + number + " on " + file));
    }

    private String fat() throws IOException {
        return file + "@@" + partition(1).offset();
    }

    /** A file from the boot partition, or null when there is none. */
    String readBoot(String name) throws IOException, InterruptedException {
        Run r = Run.of(TOOL, "mtype", "-i", fat(), "::" + name);
        return r.exit() == 0 ? r.out() : null;
    }

    void writeBoot(String name, String content) throws IOException, InterruptedException {
        Path tmp = Files.createTempFile("boot", ".txt");
        try {
            Files.writeString(tmp, content);
            Run.ok(TOOL, "mcopy", "-o", "-i", fat(), tmp.toString(), "::" + name);
        } finally {
            Files.delete(tmp);
        }
    }

    void copyFromBoot(String name, Path to) throws IOException, InterruptedException {
        Run.ok(TOOL, "mcopy", "-o", "-n", "-i", fat(), "::" + name, to.toString());
    }

    /** The FAT volume label. */
    String bootLabel() throws IOException, InterruptedException {
        return Run.ok(TOOL, "mlabel", "-s", "-i", fat(), "::").replaceAll("(?s).*Volume label is ", "").strip();
    }

    /** A copy of partition {@code number} in {@code to} (sparse), for the e2fsprogs tools. */
    Path extract(int number, Path to) throws IOException, InterruptedException {
        Partition p = partition(number);
        Run.ok(TOOL, "dd", "if=" + file, "of=" + to, "bs=1M", "iflag=skip_bytes,count_bytes", "skip=" + p.offset(),
                "count=" + p.sectors() * 512, "conv=sparse", "status=none");
        return to;
    }
}
