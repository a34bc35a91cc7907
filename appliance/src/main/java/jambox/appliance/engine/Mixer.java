package jambox.appliance.engine;

import jambox.appliance.audio.AudioBackend;
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
    private final Gain master = new Gain(1f);
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
        master.set(Gain.fromDb(db));
    }

    static void check(String what, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(what + " " + v + " is outside " + min + " .. " + max);
        }
    }

    // ---- audio thread ----

    void mixMember(int slot, int channel, float[] src, float[][] out, int n, float alpha) {
        members[slot][channel].mixInto(src, out[0], out[1], n, alpha);
    }

    /** Returns the self strip's level after the period (see {@link Strip#level}), for its meter. */
    float mixSelf(int channel, float[] src, float[][] out, int n, float alpha) {
        Strip s = self[channel];
        s.mixInto(src, out[0], out[1], n, alpha);
        return s.level();
    }

    void applyMaster(float[][] out, int n, float alpha) {
        float g0 = master.current();
        float g1 = master.step(alpha);
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
