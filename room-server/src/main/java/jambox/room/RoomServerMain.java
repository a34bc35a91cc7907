package jambox.room;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code ./jambox room}: the room server from the command line, as systemd starts it. */
public final class RoomServerMain {
    static final String USAGE = """
            usage: ./jambox room [OPTIONS]

              --rooms FILE            rooms from a JSON file: {"version": 1, "rooms": [{"name": "jam",
                                      "secret": "at least 8 bytes", "capacity": 16}]}
              --room NAME:SECRET[:N]  a room from the command line (repeatable; capacity N, default 16)
              --mix-room NAME:SECRET[:N]
                                      the same, a room the server mixes for: each member gets one
                                      stream, the mix of the others, in the codec it joined with
              --port PORT             UDP port for players (default 7891; 0: any free one)
              --bind ADDRESS          listen on this address only (default: every address, IPv4 and IPv6)
              --status-port PORT      HTTP /status and /metrics (default 7892; 0 turns it off)
              --status-bind ADDRESS   address of the status page (default 127.0.0.1)
              --timeout-ms MS         a silent member leaves after this long (default 1000)
              --record-dir DIR        where room recordings go (default ./recordings)
              --max-pps N             packets a second one member may send (default 4000)
              --batch-us US           pause this long after each read so more packets share a
                                      datagram: fewer packets a second, up to US more latency (default 0)
              --help                  this text

            At least one room is needed. A bad room in the file is reported and skipped.
            """;

    private RoomServerMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, true);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses, starts, and (when {@code block}) serves until the process is stopped. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        ServerConfig config = ServerConfig.defaults();
        List<RoomConfig> rooms = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    out.print(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a.startsWith("--") && USAGE.contains(a + " ")
                            ? a + " needs a value" : "unknown option '" + a + "'");
                }
                String v = args[++i];
                switch (a) {
                    case "--rooms" -> {
                        RoomsFile.Loaded loaded = RoomsFile.read(Path.of(v));
                        loaded.problems().forEach(p -> err.println("jambox room: skipped: " + p));
                        rooms.addAll(loaded.rooms());
                    }
                    case "--room" -> rooms.add(RoomConfig.parse(v));
                    case "--mix-room" -> rooms.add(RoomConfig.parse(v, "--mix-room").mixed());
                    case "--port" -> config = config.withPort(port(a, v));
                    case "--bind" -> config = config.withBind(address(a, v));
                    case "--status-port" -> config = config.withStatusPort(port(a, v));
                    case "--status-bind" -> config = config.withStatusBind(address(a, v));
                    case "--timeout-ms" -> config = config.withTimeoutMillis(number(a, v, 100, 600_000));
                    case "--record-dir" -> config = config.withRecordDir(Path.of(v));
                    case "--batch-us" -> config = config.withBatchMicros(number(a, v, 0, 5000));
                    case "--max-pps" -> config = config.withMaxPacketsPerSecond(number(a, v, 100, 1_000_000));
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (rooms.isEmpty()) {
                throw new IllegalArgumentException("no rooms: give --rooms FILE or --room NAME:SECRET");
            }
            Set<String> names = new HashSet<>();
            for (RoomConfig r : rooms) {
                if (!names.add(r.name())) {
                    throw new IllegalArgumentException("room '" + r.name() + "' is given twice");
                }
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("jambox room: " + e.getMessage());
            err.println("(./jambox room --help for the options)");
            return 2;
        }
        RoomServer server;
        try {
            server = RoomServer.start(config, rooms);
        } catch (IOException e) {
            err.println("jambox room: " + e.getMessage());
            return 1;
        }
        out.println("jambox room server on UDP " + Member.format(server.address()) + " with " + rooms
                + (server.statusAddress() == null ? "" : "; status: http://" + Member.format(server.statusAddress())
                + "/status"));
        out.flush();
        if (!block) {
            server.close();
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "room-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** 0 asks the system for a free port (tests, benchmarks); the port taken is printed. */
    private static int port(String option, String v) {
        return number(option, v, 0, 65535);
    }

    private static int number(String option, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    private static InetAddress address(String option, String v) {
        if (!v.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException(option + " takes a numeric IPv4 or IPv6 address, got '" + v + "'");
        }
        try {
            return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is not an address");
        }
    }
}
