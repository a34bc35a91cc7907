package jambox.dsp;

/** {@code docs/pedals.md}, generated from the catalog's descriptors so the doc cannot drift from the code. */
public final class PedalDocs {
    private PedalDocs() {
    }

    private static final int DOC_RATE = 48000;

    private static String latency(PedalType t) {
        double s = t.latencySamples();
        return s == 0 ? "0 samples" : String.format(java.util.Locale.ROOT, "%s samples (%.2f ms)",
                s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s), 1000 * s / DOC_RATE);
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Pedals\n\n")
          .append("<!-- Generated from the pedal descriptors by `./jambox docs`; do not edit by hand. -->\n\n")
          .append("Every pedal works on one input channel's 64-frame blocks at the box's sample rate. What holds for all of them:\n\n")
          .append("- **Smooth parameters.** A new value glides there (time constant ")
          .append(Math.round(Param.SMOOTHING_SECONDS * 1000)).append(" ms) on the audio thread: no zipper noise, no clicks.\n")
          .append("- **Click-free bypass.** Bypassing crossfades over ").append(Math.round(Pedal.FADE_SECONDS * 1000))
          .append(" ms; a bypassed pedal costs nothing and passes its input untouched. ")
          .append("Inserting, removing, moving pedals and loading a board fade the pedals concerned out and in.\n")
          .append("- **Safe output.** Nothing non-finite or denormal leaves a pedal, and the output is bounded to +-")
          .append(Math.round(Pedal.OUTPUT_LIMIT)).append(" (+36 dBFS); a pedal whose state is poisoned by a bad sample starts over.\n")
          .append("- **Levels.** A pedal does not protect the ears: it may put out far more than full scale. The box's safety ")
          .append("limiter, after the mix and the master, holds the headphones under -1 dB true peak (README.md, ")
          .append("\"Levels and the safety limiter\"). The factory presets are level-matched on the demo riff without it ")
          .append("(docs/presets.md).\n")
          .append("- **Mix law** (pedals with `mix`): dry gain = min(1, 2 (1 - mix)), wet gain = min(1, 2 mix), so 50 % is both at full level.\n")
          .append("- **Knobs.** A hardware knob's travel maps to a parameter by its taper: linear, log (equal ratios) or dB.\n")
          .append("- **Latency** is the pure delay a pedal adds while engaged (`latencySamples` in the state's catalog), ")
          .append("measured by its test; a bypassed pedal adds none. Its filters' phase, as in any analog pedal, is not counted. ")
          .append("Milliseconds here are at ").append(DOC_RATE / 1000).append(" kHz.\n\n")
          .append("| id | pedal | parameters | latency |\n|---|---|---|---|\n");
        for (PedalType t : Catalog.ALL) {
            md.append("| [`").append(t.id()).append("`](#").append(t.id()).append(") | ").append(t.name()).append(" | ")
              .append(String.join(", ", t.params().stream().map(ParamSpec::id).toList())).append(" | ")
              .append(latency(t)).append(" |\n");
        }
        for (PedalType t : Catalog.ALL) {
            md.append("\n## ").append(t.id()).append("\n\n**").append(t.name()).append(".** ").append(t.description()).append("\n\n")
              .append("*Implementation:* ").append(t.implementation()).append("\n\n")
              .append("*Latency:* ").append(latency(t)).append(".\n\n")
              .append("| parameter | name | range | default | taper |\n|---|---|---|---|---|\n");
            for (ParamSpec p : t.params()) {
                String range = p.isChoice() ? String.join(" / ", p.choices()) : p.format(p.min()) + " .. " + p.format(p.max());
                md.append("| `").append(p.id()).append("` | ").append(p.name()).append(" | ").append(range).append(" | ")
                  .append(p.format(p.defaultValue())).append(" | ").append(p.taper().name().toLowerCase()).append(" |\n");
            }
        }
        return md.toString();
    }
}
