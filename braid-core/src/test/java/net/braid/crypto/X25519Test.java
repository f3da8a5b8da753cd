package net.braid.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.InvalidKeyException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X25519Test {
    private static final HexFormat HEX = HexFormat.of();

    // RFC 7748 §6.1
    private static final byte[] ALICE_PRIV = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] ALICE_PUB = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    private static final byte[] BOB_PRIV = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    private static final byte[] BOB_PUB = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    private static final byte[] SHARED = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    @Test
    void publicKeysMatchRfc7748() {
        assertThat(X25519.publicKey(ALICE_PRIV)).isEqualTo(ALICE_PUB);
        assertThat(X25519.publicKey(BOB_PRIV)).isEqualTo(BOB_PUB);
    }

    @Test
    void sharedSecretMatchesRfc7748() throws Exception {
        assertThat(X25519.agree(ALICE_PRIV, BOB_PUB)).isEqualTo(SHARED);
        assertThat(X25519.agree(BOB_PRIV, ALICE_PUB)).isEqualTo(SHARED);
    }

    @Test
    void smallOrderPointIsRejected() {
        assertThatThrownBy(() -> X25519.agree(ALICE_PRIV, new byte[32])).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void generatedKeysAreClampedAndAgree() throws Exception {
        KeyPair a = KeyPair.generate(), b = KeyPair.generate();
        byte[] p = a.privateKey();
        assertThat(p[0] & 7).isZero();
        assertThat(p[31] & 0xc0).isEqualTo(0x40);
        assertThat(X25519.agree(a.privateKey(), b.publicKey())).isEqualTo(X25519.agree(b.privateKey(), a.publicKey()));
    }
}
