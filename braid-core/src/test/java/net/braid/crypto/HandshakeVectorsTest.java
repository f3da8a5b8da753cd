package net.braid.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handshake test vectors of docs/protocol.md §9.2–9.3, computed with the production code and
 * compared byte for byte with the literals here and with the hex blocks printed in the document.
 * Static keys are Alice's and Bob's from RFC 7748 §6.1; the initiator offers both data ciphers and
 * the responder chooses AES-256-GCM (§3.4).
 */
class HandshakeVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static final Map<String, String> VECTORS = new LinkedHashMap<>();

    static {
        VECTORS.put("initiator-static-private", "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        VECTORS.put("initiator-static-public", "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        VECTORS.put("responder-static-private", "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        VECTORS.put("responder-static-public", "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        VECTORS.put("initiator-ephemeral-private", "2020202020202020202020202020202020202020202020202020202020202060");
        VECTORS.put("initiator-ephemeral-public", "06453fcd9cef5a1f53acc4f942104c0c8e9e27d5c7b37f5507cdcd1628105963");
        VECTORS.put("responder-ephemeral-private", "3030303030303030303030303030303030303030303030303030303030303070");
        VECTORS.put("responder-ephemeral-public", "e50c239bc204f1341664c9d9c50c6a0d0fff6fc79d9301f1e713aab2e0344b3f");
        VECTORS.put("timestamp", "40000000683c40ca0754d4c0");
        VECTORS.put("h-after-premessage", "5f51c168a870cf2b182c6922a40a9c103f0b38e97ee4fcdaaf9b8ad995f72bc1");
        VECTORS.put("initiation-payload", "40000000683c40ca0754d4c0" + "03");
        VECTORS.put("response-payload", "01");
        VECTORS.put("initiation", "010000000a0b0c0d"
                + "06453fcd9cef5a1f53acc4f942104c0c8e9e27d5c7b37f5507cdcd1628105963"
                + "8245e5290190fa18cf60a7f8aca94aae1e7acd50737f2ab4db6d3e0e3f9ca538a7f09a7e2f429965e2e1baff0472324e"
                + "55d0eaf2c5e48ef34706651d33db6dfe68e8589d85a1ebc8b9065ff991"
                + "1357e6165fe1e8db2a717350b8397bbf");
        VECTORS.put("initiation-mac1-key", "d72268aac669a817f0c53c7d0b70582fb2a78904bd23b5dd2ae28f8b13ec7dc5");
        VECTORS.put("response", "020000001f2e3d4c0a0b0c0d"
                + "e50c239bc204f1341664c9d9c50c6a0d0fff6fc79d9301f1e713aab2e0344b3f"
                + "3e7befb56ca5705beb4414ef31d1f9d4b2"
                + "4209076ba409c86280f35afcb5ab36d5");
        VECTORS.put("response-mac1-key", "0f8b0e862153257e90de5dbac9081f3c2373a886fc5eedd9ae7ae7b069c18d07");
        VECTORS.put("key-initiator-to-responder", "baa53b56fe78ed588a6862fba65e8b4a0fcf4101522a927bec2bce13226110e1");
        VECTORS.put("key-responder-to-initiator", "e9514eaf130c426c6b0008d577ea425b9147397478d82b25170e12c41d3ed88b");
    }

    private static final int INITIATOR_INDEX = 0x0a0b0c0d;
    private static final int RESPONDER_INDEX = 0x1f2e3d4c;
    private static final int OFFER = CipherSuite.CHACHA20_POLY1305.bit() | CipherSuite.AES_256_GCM.bit();
    /** The sub-millisecond digits must not reach the wire (Tai64n rounds down to whole ms). */
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.123456789Z");

    private final KeyPair initiator = KeyPair.fromPrivate(v("initiator-static-private"));
    private final KeyPair responder = KeyPair.fromPrivate(v("responder-static-private"));

    private static byte[] v(String name) {
        return HEX.parseHex(VECTORS.get(name));
    }

    private Handshake.Initiation initiation() {
        return Handshake.initiate(initiator, responder.publicKey(), INITIATOR_INDEX, NOW, OFFER, v("initiator-ephemeral-private"));
    }

    private Handshake.ReceivedInitiation received() {
        return Handshake.consumeInitiation(responder, v("initiation"));
    }

    @Test
    void publicKeysFollowFromPrivateKeys() {
        assertThat(initiator.publicKey()).isEqualTo(v("initiator-static-public"));
        assertThat(responder.publicKey()).isEqualTo(v("responder-static-public"));
        assertThat(X25519.publicKey(v("initiator-ephemeral-private"))).isEqualTo(v("initiator-ephemeral-public"));
        assertThat(X25519.publicKey(v("responder-ephemeral-private"))).isEqualTo(v("responder-ephemeral-public"));
    }

    @Test
    void timestampIsTai64nInWholeMilliseconds() {
        assertThat(Tai64n.encode(NOW)).isEqualTo(v("timestamp"));
    }

    @Test
    void hashAfterPrologueAndResponderStatic() {
        SymmetricState ss = new SymmetricState(Handshake.PROTOCOL);
        assertThat(ss.handshakeHash()).isEqualTo(Arrays.copyOf(Handshake.PROTOCOL.getBytes(StandardCharsets.US_ASCII), 32));
        ss.mixHash(Handshake.PROLOGUE);
        ss.mixHash(responder.publicKey());
        assertThat(ss.handshakeHash()).isEqualTo(v("h-after-premessage"));
    }

    @Test
    void initiationIsExact() {
        byte[] msg = initiation().message();
        assertThat(msg).hasSize(Handshake.INITIATION_BYTES);
        assertThat(HEX.formatHex(msg)).isEqualTo(VECTORS.get("initiation"));
    }

    @Test
    void responderReadsTheInitiation() {
        Handshake.ReceivedInitiation r = received();
        assertThat(r).isNotNull();
        assertThat(r.remoteStatic()).isEqualTo(v("initiator-static-public"));
        assertThat(r.remoteEphemeral()).isEqualTo(v("initiator-ephemeral-public"));
        assertThat(r.timestamp()).isEqualTo(v("timestamp"));
        assertThat(r.offeredSuites()).isEqualTo(OFFER);
        assertThat(r.senderIndex()).isEqualTo(INITIATOR_INDEX);
        // §3.4: the payload is the timestamp, then the offer as a bit set.
        byte[] payload = Arrays.copyOf(r.timestamp(), Tai64n.BYTES + 1);
        payload[Tai64n.BYTES] = (byte) r.offeredSuites();
        assertThat(payload).isEqualTo(v("initiation-payload"));
    }

    @Test
    void responseAndResponderKeysAreExact() {
        Handshake.Response r = Handshake.respond(received(), RESPONDER_INDEX, CipherSuite.AES_256_GCM, v("responder-ephemeral-private"));
        assertThat(r.message()).hasSize(Handshake.RESPONSE_BYTES);
        assertThat(HEX.formatHex(r.message())).isEqualTo(VECTORS.get("response"));
        assertThat(r.keys().suite()).isEqualTo(CipherSuite.AES_256_GCM);
        assertThat(r.keys().initiator()).isFalse();
        assertThat(r.keys().sendKey()).isEqualTo(v("key-responder-to-initiator"));
        assertThat(r.keys().receiveKey()).isEqualTo(v("key-initiator-to-responder"));
    }

    @Test
    void initiatorDerivesTheSameKeysFromTheResponse() {
        Handshake.ReceivedResponse r = Handshake.consumeResponse(initiation().state(), initiator, v("response"));
        assertThat(r).isNotNull();
        assertThat(r.senderIndex()).isEqualTo(RESPONDER_INDEX);
        assertThat(r.receiverIndex()).isEqualTo(INITIATOR_INDEX);
        assertThat(r.keys().initiator()).isTrue();
        assertThat(r.keys().suite()).isEqualTo(CipherSuite.AES_256_GCM);
        assertThat(new byte[] {(byte) r.keys().suite().id()}).isEqualTo(v("response-payload"));
        assertThat(r.keys().sendKey()).isEqualTo(v("key-initiator-to-responder"));
        assertThat(r.keys().receiveKey()).isEqualTo(v("key-responder-to-initiator"));
    }

    @Test
    void tamperedOfferOrChoiceFailsEvenWithAValidMac1() {
        // §3.4: anyone with the public keys can recompute mac1, so only the Noise AEAD stops a
        // downgrade. Offer 0x03 -> 0x01 (ChaCha20-Poly1305 only) at plaintext byte 12 of the
        // initiation's payload; choice 0x01 -> 0x00 in the response. The stream ciphers turn a
        // ciphertext bit flip into the same plaintext bit flip, so only the tag can catch it.
        byte[] init = v("initiation");
        init[88 + Tai64n.BYTES] ^= 0x02;
        remac(init, v("responder-static-public"));
        assertThat(Handshake.macValid(init, init.length, v("responder-static-public"))).isTrue();
        assertThat(Handshake.consumeInitiation(responder, init)).isNull();

        byte[] resp = v("response");
        resp[44] ^= 0x01;
        remac(resp, v("initiator-static-public"));
        assertThat(Handshake.macValid(resp, resp.length, v("initiator-static-public"))).isTrue();
        assertThat(Handshake.consumeResponse(initiation().state(), initiator, resp)).isNull();
        // The untouched vectors pass the same path, so the tag is what failed above.
        assertThat(Handshake.consumeResponse(initiation().state(), initiator, v("response"))).isNotNull();
    }

    /** Writes mac1 (§3.5) over everything before the last 16 bytes, as an attacker can. */
    private static void remac(byte[] msg, byte[] receiverStatic) {
        int macOffset = msg.length - Handshake.MAC_BYTES;
        byte[] key = Hkdf.sha256("mac1----".getBytes(StandardCharsets.US_ASCII), receiverStatic);
        System.arraycopy(Hkdf.hmac(key, Arrays.copyOf(msg, macOffset)), 0, msg, macOffset, Handshake.MAC_BYTES);
    }

    @Test
    void mac1IsTruncatedHmacKeyedByTheReceiversStaticKey() {
        byte[] init = v("initiation");
        int initMac = init.length - Handshake.MAC_BYTES;
        byte[] key = Hkdf.sha256("mac1----".getBytes(StandardCharsets.US_ASCII), v("responder-static-public"));
        assertThat(key).isEqualTo(v("initiation-mac1-key"));
        byte[] mac = Arrays.copyOf(Hkdf.hmac(key, Arrays.copyOf(init, initMac)), Handshake.MAC_BYTES);
        assertThat(mac).isEqualTo(Arrays.copyOfRange(init, initMac, init.length));
        assertThat(Handshake.macValid(init, init.length, v("responder-static-public"))).isTrue();
        assertThat(Handshake.macValid(init, init.length, v("initiator-static-public"))).isFalse();

        byte[] resp = v("response");
        int respMac = resp.length - Handshake.MAC_BYTES;
        byte[] respKey = Hkdf.sha256("mac1----".getBytes(StandardCharsets.US_ASCII), v("initiator-static-public"));
        assertThat(respKey).isEqualTo(v("response-mac1-key"));
        assertThat(Arrays.copyOf(Hkdf.hmac(respKey, Arrays.copyOf(resp, respMac)), Handshake.MAC_BYTES))
                .isEqualTo(Arrays.copyOfRange(resp, respMac, resp.length));
    }

    @Test
    void replayedVectorTimestampIsNotNewer() {
        // §3.6: a responder answers only a timestamp strictly newer than the last one it accepted.
        assertThat(Tai64n.compare(received().timestamp(), v("timestamp"))).isZero();
        assertThat(Tai64n.compare(Tai64n.encode(NOW.plusMillis(1)), v("timestamp"))).isPositive();
    }

    static java.util.stream.Stream<String> vectorNames() {
        return VECTORS.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("vectorNames")
    void documentPrintsTheSameBytes(String name) throws IOException {
        assertThat(hexBlocks(protocolDocument())).containsEntry(name, VECTORS.get(name));
    }

    /** The ```hex NAME blocks of docs/protocol.md, '#' comments and spaces removed. */
    static Map<String, String> hexBlocks(String markdown) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("```hex ([a-z0-9-]+)\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            StringBuilder hex = new StringBuilder();
            for (String line : m.group(2).split("\n")) hex.append(line.replaceAll("#.*", "").replaceAll("\\s", ""));
            blocks.put(m.group(1), hex.toString());
        }
        return blocks;
    }

    static String protocolDocument() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/protocol.md");
            if (Files.isRegularFile(doc)) return Files.readString(doc);
        }
        throw new IOException("docs/protocol.md not found above " + Path.of("").toAbsolutePath());
    }
}
