package net.braid.linux;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Names are checked before /dev/net/tun is opened, so these run without root. */
class TunNameTest {
    @Test
    void tooLongNameIsRefusedWithTheLimit() {
        assertThatThrownBy(() -> Tun.open("braid-much-too-long", 1400))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'braid-much-too-long' is 19 bytes")
                .hasMessageContaining("1 to 15");
    }

    @Test
    void namesTheKernelWouldRefuse() {
        for (String bad : new String[] {"", "a/b", "a:b", "a b", ".", ".."}) {
            assertThatThrownBy(() -> Tun.validateName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatCode(() -> Tun.validateName("braid%d")).doesNotThrowAnyException();
        assertThatCode(() -> Tun.validateName("fifteen-chars15")).doesNotThrowAnyException();
    }

    @Test
    void mtuOutOfRange() {
        assertThatThrownBy(() -> Tun.open("braidx", 67)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tun.open("braidx", 65_536)).isInstanceOf(IllegalArgumentException.class);
    }
}
