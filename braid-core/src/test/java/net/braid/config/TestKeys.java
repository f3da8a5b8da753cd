package net.braid.config;

import java.util.Base64;
import java.util.HexFormat;

/** Key pairs from RFC 7748 section 6.1, as base64 the way config files hold them. */
final class TestKeys {

    static final String ALICE_PRIVATE = b64("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    static final String ALICE_PUBLIC = b64("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    static final String BOB_PRIVATE = b64("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    static final String BOB_PUBLIC = b64("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    /** Any 32 bytes serve as a peer's public key for these tests. */
    static final String CAROL_PUBLIC = b64("0101010101010101010101010101010101010101010101010101010101010101");
    static final String DAVE_PUBLIC = b64("0202020202020202020202020202020202020202020202020202020202020202");

    private TestKeys() {
    }

    static String b64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    static X25519Key key(String base64) {
        return X25519Key.fromBase64(base64);
    }
}
