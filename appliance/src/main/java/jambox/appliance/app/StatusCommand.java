package jambox.appliance.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.config.ConfigFile;

/**
 * {@code jambox status}: how the running box is doing, for a person on the Pi over SSH or a
 * script. It asks the box itself, as a client of its control WebSocket: the config file says
 * where that listens and with which PIN. Every wait ends by {@code --timeout}.
 *
 * <p>Exit status: 0 the box answered; 1 it did not answer properly (wrong PIN, time out, ...);
 * 2 bad usage or a bad config file; 3 nothing listens: the box is not running.
 */
public final class StatusCommand {
    static final String USAGE = "usage: jambox status [--config FILE] [--json] [--timeout SECONDS]";
    private static final Path DEFAULT_CONFIG = Path.of("/etc/jambox/jambox.json");
    private static final int NOT_RUNNING = 3;
    private static final double DEFAULT_TIMEOUT_SECONDS = 3;
    /** What the box's CPU figure is measured over. */
    private static final long CPU_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private StatusCommand() {
    }

    /** Failures that end the command: a one-line message and an exit status. */
    private static final class Failed extends Exception {
        final int status;

        Failed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Runs the command on the calling thread, which it holds for at most the timeout (and a moment to close). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path configFile = DEFAULT_CONFIG;
        boolean json = false;
        double timeout = DEFAULT_TIMEOUT_SECONDS;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--config") && i + 1 < args.size()) {
                configFile = Path.of(args.get(++i));
            } else if (a.equals("--timeout") && i + 1 < args.size()) {
                String s = args.get(++i);
                if (!s.matches("[0-9]{1,4}(\\.[0-9]{1,3})?") || Double.parseDouble(s) == 0) {
                    err.println("jambox status: --timeout: expected seconds above 0 (e.g. 3 or 0.5), found '" + s + "'");
                    err.println(USAGE);
                    return 2;
                }
                timeout = Double.parseDouble(s);
            } else {
                err.println("jambox status: unexpected argument " + a);
                err.println(USAGE);
                return 2;
            }
        }
        ApplianceConfig.Control control;
        try {
            control = ConfigFile.read(configFile).control();
        } catch (ConfigFile.BadConfigException e) {
            err.println("jambox status: " + e.getMessage());
            return 2;
        }
        try {
            if (control.port() == 0) {
                throw new Failed(1, "the box serves no control page (control.port is 0 in " + configFile
                        + "), so there is nothing to ask");
            }
            ObjectNode facts = ask(control, configFile, timeout);
            if (json) {
                out.println(facts.toString());
            } else {
                StatusReport.lines(facts, "none came within " + seconds(timeout)).forEach(out::println);
            }
            return 0;
        } catch (Failed e) {
            err.println(e.status == NOT_RUNNING ? e.getMessage() : "jambox status: " + e.getMessage());
            return e.status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("jambox status: interrupted");
            return 1;
        }
    }

    private static ObjectNode ask(ApplianceConfig.Control control, Path configFile, double timeout)
            throws Failed, InterruptedException {
        String address = address(control);
        URI uri = socketUri(address, control, configFile);
        long deadline = System.nanoTime() + (long) (timeout * 1e9);
        ControlClient box;
        try {
            box = ControlClient.connect(uri, deadline);
        } catch (TimeoutException | HttpTimeoutException e) {
            throw new Failed(1, "nothing answered on " + address + " within " + seconds(timeout));
        } catch (WebSocketHandshakeException e) {
            throw new Failed(1, address + " answers, but not as a jambox control page (HTTP "
                    + e.getResponse().statusCode() + ")");
        } catch (IOException e) {
            if (refused(e)) {
                throw new Failed(NOT_RUNNING, "jambox: not running (nothing answers on " + address + ")");
            }
            throw new Failed(1, "cannot reach " + address + ": " + e);
        }
        String waitingFor = "greeting";
        try (box) {
            if (box.push("hello", deadline).path("pinRequired").asBoolean()) {
                if (control.pin() == null) {
                    throw new Failed(1, "the box asks for a PIN, and " + configFile + " has none (control.pin)");
                }
                waitingFor = "answer to the PIN";
                ObjectNode login = ControlClient.JSON.createObjectNode().put("cmd", "login").put("pin", control.pin());
                JsonNode answer = box.answer(box.send(login, deadline), deadline);
                if (answer.has("error")) {
                    throw new Failed(1, "the box refused the PIN in " + configFile + ": " + answer.get("error").asText());
                }
            }
            waitingFor = "state";
            JsonNode state = box.push("state", deadline).get("state");
            waitingFor = "system report";
            ObjectNode system = system(box, deadline);
            // The box's CPU figure covers the time since anyone last asked, and the first ask
            // ever gets 0: ask again after a known while, if the timeout leaves room for it.
            long again = System.nanoTime() + CPU_WINDOW_NANOS;
            if (deadline - again > CPU_WINDOW_NANOS) {
                TimeUnit.NANOSECONDS.sleep(CPU_WINDOW_NANOS);
                system = system(box, deadline);
            } else {
                system.putNull("processCpuPercent");
            }
            JsonNode meters;
            try {
                meters = box.push("meters", deadline);
            } catch (TimeoutException e) {
                meters = null; // the rest is known: say so, and that the levels are not
            }
            return StatusReport.facts(address, state, system, meters);
        } catch (TimeoutException e) {
            throw new Failed(1, address + " took the connection but sent no " + waitingFor + " within " + seconds(timeout));
        } catch (ControlClient.ClosedException e) {
            throw new Failed(1, e.getMessage() + " before its " + waitingFor);
        } catch (IOException e) {
            throw new Failed(1, "talking to " + address + ": " + e);
        }
    }

    private static ObjectNode system(ControlClient box, long deadline)
            throws Failed, IOException, TimeoutException, InterruptedException {
        JsonNode answer = box.answer(box.send(ControlClient.JSON.createObjectNode().put("cmd", "system"), deadline),
                deadline);
        if (!answer.path("system").isObject()) {
            throw new Failed(1, "the box would not report: " + answer.path("error").asText(answer.toString()));
        }
        return (ObjectNode) answer.get("system");
    }

    /** The config file takes any text as control.bind (the box finds out when it binds): check it here. */
    private static URI socketUri(String address, ApplianceConfig.Control control, Path configFile) throws Failed {
        try {
            URI uri = new URI("ws://" + address + "/ws");
            if (uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // said below
        }
        throw new Failed(2, configFile + ": control.bind: '" + control.bind() + "' is not a host name or address");
    }

    /** Where the page listens as seen from this machine: loopback when it listens everywhere. */
    static String address(ApplianceConfig.Control control) {
        String host = control.bind();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + control.port();
    }

    /**
     * Refused: nobody listens there. The JDK's connect time-out also carries a ConnectException,
     * inside its HttpConnectTimeoutException, which {@link #ask} has caught before asking this.
     */
    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(double s) {
        return (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)) + " s";
    }
}
