package net.braid.masque.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuicVarintTest {

    private static final HexFormat HEX = HexFormat.of();

    // RFC 9000 Appendix A.1 sample decodings.
    @ParameterizedTest
    @CsvSource({
        "c2197c5eff14e88c, 151288809941952652",
        "9d7f3e7d,         494878333",
        "7bbd,             15293",
        "25,               37",
        "4025,             37",
    })
    void decodesTheRfc9000Samples(String hex, long value) {
        ByteBuffer b = ByteBuffer.wrap(HEX.parseHex(hex));
        assertThat(QuicVarint.read(b)).isEqualTo(value);
        assertThat(b.hasRemaining()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "151288809941952652, c2197c5eff14e88c",
        "494878333,          9d7f3e7d",
        "15293,              7bbd",
        "37,                 25",
        "0,                  00",
        "63,                 3f",
        "64,                 4040",
        "16383,              7fff",
        "16384,              80004000",
        "1073741823,         bfffffff",
        "1073741824,         c000000040000000",
        "4611686018427387903, ffffffffffffffff",
    })
    void encodesInTheShortestForm(long value, String hex) {
        assertThat(HEX.formatHex(QuicVarint.encode(value))).isEqualTo(hex);
        assertThat(QuicVarint.length(value)).isEqualTo(hex.length() / 2);
    }

    @Test
    void refusesValuesOutsideTheRange() {
        assertThatThrownBy(() -> QuicVarint.length(QuicVarint.MAX + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuicVarint.length(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuicVarint.write(ByteBuffer.allocate(8), 1L << 62)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTruncatedVarintNeedsMoreAndConsumesNothing() {
        byte[] full = HEX.parseHex("c2197c5eff14e88c");
        for (int n = 0; n < full.length; n++) {
            ByteBuffer b = ByteBuffer.wrap(full, 0, n);
            assertThat(QuicVarint.read(b)).as("%d bytes", n).isEqualTo(QuicVarint.NEED_MORE);
            assertThat(b.position()).isZero();
        }
        ByteBuffer b = ByteBuffer.wrap(HEX.parseHex("ff25"));
        b.position(1);
        assertThat(QuicVarint.get(b, 1)).isEqualTo(37);
        assertThat(QuicVarint.get(b, 2)).isEqualTo(QuicVarint.NEED_MORE);
        assertThat(b.position()).isEqualTo(1);
    }

    @Test
    void writingToAShortBufferWritesNothing() {
        ByteBuffer b = ByteBuffer.allocate(3);
        assertThatThrownBy(() -> QuicVarint.write(b, 16384)).isInstanceOf(BufferOverflowException.class);
        assertThat(b.position()).isZero();
    }

    @Test
    void byteOrderOfTheBufferDoesNotMatter() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        QuicVarint.write(b, 151288809941952652L);
        assertThat(HEX.formatHex(b.array())).isEqualTo("c2197c5eff14e88c");
        b.flip();
        assertThat(QuicVarint.read(b)).isEqualTo(151288809941952652L);
    }

    @Property
    void everyValueRoundTrips(@ForAll @LongRange(min = 0, max = (1L << 62) - 1) long value) {
        ByteBuffer b = ByteBuffer.allocate(9);
        QuicVarint.write(b, value);
        assertThat(b.position()).isEqualTo(QuicVarint.length(value));
        b.flip();
        assertThat(QuicVarint.lengthOfFirstByte(b.get(0))).isEqualTo(b.remaining());
        assertThat(QuicVarint.read(b)).isEqualTo(value);
    }
}
