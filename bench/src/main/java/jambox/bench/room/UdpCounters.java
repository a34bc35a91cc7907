package jambox.bench.room;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The kernel's UDP counters of this network namespace, from /proc/net/snmp. When the bench runs in
 * a network namespace of its own (the launcher's {@code unshare -n}), every datagram they count is
 * one to or from the server under test or its clients; in the machine's namespace they count
 * everyone's traffic too.
 */
record UdpCounters(long in, long noPorts, long inErrors, long out, long rcvbufErrors) {

    static UdpCounters read() throws IOException {
        List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream()
                .filter(l -> l.startsWith("Udp: ")).toList();
        if (udp.size() < 2) {
            throw new IOException("/proc/net/snmp has no Udp counters");
        }
        String[] names = udp.get(0).split("\\s+");
        String[] values = udp.get(1).split("\\s+");
        Map<String, Long> m = new HashMap<>();
        for (int i = 1; i < Math.min(names.length, values.length); i++) {
            m.put(names[i], Long.parseLong(values[i]));
        }
        return new UdpCounters(m.getOrDefault("InDatagrams", 0L), m.getOrDefault("NoPorts", 0L),
                m.getOrDefault("InErrors", 0L), m.getOrDefault("OutDatagrams", 0L),
                m.getOrDefault("RcvbufErrors", 0L));
    }

    /**
     * How many datagrams the kernel has dropped at each UDP socket of this namespace (the last
     * column of /proc/net/udp and udp6, by socket inode): for telling a server's drops from its clients'.
     */
    static Map<Long, Long> dropsBySocket() throws IOException {
        Map<Long, Long> drops = new HashMap<>();
        for (String file : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 13) {
                    drops.merge(Long.parseLong(f[9]), Long.parseLong(f[f.length - 1]), Long::sum);
                }
            }
        }
        return drops;
    }

    /** The inodes of the sockets process {@code pid} holds open. */
    static Set<Long> socketsOf(long pid) throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        }
        return inodes;
    }

    UdpCounters minus(UdpCounters o) {
        return new UdpCounters(in - o.in, noPorts - o.noPorts, inErrors - o.inErrors, out - o.out,
                rcvbufErrors - o.rcvbufErrors);
    }

    /** Datagrams the kernel dropped on receipt: full socket buffers (counted in InErrors) and closed ports. */
    long dropped() {
        return inErrors + noPorts;
    }
}
