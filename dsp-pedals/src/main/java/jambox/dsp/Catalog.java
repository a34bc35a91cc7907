package jambox.dsp;

import java.util.List;

import jambox.dsp.pedal.Amp;
import jambox.dsp.pedal.Boost;
import jambox.dsp.pedal.Phaser;
import jambox.dsp.pedal.Distortion;
import jambox.dsp.pedal.Overdrive;
import jambox.dsp.pedal.Cabinet;
import jambox.dsp.pedal.Ir;
import jambox.dsp.pedal.Reverb;
import jambox.dsp.pedal.Chorus;
import jambox.dsp.pedal.Delay;
import jambox.dsp.pedal.Flanger;
import jambox.dsp.pedal.Looper;
import jambox.dsp.pedal.Compressor;
import jambox.dsp.pedal.NoiseGate;
import jambox.dsp.pedal.Octave;
import jambox.dsp.pedal.Equalizer;
import jambox.dsp.pedal.Tremolo;
import jambox.dsp.pedal.Wah;
import jambox.dsp.tuner.Tuner;

/** Every pedal a board can hold, in the order the page offers them. */
public final class Catalog {
    private Catalog() {
    }

    public static final List<PedalType> ALL = List.of(
            NoiseGate.TYPE,
            Wah.TYPE,
            Octave.TYPE,
            Compressor.TYPE,
            Boost.TYPE,
            Overdrive.TYPE,
            Distortion.TYPE,
            Amp.TYPE,
            Equalizer.TYPE,
            Cabinet.TYPE,
            Ir.TYPE,
            Chorus.TYPE,
            Flanger.TYPE,
            Phaser.TYPE,
            Tremolo.TYPE,
            Delay.TYPE,
            Reverb.TYPE,
            Looper.TYPE,
            Tuner.TYPE);

    /** The type with this id, or an error naming the ids there are. */
    public static PedalType byId(String id) {
        for (PedalType t : ALL) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no pedal type '" + id + "'; there are " + ALL.stream().map(PedalType::id).toList());
    }
}
