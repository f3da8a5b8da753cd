package net.braid.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import net.braid.forward.ForwardHeader.Response;
import net.braid.forward.ForwardHeader.Status;
import org.junit.jupiter.api.Test;

/** The byte vectors of docs/forward.md §2. */
class ForwardHeaderTest {

    @Test
    void requestWithToken() throws Exception {
        ByteBuf out = Unpooled.buffer();
        ForwardHeader.writeRequest(out, "s3cret");
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0106733363726574");
        assertThat(ForwardHeader.readRequest(out)).isEqualTo("s3cret");
        assertThat(out.isReadable()).isFalse();
    }

    @Test
    void requestWithoutToken() throws Exception {
        ByteBuf out = Unpooled.buffer();
        ForwardHeader.writeRequest(out, "");
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0100");
        assertThat(ForwardHeader.readRequest(out)).isEmpty();
    }

    @Test
    void incompleteRequestConsumesNothing() throws Exception {
        byte[] whole = HexFormat.of().parseHex("0106733363726574" + "ff");
        for (int cut = 0; cut < 8; cut++) {
            ByteBuf part = Unpooled.wrappedBuffer(whole, 0, cut);
            assertThat(ForwardHeader.readRequest(part)).as("first %d bytes", cut).isNull();
            assertThat(part.readerIndex()).isZero();
        }
        ByteBuf all = Unpooled.wrappedBuffer(whole);
        assertThat(ForwardHeader.readRequest(all)).isEqualTo("s3cret");
        assertThat(all.readableBytes()).as("stream bytes after the header stay").isEqualTo(1);
    }

    @Test
    void unknownVersionIsRefused() {
        assertThatThrownBy(() -> ForwardHeader.readRequest(Unpooled.wrappedBuffer(new byte[] {2, 0})))
                .isInstanceOf(ForwardHeader.MalformedHeaderException.class).hasMessageContaining("version 2");
    }

    @Test
    void okIsOneZeroByte() throws Exception {
        ByteBuf out = Unpooled.buffer();
        ForwardHeader.writeResponse(out, Response.OK);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("00");
        out.writeByte(0x41); // the target's first byte may follow at once
        assertThat(ForwardHeader.readResponse(out)).isEqualTo(Response.OK);
        assertThat(out.readableBytes()).isEqualTo(1);
    }

    @Test
    void refusalCarriesCodeAndReason() throws Exception {
        ByteBuf out = Unpooled.buffer();
        ForwardHeader.writeResponse(out, new Response(Status.BAD_TOKEN, "wrong token"));
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("020b77726f6e6720746f6b656e");
        assertThat(ForwardHeader.readResponse(out.slice(0, 5))).isNull();
        assertThat(ForwardHeader.readResponse(out)).isEqualTo(new Response(Status.BAD_TOKEN, "wrong token"));
    }

    @Test
    void statusCodesAreFixed() {
        assertThat(Status.values()).extracting(s -> s.code).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void longReasonIsCutAtACharacterBoundary() throws Exception {
        ByteBuf out = Unpooled.buffer();
        ForwardHeader.writeResponse(out, new Response(Status.TARGET_UNREACHABLE, "é".repeat(200)));
        assertThat((int) out.getUnsignedByte(1)).isEqualTo(254);
        assertThat(ForwardHeader.readResponse(out).reason()).isEqualTo("é".repeat(127));
    }

    @Test
    void unknownStatusIsMalformed() {
        assertThatThrownBy(() -> ForwardHeader.readResponse(Unpooled.wrappedBuffer(new byte[] {9, 0})))
                .isInstanceOf(ForwardHeader.MalformedHeaderException.class);
    }

    @Test
    void tokenLongerThan255BytesIsRejected() {
        assertThatThrownBy(() -> ForwardHeader.writeRequest(Unpooled.buffer(), "x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
