package jambox.appliance.engine;

import jambox.appliance.audio.AudioBackend;
import jambox.dsp.Smoothed;
import jambox.protocol.message.Routing;

/**
 * The headphone mix: a strip per remote member and channel, a strip per own input channel (the
 * self-monitor), and a master gain. Strips exist for every member slot from the start, so the
 * audio thread never sees one appear.
 */
public final class Mixer {
    /** Member slots: a room holds at most 64. */
    /** Room members a box mixes: as many as the wire's routing can name. */
    public static final int MAX_MEMBERS = Routing.MAX_MEMBER;

    private final Strip[][] members = new Strip[MAX_MEMBERS][AudioBackend.CHANNELS];
    private final Strip[] self = new Strip[AudioBackend.CHANNELS];
    private final Smoothed master = Gain.smoothed(1f);
    private volatile double masterDb;

    Mixer() {
        for (Strip[] m : members) {
            for (int c = 0; c < m.length; c++) {
                m[c] = new Strip(0);
            }
        }
        for (int c = 0; c < self.length; c++) {
            self[c] = new Strip(0);
        }
    }

    /** Member slot {@code slot}'s channel {@code channel} (0 or 1). */
    public Strip member(int slot, int channel) {
        return members[slot][channel];
    }

    /** The self-monitor of own input channel {@code channel}: mixed in the same period, no delay. */
    public Strip self(int channel) {
        return self[channel];
    }

    public double masterDb() {
        return masterDb;
    }

    public void setMasterDb(double db) {
        check("master", db, -120, 12);
        masterDb = db;
        master.setTarget(Gain.fromDb(db));
    }

    static void check(String what, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(what + " " + v + " is outside " + min + " .. " + max);
        }
    }

    /** Sets the rate every gain glides at; with the engine's format, between periods. */
    void format(int sampleRate) {
        master.prepare(sampleRate);
        for (Strip[] m : members) {
            for (Strip s : m) {
                s.format(sampleRate);
            }
        }
        for (Strip s : self) {
            s.format(sampleRate);
        }
    }

    // ---- audio thread ----

    void mixMember(int slot, int channel, float[] src, float[][] out, int n) {
        members[slot][channel].mixInto(src, out[0], out[1], n);
    }

    /** Returns the self strip's level after the period (see {@link Strip#level}), for its meter. */
    float mixSelf(int channel, float[] src, float[][] out, int n) {
        Strip s = self[channel];
        s.mixInto(src, out[0], out[1], n);
        return s.level();
    }

    void applyMaster(float[][] out, int n) {
        float g0 = master.current();
        float g1 = master.next(n);
        if (g0 == 1f && g1 == 1f) {
            return;
        }
        float d = (g1 - g0) / n;
        for (float[] ch : out) {
            for (int i = 0; i < n; i++) {
                ch[i] *= g0 + d * (i + 1);
            }
        }
    }
}
