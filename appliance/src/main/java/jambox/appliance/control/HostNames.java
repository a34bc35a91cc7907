package jambox.appliance.control;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The names the box answers to, so that a page on another site cannot reach it by pointing its
 * own name at the box (DNS rebinding: the browser then sends that site's name as {@code Host}, and
 * takes the box's answers for the site's own). The box is: any of its own IP addresses, written as
 * such; {@code localhost}; {@code jambox.local} (jambox-mdns publishes it); the machine's host
 * name, bare and with {@code .local} (avahi publishes that); the address it is bound to when that
 * is a name; and the names in the config's {@code control.hosts} (a name the home router's DNS
 * gives the box, say).
 */
final class HostNames {
    /** The name jambox-mdns publishes for the one box on the network. */
    static final String MDNS_NAME = "jambox.local";
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private final Set<String> configured;
    private final Supplier<String> hostname;

    HostNames(Collection<String> configured, Supplier<String> hostname) {
        this.configured = new LinkedHashSet<>();
        for (String name : configured) {
            this.configured.add(normal(name));
        }
        this.hostname = hostname;
    }

    /** The box's names with {@code extra} ones (the config's), and {@code bind} when it is a name. */
    static HostNames of(Collection<String> extra, String bind) {
        Set<String> names = new LinkedHashSet<>(extra);
        if (bind != null && literal(normal(bind)) == null && !bind.contains(":")) {
            names.add(bind);
        }
        return new HostNames(names, HostNames::kernelHostname);
    }

    /**
     * Whether {@code host} (a {@code Host} header's name or address, without the port: see
     * {@link #hostOf}) is this box, reached on {@code local}.
     */
    boolean answersTo(String host, InetAddress local) {
        String h = normal(host);
        InetAddress ip = literal(h);
        if (ip != null) {
            return ip.isLoopbackAddress() || ip.equals(local) || isOwnAddress(ip);
        }
        if (h.equals("localhost") || h.equals(MDNS_NAME) || configured.contains(h)) {
            return true;
        }
        String own = hostname.get();
        if (own == null || own.isBlank()) {
            return false;
        }
        own = normal(own);
        return h.equals(own) || h.equals(own + ".local");
    }

    /** The name or address in a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]:port}); null when it is not one. */
    static String hostOf(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        String host;
        String port;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = h.substring(0, end + 1);
            String rest = h.substring(end + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return null;
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = h.indexOf(':');
            host = colon < 0 ? h : h.substring(0, colon);
            port = colon < 0 ? null : h.substring(colon + 1);
        }
        if (port != null && !port.matches("[0-9]{1,5}")) {
            return null;
        }
        if (host.startsWith("[") ? literal(host) == null : !host.matches("[A-Za-z0-9._-]{1,253}")) {
            return null;
        }
        return host;
    }

    /** Lower case, without the trailing dot of a fully qualified name. */
    private static String normal(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The address an IP literal ({@code 192.168.1.20}, {@code [fe80::1]}) stands for; null for a name. Never asks DNS. */
    static InetAddress literal(String host) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
            if (!h.matches("[0-9a-fA-F:.]+") || !h.contains(":")) {
                return null;
            }
        } else if (!h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return null;
        } else {
            for (String part : h.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(h); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isOwnAddress(InetAddress ip) {
        try {
            return NetworkInterface.getByInetAddress(ip) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** The machine's name as the kernel has it now (the first boot may have set a new one); null if unknown. */
    static String kernelHostname() {
        try {
            return Files.readString(KERNEL_HOSTNAME).strip();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? null : env.strip();
        }
    }
}
