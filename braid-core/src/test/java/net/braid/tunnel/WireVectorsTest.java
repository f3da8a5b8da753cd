package net.braid.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import net.braid.crypto.Aead;
import net.braid.crypto.CipherSuite;
import net.braid.packet.InternetChecksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data-message test vectors of docs/protocol.md §9.1 and §9.4, sealed as the tunnel seals
 * (DataHeader.write, then Aead.seal with the header as associated data, with a key of the
 * session's suite) and compared byte for byte with the literals here and with the hex blocks
 * printed in the document. §9.1 seals one message with each data cipher of §3.4.
 */
class WireVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final Map<String, String> VECTORS = Map.of(
            "data-key", "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
            "data-plaintext", "450000241234400040019c7dc6120001c6120002" + "0800a3c30b1d0001" + "6272616964212121",
            "data-chacha20-poly1305", "04000002" + "1f2e3d4c" + "000000000000012c" + "000000fb"
                    + "817dae1dba32160dfd58c1bfad9f3e9d1b7648964aaf361b97327df90d3e5e579cd61f4c"
                    + "c1b05ea3a58c6660545336f293a4cea8",
            "data-aes-256-gcm", "04000002" + "1f2e3d4c" + "000000000000012c" + "000000fb"
                    + "cb68a1b5993025dd816e352fbd3702690c7357701eaef2323c3760b85b5497486fea409c"
                    + "a003863b0b48caeeb67b6956c12061bd",
            // The initiator's key-confirming keepalive after the handshake vector of §9.2, which
            // chose AES-256-GCM.
            "key-initiator-to-responder", "baa53b56fe78ed588a6862fba65e8b4a0fcf4101522a927bec2bce13226110e1",
            "keepalive", "04000000" + "1f2e3d4c" + "0000000000000000" + "00000000" + "f59d8fd7314b3e0985e359956b0d3941");

    private static final int RECEIVER_INDEX = 0x1f2e3d4c;

    private static byte[] v(String name) {
        return HEX.parseHex(VECTORS.get(name));
    }

    /** The §9.1 vector of a suite. */
    private static String dataVector(CipherSuite suite) {
        return switch (suite) {
            case CHACHA20_POLY1305 -> "data-chacha20-poly1305";
            case AES_256_GCM -> "data-aes-256-gcm";
        };
    }

    /** The tunnel's sealing steps: header written in place, then sealed with it as associated data. */
    private static byte[] seal(byte[] key, CipherSuite suite, int pathId, long counter, int pathSeq, byte[] plaintext) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        ByteBuffer aad = out.duplicate();
        DataHeader.write(out, DataHeader.TYPE_DATA, 0, pathId, RECEIVER_INDEX, counter, pathSeq);
        aad.limit(DataHeader.BYTES).position(0);
        new Aead().seal(Aead.key(key, suite), counter, aad, ByteBuffer.wrap(plaintext), out);
        out.flip();
        byte[] wire = new byte[out.remaining()];
        out.get(wire);
        return wire;
    }

    private static boolean open(byte[] wire, SecretKey key, long counter, ByteBuffer plain) {
        ByteBuffer in = ByteBuffer.wrap(wire);
        return new Aead().open(key, counter, in.duplicate().limit(DataHeader.BYTES),
                in.duplicate().position(DataHeader.BYTES), plain);
    }

    @Test
    void plaintextIsAValidIpv4EchoRequest() {
        byte[] p = v("data-plaintext");
        assertThat(InternetChecksum.checksum(p, 0, 20)).isZero();
        assertThat(InternetChecksum.checksum(p, 20, p.length - 20)).isZero();
        assertThat(((p[2] & 0xff) << 8) | (p[3] & 0xff)).isEqualTo(p.length);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void dataMessageIsExact(CipherSuite suite) {
        byte[] wire = seal(v("data-key"), suite, 2, 300, 251, v("data-plaintext"));
        assertThat(HEX.formatHex(wire)).isEqualTo(VECTORS.get(dataVector(suite)));
        assertThat(wire).hasSize(v("data-plaintext").length + DataHeader.OVERHEAD);
    }

    @Test
    void suitesShareTheHeaderAndDifferAfterIt() {
        byte[] chacha = v("data-chacha20-poly1305");
        byte[] gcm = v("data-aes-256-gcm");
        assertThat(gcm).hasSameSizeAs(chacha);
        assertThat(Arrays.copyOf(gcm, DataHeader.BYTES)).isEqualTo(Arrays.copyOf(chacha, DataHeader.BYTES));
        assertThat(Arrays.copyOfRange(gcm, DataHeader.BYTES, gcm.length))
                .isNotEqualTo(Arrays.copyOfRange(chacha, DataHeader.BYTES, chacha.length));
    }

    @Test
    void keepaliveIsHeaderAndTagOnly() {
        byte[] wire = seal(v("key-initiator-to-responder"), CipherSuite.AES_256_GCM, 0, 0, 0, new byte[0]);
        assertThat(HEX.formatHex(wire)).isEqualTo(VECTORS.get("keepalive"));
        assertThat(wire).hasSize(DataHeader.OVERHEAD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"data-chacha20-poly1305", "data-aes-256-gcm"})
    void headerFieldsReadBackBigEndian(String name) {
        ByteBuffer b = ByteBuffer.wrap(v(name));
        assertThat(b.get(DataHeader.OFF_TYPE)).isEqualTo(DataHeader.TYPE_DATA);
        assertThat(DataHeader.flags(b)).isZero();
        assertThat(DataHeader.pathId(b)).isEqualTo(2);
        assertThat(DataHeader.receiverIndex(b)).isEqualTo(RECEIVER_INDEX);
        assertThat(DataHeader.counter(b)).isEqualTo(300);
        assertThat(DataHeader.pathSequence(b)).isEqualTo(251);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void vectorOpensToThePlaintextOnlyWithItsSuite(CipherSuite suite) {
        byte[] wire = v(dataVector(suite));
        ByteBuffer plain = ByteBuffer.allocate(wire.length);
        assertThat(open(wire, Aead.key(v("data-key"), suite), DataHeader.counter(ByteBuffer.wrap(wire)), plain)).isTrue();
        assertThat(Arrays.copyOf(plain.array(), plain.position())).isEqualTo(v("data-plaintext"));
        // The same key bytes in the other suite do not open it: the suite is part of the session.
        CipherSuite other = suite == CipherSuite.AES_256_GCM ? CipherSuite.CHACHA20_POLY1305 : CipherSuite.AES_256_GCM;
        assertThat(open(wire, Aead.key(v("data-key"), other), 300, ByteBuffer.allocate(wire.length))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16})
    void everyHeaderFieldIsAuthenticated(int offset) {
        // type/flags, path id, receiver index, counter, path sequence: a change in any fails the tag.
        for (CipherSuite suite : CipherSuite.values()) {
            byte[] wire = v(dataVector(suite));
            wire[offset] ^= 0x01;
            // Open with the counter the sender used, so only the associated data differs.
            assertThat(open(wire, Aead.key(v("data-key"), suite), 300, ByteBuffer.allocate(wire.length)))
                    .as("%s, header byte %d", suite, offset).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"data-key", "data-plaintext", "data-chacha20-poly1305", "data-aes-256-gcm",
            "key-initiator-to-responder", "keepalive"})
    void documentPrintsTheSameBytes(String name) throws IOException {
        assertThat(hexBlocks(protocolDocument())).containsEntry(name, VECTORS.get(name));
    }

    /** The ```hex NAME blocks of docs/protocol.md, '#' comments and spaces removed. */
    private static Map<String, String> hexBlocks(String markdown) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("```hex ([a-z0-9-]+)\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            StringBuilder hex = new StringBuilder();
            for (String line : m.group(2).split("\n")) hex.append(line.replaceAll("#.*", "").replaceAll("\\s", ""));
            blocks.put(m.group(1), hex.toString());
        }
        return blocks;
    }

    private static String protocolDocument() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/protocol.md");
            if (Files.isRegularFile(doc)) return Files.readString(doc);
        }
        throw new IOException("docs/protocol.md not found above " + Path.of("").toAbsolutePath());
    }
}
