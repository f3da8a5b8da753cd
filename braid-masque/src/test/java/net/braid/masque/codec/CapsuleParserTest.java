package net.braid.masque.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapsuleParserTest {

    private static final HexFormat HEX = HexFormat.of();

    private static List<String> parse(CapsuleParser parser, String hex) throws MalformedCapsuleException {
        RecordingHandler h = new RecordingHandler();
        parser.feed(ByteBuffer.wrap(HEX.parseHex(hex.replace(" ", ""))), h);
        parser.finish();
        return h.events;
    }

    private static List<String> parseByteByByte(CapsuleParser parser, String hex) throws MalformedCapsuleException {
        RecordingHandler h = new RecordingHandler();
        for (byte b : HEX.parseHex(hex.replace(" ", ""))) parser.feed(ByteBuffer.wrap(new byte[] {b}), h);
        parser.finish();
        return h.events;
    }

    @Test
    void parsesManyCapsulesInOneChunk() throws MalformedCapsuleException {
        // RFC 9297 §3.5: DATAGRAM (0x00), Length 3, Context ID 0 and two payload bytes; then an
        // empty DATAGRAM; then ADDRESS_ASSIGN of 198.18.0.2/32, request 0 (RFC 9484 §4.7.1).
        String stream = "00 03 00 abcd   00 00   01 07 00 04 c6120002 20";
        List<String> expected = List.of(
                "DATAGRAM 00abcd",
                "DATAGRAM ",
                "ADDRESS_ASSIGN [198.18.0.2/32 (request 0)]");
        assertThat(parse(new CapsuleParser(), stream)).isEqualTo(expected);
        assertThat(parseByteByByte(new CapsuleParser(), stream)).isEqualTo(expected);
    }

    @Test
    void aDatagramWithinOneChunkIsAViewOfThatChunk() throws MalformedCapsuleException {
        byte[] bytes = HEX.parseHex("0003000102" + "0001ff");
        ByteBuffer chunk = ByteBuffer.wrap(bytes);
        RecordingHandler h = new RecordingHandler();
        CapsuleHandler checking = new CapsuleHandler() {
            @Override
            public void onDatagram(ByteBuffer payload) {
                assertThat(payload).isSameAs(chunk);
                h.onDatagram(payload);
                payload.position(payload.limit()); // the handler may consume it
            }
        };
        new CapsuleParser().feed(chunk, checking);
        assertThat(h.events).containsExactly("DATAGRAM 000102", "DATAGRAM ff");
        assertThat(chunk.position()).isEqualTo(bytes.length);
        assertThat(chunk.limit()).isEqualTo(bytes.length);
    }

    @Test
    void aCapsuleSpanningChunksIsReassembled() throws MalformedCapsuleException {
        CapsuleParser parser = new CapsuleParser();
        RecordingHandler h = new RecordingHandler();
        parser.feed(ByteBuffer.wrap(HEX.parseHex("40")), h); // half of a 2-byte Type
        parser.feed(ByteBuffer.wrap(HEX.parseHex("00 05 00 01".replace(" ", ""))), h);
        assertThat(h.events).isEmpty();
        assertThat(parser.atCapsuleBoundary()).isFalse();
        parser.feed(ByteBuffer.wrap(HEX.parseHex("020304 0001".replace(" ", ""))), h);
        assertThat(h.events).containsExactly("DATAGRAM 0001020304");
        parser.feed(ByteBuffer.wrap(HEX.parseHex("09")), h);
        assertThat(h.events).containsExactly("DATAGRAM 0001020304", "DATAGRAM 09");
        assertThat(parser.atCapsuleBoundary()).isTrue();
        parser.finish();
    }

    @Test
    void unknownTypesAreSkippedUnbufferedWhateverTheirLength() throws MalformedCapsuleException {
        // RFC 9297 §3.2: drop unknown capsules silently. 0x17 is a reserved (grease) type
        // (RFC 9297 §5.4); 0x04 is simply unknown here; the third is 4 GiB long but cut short
        // in this test by feeding its header only.
        assertThat(parse(new CapsuleParser(), "17 02 abcd  04 00  00 01 55"))
                .containsExactly("SKIPPED 0x17 2", "SKIPPED 0x4 0", "DATAGRAM 55");
        CapsuleParser parser = new CapsuleParser(16, CapsuleParser.OversizedDatagram.MALFORMED);
        RecordingHandler h = new RecordingHandler();
        parser.feed(ByteBuffer.wrap(HEX.parseHex("4040c000000100000000")), h);
        parser.feed(ByteBuffer.allocate(100_000), h);
        assertThat(h.events).containsExactly("SKIPPED 0x40 4294967296");
        assertThat(CapsuleType.isReserved(0x17)).isTrue();
        assertThat(CapsuleType.isReserved(0x17 + 0x29 * 1000L)).isTrue();
        assertThat(CapsuleType.isReserved(0x18)).isFalse();
    }

    @Test
    void aKnownCapsuleOverTheMaximumIsMalformed() {
        CapsuleParser parser = new CapsuleParser(8, CapsuleParser.OversizedDatagram.MALFORMED);
        RecordingHandler h = new RecordingHandler();
        assertThatThrownBy(() -> parser.feed(ByteBuffer.wrap(HEX.parseHex("0309")), h))
                .isInstanceOfSatisfying(MalformedCapsuleException.class, e -> {
                    assertThat(e.error()).isEqualTo(CapsuleError.CAPSULE_TOO_LONG);
                    assertThat(e.error().h3ErrorCode()).isEqualTo(CapsuleError.H3_DATAGRAM_ERROR);
                    assertThat(e).hasMessage("capsule longer than the configured maximum: ROUTE_ADVERTISEMENT of 9 bytes, maximum 8");
                });
        assertThatThrownBy(() -> parser.feed(ByteBuffer.wrap(HEX.parseHex("0000")), h))
                .as("a failed parser stays failed")
                .isInstanceOfSatisfying(MalformedCapsuleException.class,
                        e -> assertThat(e.error()).isEqualTo(CapsuleError.CAPSULE_TOO_LONG));
        assertThatThrownBy(() -> parse(new CapsuleParser(2, CapsuleParser.OversizedDatagram.MALFORMED), "0003000102"))
                .isInstanceOfSatisfying(MalformedCapsuleException.class,
                        e -> assertThat(e.error()).isEqualTo(CapsuleError.CAPSULE_TOO_LONG));
    }

    @Test
    void anOversizedDatagramIsDiscardedByDefault() throws MalformedCapsuleException {
        // RFC 9297 §3.5: discard a DATAGRAM capsule too large to use, without buffering it.
        assertThat(parse(new CapsuleParser(2, CapsuleParser.OversizedDatagram.DISCARD), "0003 000102  0002 0001"))
                .containsExactly("SKIPPED DATAGRAM 3", "DATAGRAM 0001");
    }

    @Test
    void aStreamEndingInsideACapsuleIsMalformed() throws MalformedCapsuleException {
        // RFC 9297 §3.3: a truncated last capsule is a malformed message.
        for (String hex : List.of("00", "40", "0005aa", "1705ab", "0001ff 00")) {
            CapsuleParser parser = new CapsuleParser();
            parser.feed(ByteBuffer.wrap(HEX.parseHex(hex.replace(" ", ""))), new RecordingHandler());
            assertThatThrownBy(parser::finish).as(hex)
                    .isInstanceOfSatisfying(MalformedCapsuleException.class, e -> {
                        assertThat(e.error()).isEqualTo(CapsuleError.TRUNCATED_STREAM);
                        assertThat(e.error().h3ErrorCode()).isEqualTo(CapsuleError.H3_MESSAGE_ERROR);
                    });
        }
        new CapsuleParser().finish();
    }

    @Test
    void aMalformedControlCapsuleAbortsEvenAfterValidOnes() throws MalformedCapsuleException {
        CapsuleParser parser = new CapsuleParser();
        RecordingHandler h = new RecordingHandler();
        // A valid DATAGRAM, then ADDRESS_ASSIGN with IP Version 5.
        assertThatThrownBy(() -> parser.feed(ByteBuffer.wrap(HEX.parseHex("000100" + "010700" + "05c6120002" + "20")), h))
                .isInstanceOfSatisfying(MalformedCapsuleException.class,
                        e -> assertThat(e.error()).isEqualTo(CapsuleError.UNKNOWN_IP_VERSION));
        assertThat(h.events).containsExactly("DATAGRAM 00");
        assertThatThrownBy(parser::finish).isInstanceOf(MalformedCapsuleException.class);
    }

    @Test
    void reassemblyBufferIsReusedAcrossCapsules() throws MalformedCapsuleException {
        CapsuleParser parser = new CapsuleParser();
        RecordingHandler h = new RecordingHandler();
        for (int i = 0; i < 3; i++) {
            parser.feed(ByteBuffer.wrap(HEX.parseHex("0004aa")), h);
            parser.feed(ByteBuffer.wrap(HEX.parseHex("bbcc0" + i)), h);
        }
        assertThat(h.events).containsExactly("DATAGRAM aabbcc00", "DATAGRAM aabbcc01", "DATAGRAM aabbcc02");
        assertThat(h.datagramViews.get(0)).isSameAs(h.datagramViews.get(2));
    }

    @Test
    void writerOutputParsesBack() throws MalformedCapsuleException {
        ByteBuffer out = ByteBuffer.allocate(64);
        CapsuleWriter.writeDatagram(out, 0, ByteBuffer.wrap(HEX.parseHex("4500")));
        CapsuleWriter.writeHeader(out, 0x17 + 0x29, 1);
        out.put((byte) 9);
        CapsuleWriter.write(out, new DatagramCapsule(ByteBuffer.wrap(HEX.parseHex("02ff"))));
        out.flip();
        String hex = HEX.formatHex(out.array(), 0, out.limit());
        assertThat(hex).isEqualTo("0003004500" + "404001" + "09" + "000202ff");
        assertThat(CapsuleWriter.datagramLength(0, 2)).isEqualTo(5);
        assertThat(parse(new CapsuleParser(), hex)).containsExactly("DATAGRAM 004500", "SKIPPED 0x40 1", "DATAGRAM 02ff");
    }
}
