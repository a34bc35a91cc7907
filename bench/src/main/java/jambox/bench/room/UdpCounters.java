package jambox.bench.room;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    UdpCounters minus(UdpCounters o) {
        return new UdpCounters(in - o.in, noPorts - o.noPorts, inErrors - o.inErrors, out - o.out,
                rcvbufErrors - o.rcvbufErrors);
    }

    /** Datagrams the kernel dropped on receipt: full socket buffers (counted in InErrors) and closed ports. */
    long dropped() {
        return inErrors + noPorts;
    }
}
