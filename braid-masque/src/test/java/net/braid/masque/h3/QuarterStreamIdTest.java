package net.braid.masque.h3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class QuarterStreamIdTest {

    @Test
    void encodesRfc9000Section16Vectors() {
        // RFC 9000 §A.1: 151288809941952652 -> c2197c5eff14e88c, 494878333 -> 9d7f3e7d, 15293 -> 7bbd, 37 -> 25
        assertThat(hex(151288809941952652L)).isEqualTo("c2197c5eff14e88c");
        assertThat(hex(494878333L)).isEqualTo("9d7f3e7d");
        assertThat(hex(15293L)).isEqualTo("7bbd");
        assertThat(hex(37L)).isEqualTo("25");
    }

    @Test
    void quarterOfAClientBidirectionalStreamId() {
        assertThat(QuarterStreamId.of(0)).isZero();
        assertThat(QuarterStreamId.of(4)).isEqualTo(1);
        assertThat(QuarterStreamId.of(400)).isEqualTo(100);
    }

    @Test
    void truncatedPrefixIsMalformed() {
        assertThat(QuarterStreamId.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x7b}))).isEqualTo(QuarterStreamId.MALFORMED);
        assertThat(QuarterStreamId.read(Unpooled.EMPTY_BUFFER)).isEqualTo(QuarterStreamId.MALFORMED);
        // 2^60 and above cannot name a stream (RFC 9297 §2.1)
        assertThat(QuarterStreamId.read(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("d000000000000000"))))
                .isEqualTo(QuarterStreamId.MALFORMED);
    }

    @Property
    void roundTrips(@ForAll @LongRange(min = 0, max = (1L << 60) - 1) long id) {
        ByteBuf buf = Unpooled.buffer();
        QuarterStreamId.write(buf, id);
        buf.writeByte(0xAB);
        assertThat(buf.readableBytes()).isEqualTo(QuarterStreamId.length(id) + 1);
        assertThat(QuarterStreamId.read(buf)).isEqualTo(id);
        assertThat(buf.readUnsignedByte()).isEqualTo((short) 0xAB);
    }

    private static String hex(long value) {
        ByteBuf buf = Unpooled.buffer();
        QuarterStreamId.write(buf, value);
        return ByteBufUtil.hexDump(buf);
    }
}
