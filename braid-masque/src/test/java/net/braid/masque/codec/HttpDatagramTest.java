package net.braid.masque.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HttpDatagramTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void quarterStreamIdIsTheRequestStreamIdDividedByFour() {
        assertThat(HttpDatagram.quarterStreamId(0)).isZero();
        assertThat(HttpDatagram.quarterStreamId(4)).isEqualTo(1);
        assertThat(HttpDatagram.quarterStreamId(QuicVarint.MAX - 3)).isEqualTo(HttpDatagram.MAX_QUARTER_STREAM_ID);
        assertThat(HttpDatagram.streamId(257)).isEqualTo(1028);
        // Only client-initiated bidirectional streams carry requests.
        assertThatThrownBy(() -> HttpDatagram.quarterStreamId(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpDatagram.streamId(1L << 60)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesQuarterStreamIdThenContextIdThenPayload() {
        ByteBuffer payload = ByteBuffer.wrap(HEX.parseHex("45000014"));
        ByteBuffer out = ByteBuffer.allocate(16);
        // stream 1028 -> Quarter Stream ID 257 = 0x4101; Context ID 0.
        HttpDatagram.writeQuic(out, HttpDatagram.quarterStreamId(1028), 0, payload);
        assertThat(HEX.formatHex(out.array(), 0, out.position())).isEqualTo("41010045000014");
        assertThat(payload.position()).as("payload not consumed").isZero();
        assertThat(HttpDatagram.quicHeaderLength(257, 0)).isEqualTo(3);
    }

    @Test
    void decodesAFrameIntoASliceOfTheSameMemory() throws MalformedDatagramException {
        byte[] frame = HEX.parseHex("0402cafe");
        HttpDatagram.OnStream d = HttpDatagram.decodeQuic(ByteBuffer.wrap(frame));
        assertThat(d.quarterStreamId()).isEqualTo(4);
        assertThat(d.streamId()).isEqualTo(16);
        assertThat(d.datagram().contextId()).isEqualTo(2);
        assertThat(d.datagram().payload()).isEqualTo(ByteBuffer.wrap(HEX.parseHex("cafe")));
        frame[3] = 0x01;
        assertThat(d.datagram().payload().get(1)).as("zero-copy view").isEqualTo((byte) 0x01);
    }

    @Test
    void readersAdvanceWithoutAllocatingAViewAndAcceptNonMinimalEncodings() throws MalformedDatagramException {
        ByteBuffer frame = ByteBuffer.wrap(HEX.parseHex("40018000000011"));
        assertThat(HttpDatagram.readQuarterStreamId(frame)).isEqualTo(1);
        assertThat(HttpDatagram.readContextId(frame)).isZero();
        assertThat(frame.remaining()).isEqualTo(1);
        assertThat(frame.get()).isEqualTo((byte) 0x11);
    }

    @Test
    void emptyPayloadsAreValid() throws MalformedDatagramException {
        HttpDatagram d = HttpDatagram.decode(ByteBuffer.wrap(HEX.parseHex("00")));
        assertThat(d.contextId()).isZero();
        assertThat(d.payload().remaining()).isZero();
    }

    @Test
    void malformedDatagramsSayWhy() {
        assertThatThrownBy(() -> HttpDatagram.readQuarterStreamId(ByteBuffer.allocate(0)))
                .isInstanceOfSatisfying(MalformedDatagramException.class,
                        e -> assertThat(e.error()).isEqualTo(DatagramError.TRUNCATED_QUARTER_STREAM_ID));
        // 2^60 does not name a stream: connection error H3_DATAGRAM_ERROR (RFC 9297 §2.1).
        assertThatThrownBy(() -> HttpDatagram.readQuarterStreamId(ByteBuffer.wrap(HEX.parseHex("d000000000000000"))))
                .isInstanceOfSatisfying(MalformedDatagramException.class, e -> {
                    assertThat(e.error()).isEqualTo(DatagramError.QUARTER_STREAM_ID_TOO_LARGE);
                    assertThat(e.error().isConnectionError()).isTrue();
                });
        assertThatThrownBy(() -> HttpDatagram.decodeQuic(ByteBuffer.wrap(HEX.parseHex("0440"))))
                .isInstanceOfSatisfying(MalformedDatagramException.class, e -> {
                    assertThat(e.error()).isEqualTo(DatagramError.TRUNCATED_CONTEXT_ID);
                    assertThat(e.error().isConnectionError()).isFalse();
                });
        assertThat(DatagramError.H3_DATAGRAM_ERROR).isEqualTo(0x33);
    }

    @Test
    void aShortDestinationIsLeftUntouched() {
        ByteBuffer out = ByteBuffer.allocate(4);
        assertThatThrownBy(() -> HttpDatagram.writeQuic(out, 1, 0, ByteBuffer.allocate(3)))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isZero();
        assertThatThrownBy(() -> HttpDatagram.writeQuicHeader(out, 1L << 60, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void capsulePayloadFormIsContextIdAndPayload() throws MalformedDatagramException {
        ByteBuffer out = ByteBuffer.allocate(8);
        HttpDatagram.write(out, 64, ByteBuffer.wrap(new byte[] {7}));
        out.flip();
        assertThat(HEX.formatHex(out.array(), 0, out.limit())).isEqualTo("404007");
        HttpDatagram d = HttpDatagram.decode(out);
        assertThat(d.contextId()).isEqualTo(64);
        assertThat(d.payload().get(0)).isEqualTo((byte) 7);
        assertThat(out.hasRemaining()).isFalse();
    }
}
