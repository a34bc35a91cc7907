package jambox.protocol.message;

import java.util.ArrayList;
import java.util.List;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.Keys;
import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * The join request: echoes the challenge, names the room and the player, describes the stream it
 * will send, and ends with a proof of the room secret over everything before it.
 */
public record Join(int cookieTime, byte[] cookie, byte[] clientNonce, String room, String name,
                   List<String> labels, Codec codec, int frames, byte[] proof) {

    /** Writes the request and computes its proof with the room secret. */
    public static void write(PacketWriter w, Challenge challenge, String room, String name, List<String> labels,
                             Codec codec, int frames, byte[] secret) {
        w.begin(PacketType.JOIN).put32(challenge.time()).putBytes(challenge.cookie()).putBytes(challenge.clientNonce())
                .putString(room, Limits.ROOM_NAME).putString(name, Limits.MEMBER_NAME).put8(labels.size());
        for (String l : labels) {
            w.putString(l, Limits.CHANNEL_LABEL);
        }
        w.put8(codec.code).put16(frames);
        int from = Header.SIZE;
        w.putBytes(Keys.joinProof(secret, w.array(), from, w.position() - from));
    }

    public static Join read(PacketReader r) {
        int time = r.get32();
        byte[] cookie = r.getBytes(Keys.COOKIE_SIZE);
        byte[] nonce = r.getBytes(Keys.NONCE_SIZE);
        String room = r.getString(Limits.ROOM_NAME, "room name");
        String name = r.getString(Limits.MEMBER_NAME, "member name");
        int n = r.get8();
        if (n < 1 || n > Header.MAX_CHANNELS) {
            throw new MalformedPacketException("a member sends 1 or 2 channels, not " + n);
        }
        List<String> labels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels.add(r.getString(Limits.CHANNEL_LABEL, "channel label"));
        }
        Codec codec = Codec.of(r.get8());
        if (codec == null || !codec.isAudio()) {
            throw new MalformedPacketException("codec not supported");
        }
        int frames = r.get16();
        if (frames < Header.MIN_FRAMES || frames > Header.MAX_FRAMES) {
            throw new MalformedPacketException("frames per packet " + frames + " is outside "
                    + Header.MIN_FRAMES + ".." + Header.MAX_FRAMES);
        }
        byte[] proof = r.getBytes(Keys.PROOF_SIZE);
        r.expectEnd();
        return new Join(time, cookie, nonce, room, name, List.copyOf(labels), codec, frames, proof);
    }

    /** Whether the proof was made with this secret over the request as it arrived. */
    public static boolean proves(byte[] secret, byte[] packet, int off, int len, byte[] proof) {
        int from = off + Header.SIZE;
        int proofAt = off + len - Keys.PROOF_SIZE;
        return Keys.same(Keys.joinProof(secret, packet, from, proofAt - from), proof);
    }
}
