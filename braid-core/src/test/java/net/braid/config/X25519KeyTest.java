package net.braid.config;

import static net.braid.config.TestKeys.ALICE_PRIVATE;
import static net.braid.config.TestKeys.ALICE_PUBLIC;
import static net.braid.config.TestKeys.BOB_PRIVATE;
import static net.braid.config.TestKeys.BOB_PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class X25519KeyTest {

    @Test
    void derivesThePublicKeysOfRfc7748Section6_1() {
        assertThat(X25519Key.fromBase64(ALICE_PRIVATE).derivePublic().toBase64()).isEqualTo(ALICE_PUBLIC);
        assertThat(X25519Key.fromBase64(BOB_PRIVATE).derivePublic().toBase64()).isEqualTo(BOB_PUBLIC);
    }

    @Test
    void base64RoundTripsAndPaddingIsOptional() {
        X25519Key key = X25519Key.fromBase64(ALICE_PUBLIC);
        assertThat(key.toBase64()).isEqualTo(ALICE_PUBLIC);
        assertThat(X25519Key.fromBase64(ALICE_PUBLIC.replace("=", ""))).isEqualTo(key);
    }

    @Test
    void wrongLengthNamesTheByteCount() {
        String short31 = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> X25519Key.fromBase64(short31))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("base64 of 32 bytes expected; given 31 bytes");
    }

    @Test
    void textThatIsNotBase64IsNotQuoted() {
        assertThatThrownBy(() -> X25519Key.fromBase64("secret!key"))
                .hasMessage("base64 of 32 bytes expected; given text that is not base64")
                .hasMessageNotContaining("secret");
    }

    @Test
    void copiesInAndOut() {
        byte[] raw = new byte[32];
        X25519Key key = new X25519Key(raw);
        raw[0] = 7;
        assertThat(key.bytes()[0]).isZero();
        key.bytes()[1] = 9;
        assertThat(key.bytes()[1]).isZero();
    }

    @Test
    void neverPrintsItsBytes() {
        X25519Key key = X25519Key.fromBase64(ALICE_PRIVATE);
        assertThat(key.toString()).doesNotContain(ALICE_PRIVATE.substring(0, 8)).isEqualTo("X25519Key[32 bytes]");
    }

    @Test
    void equalityIsByContent() {
        assertThat(X25519Key.fromBase64(BOB_PUBLIC)).isEqualTo(X25519Key.fromBase64(BOB_PUBLIC))
                .hasSameHashCodeAs(X25519Key.fromBase64(BOB_PUBLIC))
                .isNotEqualTo(X25519Key.fromBase64(ALICE_PUBLIC));
    }
}
