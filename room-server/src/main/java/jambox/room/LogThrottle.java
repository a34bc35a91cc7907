package jambox.room;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Says a repeated log line once, then how many more like it came, at most once per interval: a
 * flood (replies that cannot be routed, a stream of refusals) must not become a flood of log
 * lines. Lines are alike when they share a key. Event-loop only.
 */
final class LogThrottle {
    private final System.Logger log;
    private final long intervalMicros;
    private final Map<Object, Entry> entries = new HashMap<>();

    private static final class Entry {
        final System.Logger.Level level;
        final String what;
        long since;
        long more;

        Entry(System.Logger.Level level, String what, long since) {
            this.level = level;
            this.what = what;
            this.since = since;
        }
    }

    LogThrottle(System.Logger log, long intervalMicros) {
        this.log = log;
        this.intervalMicros = intervalMicros;
    }

    /**
     * Logs {@code message} unless a line with this key was logged within the interval; then it is
     * only counted. {@code what} names the kind in the summary ("replies that could not be sent").
     * Both are made only when the line is said: a counted repeat costs a map lookup, no strings.
     */
    void log(long now, Object key, System.Logger.Level level, Supplier<String> what, Supplier<String> message,
            Throwable thrown) {
        Entry e = entries.get(key);
        if (e != null) {
            e.more++;
            return;
        }
        if (entries.size() >= 64) {
            return; // a bounded set of kinds; more are dropped until the next summary
        }
        entries.put(key, new Entry(level, what.get(), now));
        if (thrown == null) {
            log.log(level, message.get());
        } else {
            log.log(level, message.get(), thrown);
        }
    }

    /** At the end of each interval: one summary line per kind that repeated, and the kinds are forgotten. */
    void flush(long now) {
        if (entries.isEmpty()) {
            return;
        }
        var it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (now - e.since < intervalMicros) {
                continue;
            }
            if (e.more > 0) {
                log.log(e.level, "{0} more {1} in the last {2} s", Long.toString(e.more), e.what,
                        Long.toString(Math.round((now - e.since) / 1e6)));
            }
            it.remove();
        }
    }
}
