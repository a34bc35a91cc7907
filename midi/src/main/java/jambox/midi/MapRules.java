package jambox.midi;

import jambox.surface.Target;
import jambox.surface.Target.Kind;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The rules a MIDI map obeys, each broken one reported as {@code "<place>: <reason>"} with the place
 * written as in midi.json ({@code bindings[2].cc}).
 */
final class MapRules {

    /** What a fader (an absolute CC) or an encoder (a relative CC) moves. */
    static final Set<Kind> VALUES = EnumSet.of(Kind.PARAM, Kind.MASTER, Kind.MONITOR);
    static final Set<Kind> RELATIVE = EnumSet.of(Kind.PARAM, Kind.MASTER, Kind.MONITOR, Kind.PRESET);
    static final Set<Kind> PRESSED = EnumSet.of(Kind.BYPASS, Kind.PRESET, Kind.TUNER, Kind.TAP);

    private MapRules() {}

    static void check(List<Binding> bindings, Programs programs) {
        if (programs == null) {
            throw bad("programs", "missing");
        }
        channel("programs.channel", programs.channel());
        number("programs.first", programs.first());
        for (int i = 0; i < bindings.size(); i++) {
            String place = "bindings[" + i + "]";
            Binding b = bindings.get(i);
            if (b == null || b.source() == null || b.target() == null) {
                throw bad(place, "needs a source and a target");
            }
            Source s = b.source();
            String field = place + "." + s.kind().jsonName();
            number(field, s.number());
            channel(place + ".channel", s.channel());
            for (int j = 0; j < i; j++) {
                if (bindings.get(j).source().overlaps(s)) {
                    throw bad(field, s + " is already bound by bindings[" + j + "] (" + bindings.get(j).source() + ")");
                }
            }
            Kind kind = b.target().kind();
            if (b.relative() != null) {
                if (s.kind() != Source.Kind.CC) {
                    throw bad(place + ".relative", "only a CC can be relative, not a " + s.kind().jsonName());
                }
                allowed(place + ".target", kind, RELATIVE, "a relative CC");
            } else if (s.kind() == Source.Kind.CC) {
                allowed(place + ".target", kind, union(VALUES, PRESSED), "a CC");
            } else {
                allowed(place + ".target", kind, PRESSED, "a " + s.kind().jsonName());
            }
            if (b.range() != null && (b.relative() != null || !VALUES.contains(kind))) {
                throw bad(place + ".range", "only an absolute CC on param, master or monitor has a range");
            }
            if (kind != Kind.PRESET ? b.preset() != Binding.NEXT : b.relative() != null && b.preset() != Binding.NEXT) {
                throw bad(place + ".preset", kind == Kind.PRESET ? "a relative CC steps presets by its turn; it names none"
                        : "only a preset target names a preset");
            }
            if (b.preset() < Binding.PREVIOUS || b.preset() > Binding.MAX_PRESET) {
                throw bad(place + ".preset", "is \"next\", \"previous\" or a number 1.." + Binding.MAX_PRESET + ", not " + b.preset());
            }
        }
    }

    private static Set<Kind> union(Set<Kind> a, Set<Kind> b) {
        Set<Kind> all = EnumSet.copyOf(a);
        all.addAll(b);
        return all;
    }

    private static void allowed(String place, Kind kind, Set<Kind> allowed, String what) {
        if (!allowed.contains(kind)) {
            throw bad(place, what + " cannot drive " + kind.jsonName() + " (it can drive "
                    + String.join(", ", allowed.stream().map(Kind::jsonName).toList()) + ")");
        }
    }

    private static void number(String place, int number) {
        if (number < 0 || number > 127) {
            throw bad(place, number + " is not 0..127");
        }
    }

    private static void channel(String place, int channel) {
        if (channel != Source.ANY && (channel < 1 || channel > 16)) {
            throw bad(place, channel + " is not a channel 1..16 (or \"any\")");
        }
    }

    private static IllegalArgumentException bad(String place, String reason) {
        return new IllegalArgumentException(place + ": " + reason);
    }
}
