package net.braid.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;

/**
 * The braid handshake: Noise_IK_25519_ChaChaPoly_SHA256 (Noise spec rev 34, pattern IK) framed
 * like WireGuard's, with a MAC over each message keyed by the receiver's public key so a portal
 * rejects junk before spending a Diffie-Hellman on it. Byte layouts: docs/protocol.md §3.
 *
 * <pre>
 *   IK:  &lt;- s
 *        ...
 *        -&gt; e, es, s, ss      (payload: TAI64N timestamp, offered data ciphers)
 *        &lt;- e, ee, se         (payload: the chosen data cipher)
 * </pre>
 *
 * The response (77 bytes) is smaller than the initiation (133 bytes) and is only sent after the
 * initiation authenticated, so the handshake never amplifies.
 */
public final class Handshake {
    public static final String PROTOCOL = "Noise_IK_25519_ChaChaPoly_SHA256";
    public static final byte[] PROLOGUE = "braid v1".getBytes(StandardCharsets.US_ASCII);

    public static final byte TYPE_INITIATION = 1;
    public static final byte TYPE_RESPONSE = 2;

    public static final int INITIATION_BYTES = 133;
    public static final int RESPONSE_BYTES = 77;
    public static final int MAC_BYTES = 16;
    private static final int INIT_EPHEMERAL = 8;
    private static final int INIT_STATIC = 40;
    private static final int INIT_PAYLOAD = 88;
    private static final int INIT_MAC = 117;
    private static final int RESP_EPHEMERAL = 12;
    private static final int RESP_PAYLOAD = 44;
    private static final int RESP_MAC = 61;
    private static final byte[] MAC_LABEL = "mac1----".getBytes(StandardCharsets.US_ASCII);

    private Handshake() {}

    /** What the initiator keeps between sending the initiation and receiving the response. */
    public static final class InitiatorState {
        private final SymmetricState ss;
        private final byte[] ephemeralPrivate;
        private final byte[] localStatic;
        private final int senderIndex;
        private final int offeredSuites;

        private InitiatorState(SymmetricState ss, byte[] ephemeralPrivate, byte[] localStatic, int senderIndex, int offeredSuites) {
            this.offeredSuites = offeredSuites;
            this.ss = ss;
            this.ephemeralPrivate = ephemeralPrivate;
            this.localStatic = localStatic;
            this.senderIndex = senderIndex;
        }

        public int senderIndex() { return senderIndex; }
    }

    public record Initiation(byte[] message, InitiatorState state) {}

    /** A verified initiation: who sent it, when, and the state to answer it with. */
    public record ReceivedInitiation(byte[] remoteStatic, byte[] timestamp, int offeredSuites, int senderIndex,
                                     SymmetricState state, byte[] remoteEphemeral) {}

    public record Response(byte[] message, SessionKeys keys) {}

    public record ReceivedResponse(int senderIndex, int receiverIndex, SessionKeys keys) {}

    /** @param offeredSuites the {@link CipherSuite#bit()}s this side can use for data */
    public static Initiation initiate(KeyPair local, byte[] remoteStatic, int senderIndex, Instant now, int offeredSuites) {
        return initiate(local, remoteStatic, senderIndex, now, offeredSuites, X25519.generatePrivateKey());
    }

    /** With a given ephemeral private key: only for the test vectors of docs/protocol.md §9. */
    static Initiation initiate(KeyPair local, byte[] remoteStatic, int senderIndex, Instant now, int offeredSuites, byte[] e) {
        SymmetricState ss = start(remoteStatic);
        byte[] ePub = X25519.publicKey(e);
        ByteBuffer msg = ByteBuffer.allocate(INITIATION_BYTES);
        msg.put(TYPE_INITIATION).put((byte) 0).put((byte) 0).put((byte) 0).putInt(senderIndex);
        try {
            ss.mixHash(ePub);                                          // -> e
            msg.put(ePub);
            ss.mixKey(X25519.agree(e, remoteStatic));                  // es
            msg.put(ss.encryptAndHash(local.publicKeyRef()));          // s
            ss.mixKey(X25519.agree(local.privateKeyRef(), remoteStatic)); // ss
            msg.put(ss.encryptAndHash(initiationPayload(now, offeredSuites))); // payload
        } catch (InvalidKeyException ex) {
            throw new IllegalArgumentException("peer public key is not a valid X25519 point", ex);
        }
        byte[] out = msg.array();
        writeMac(out, INIT_MAC, remoteStatic);
        return new Initiation(out, new InitiatorState(ss, e, local.privateKeyRef(), senderIndex, offeredSuites));
    }

    /** Cheap check before any Diffie-Hellman: the MAC keyed by our public key. */
    public static boolean macValid(byte[] message, int length, byte[] localPublic) {
        int macOffset = length - MAC_BYTES;
        if (macOffset <= 0) return false;
        byte[] expected = mac(message, macOffset, localPublic);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(message, macOffset, length));
    }

    /**
     * Verifies an initiation addressed to {@code local}.
     *
     * @return the sender's identity and state, or null if the message does not authenticate
     */
    public static ReceivedInitiation consumeInitiation(KeyPair local, byte[] msg) {
        if (msg.length != INITIATION_BYTES || msg[0] != TYPE_INITIATION) return null;
        if (!macValid(msg, msg.length, local.publicKeyRef())) return null;
        SymmetricState ss = start(local.publicKeyRef());
        byte[] re = Arrays.copyOfRange(msg, INIT_EPHEMERAL, INIT_STATIC);
        try {
            ss.mixHash(re);
            ss.mixKey(X25519.agree(local.privateKeyRef(), re));
            byte[] rs = ss.decryptAndHash(Arrays.copyOfRange(msg, INIT_STATIC, INIT_PAYLOAD));
            if (rs == null) return null;
            ss.mixKey(X25519.agree(local.privateKeyRef(), rs));
            byte[] payload = ss.decryptAndHash(Arrays.copyOfRange(msg, INIT_PAYLOAD, INIT_MAC));
            if (payload == null) return null;
            int senderIndex = ByteBuffer.wrap(msg, 4, 4).getInt();
            return new ReceivedInitiation(rs, Arrays.copyOf(payload, Tai64n.BYTES), payload[Tai64n.BYTES] & 0xff,
                    senderIndex, ss, re);
        } catch (InvalidKeyException ex) {
            return null;
        }
    }

    /**
     * Answers a verified initiation; the keys are ready to use once the initiator confirms them.
     *
     * @param suite the data cipher, one the initiator offered (the response's encrypted payload)
     */
    public static Response respond(ReceivedInitiation init, int senderIndex, CipherSuite suite) {
        return respond(init, senderIndex, suite, X25519.generatePrivateKey());
    }

    /** With a given ephemeral private key: only for the test vectors of docs/protocol.md §9. */
    static Response respond(ReceivedInitiation init, int senderIndex, CipherSuite suite, byte[] e) {
        if ((init.offeredSuites() & suite.bit()) == 0) throw new IllegalArgumentException(suite + " was not offered");
        SymmetricState ss = init.state().copy();
        byte[] ePub = X25519.publicKey(e);
        ByteBuffer msg = ByteBuffer.allocate(RESPONSE_BYTES);
        msg.put(TYPE_RESPONSE).put((byte) 0).put((byte) 0).put((byte) 0)
                .putInt(senderIndex).putInt(init.senderIndex());
        try {
            ss.mixHash(ePub);                                          // <- e
            msg.put(ePub);
            ss.mixKey(X25519.agree(e, init.remoteEphemeral()));        // ee
            ss.mixKey(X25519.agree(e, init.remoteStatic()));           // se
        } catch (InvalidKeyException ex) {
            throw new IllegalArgumentException("initiator key is not a valid X25519 point", ex);
        }
        msg.put(ss.encryptAndHash(new byte[] {(byte) suite.id()}));
        byte[] out = msg.array();
        writeMac(out, RESP_MAC, init.remoteStatic());
        byte[][] keys = ss.split();
        return new Response(out, new SessionKeys(keys[1], keys[0], false, suite));
    }

    /** The receiver index of a response, to find the pending handshake it answers. */
    public static int responseReceiverIndex(byte[] msg) {
        return ByteBuffer.wrap(msg, 8, 4).getInt();
    }

    /** @return the session keys, or null if the response does not authenticate */
    public static ReceivedResponse consumeResponse(InitiatorState st, KeyPair local, byte[] msg) {
        if (msg.length != RESPONSE_BYTES || msg[0] != TYPE_RESPONSE) return null;
        if (!macValid(msg, msg.length, local.publicKeyRef())) return null;
        if (responseReceiverIndex(msg) != st.senderIndex) return null;
        SymmetricState ss = st.ss.copy();
        byte[] re = Arrays.copyOfRange(msg, RESP_EPHEMERAL, RESP_PAYLOAD);
        try {
            ss.mixHash(re);
            ss.mixKey(X25519.agree(st.ephemeralPrivate, re));          // ee
            ss.mixKey(X25519.agree(st.localStatic, re));               // se
        } catch (InvalidKeyException ex) {
            return null;
        }
        byte[] payload = ss.decryptAndHash(Arrays.copyOfRange(msg, RESP_PAYLOAD, RESP_MAC));
        if (payload == null) return null;
        CipherSuite suite = CipherSuite.byId(payload[0] & 0xff);
        if (suite == null || (st.offeredSuites & suite.bit()) == 0) return null; // not what we offered
        byte[][] keys = ss.split();
        int senderIndex = ByteBuffer.wrap(msg, 4, 4).getInt();
        return new ReceivedResponse(senderIndex, st.senderIndex, new SessionKeys(keys[0], keys[1], true, suite));
    }

    /** The initiation's payload: TAI64N timestamp, then the offered data ciphers as a bit set. */
    private static byte[] initiationPayload(Instant now, int offeredSuites) {
        byte[] p = Arrays.copyOf(Tai64n.encode(now), Tai64n.BYTES + 1);
        p[Tai64n.BYTES] = (byte) offeredSuites;
        return p;
    }

    private static SymmetricState start(byte[] responderStatic) {
        SymmetricState ss = new SymmetricState(PROTOCOL);
        ss.mixHash(PROLOGUE);
        ss.mixHash(responderStatic); // pre-message <- s
        return ss;
    }

    private static void writeMac(byte[] msg, int macOffset, byte[] receiverStatic) {
        System.arraycopy(mac(msg, macOffset, receiverStatic), 0, msg, macOffset, MAC_BYTES);
    }

    private static byte[] mac(byte[] msg, int len, byte[] receiverStatic) {
        byte[] key = Hkdf.sha256(MAC_LABEL, receiverStatic);
        return Arrays.copyOf(Hkdf.hmac(key, Arrays.copyOf(msg, len)), MAC_BYTES);
    }
}
