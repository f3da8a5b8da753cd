package net.braid.multipath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.testing.SteadyAllocation;
import org.junit.jupiter.api.Test;

/** Exact bytes of the control-message plaintext, checked against the literals here and docs/multipath.md §3.4. */
class FeedbackCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static final PathFeedback ONE = new PathFeedback(0, 16, 1000,
            List.of(new SeqRange(10, 16), new SeqRange(5, 7)), List.of(new SeqRange(8, 9)));
    static final String ONE_HEX = "010e" + "00" + "00000010" + "43e8" + "01" + "06" + "0102" + "01" + "0601";

    static final PathFeedback WRAP = new PathFeedback(0x1234, 2, 0, List.of(new SeqRange(0xfffffffe, 2)), List.of());
    static final String WRAP_HEX = "010a" + "5234" + "00000002" + "00" + "00" + "04" + "00";

    static final PathFeedback TWO_LOST = new PathFeedback(1, 0x01000000, 25_000,
            List.of(new SeqRange(0x01000000, 0x01000000), new SeqRange(0x00fffff0, 0x00fffffc)),
            List.of(new SeqRange(0x00fffffd, 0x00ffffff), new SeqRange(0x00ffffe0, 0x00ffffef)));
    static final String TWO_LOST_HEX = "0112" + "01" + "01000000" + "800061a8" + "01" + "00" + "020c" + "02" + "0002" + "0c0f";

    @Test
    void encodesTheVectors() {
        assertThat(hex(ONE)).isEqualTo(ONE_HEX);
        assertThat(hex(WRAP)).isEqualTo(WRAP_HEX);
        assertThat(hex(TWO_LOST)).isEqualTo(TWO_LOST_HEX);
    }

    @Test
    void decodesTheVectors() {
        assertThat(decode(ONE_HEX)).containsExactly(ONE);
        assertThat(decode(WRAP_HEX)).containsExactly(WRAP);
        assertThat(decode(TWO_LOST_HEX)).containsExactly(TWO_LOST);
        assertThat(decode(ONE_HEX + WRAP_HEX)).containsExactly(ONE, WRAP);
    }

    @Test
    void skipsUnknownFramesAndAcceptsAnEmptyPlaintext() {
        assertThat(decode("3f02aabb" + ONE_HEX + "4040" + "00")).containsExactly(ONE);
        assertThat(decode("")).isEmpty();
    }

    @Test
    void acceptsNonMinimalVarints() {
        // path id 0 as a two-byte varint (RFC 9000 §16 allows it); the frame grows by one byte.
        assertThat(decode("010f" + "4000" + ONE_HEX.substring(6))).containsExactly(ONE);
    }

    @Test
    void refusesMalformedInputWithAReason() {
        assertThat(error("01")).isEqualTo(FeedbackError.TRUNCATED);
        assertThat(error("0140")).isEqualTo(FeedbackError.TRUNCATED);
        assertThat(error("0110" + ONE_HEX.substring(4))).isEqualTo(FeedbackError.FRAME_PAST_END);
        assertThat(error("010f" + ONE_HEX.substring(4) + "00")).isEqualTo(FeedbackError.FRAME_LENGTH_MISMATCH);
        assertThat(error("010d" + ONE_HEX.substring(4, ONE_HEX.length() - 2))).isEqualTo(FeedbackError.FRAME_LENGTH_MISMATCH);
        assertThat(error("010c" + "80010000" + "00000010" + "00" + "00" + "00" + "00")).isEqualTo(FeedbackError.BAD_PATH_ID);
        // The frame ends inside the 8-byte hold varint.
        assertThat(error("010c" + "00" + "00000010" + "c000000040000000" + "00" + "00" + "00")).isEqualTo(FeedbackError.FRAME_LENGTH_MISMATCH);
        assertThat(error("0110" + "00" + "00000010" + "c000000040000000" + "00" + "00" + "00")).isEqualTo(FeedbackError.BAD_HOLD_DELAY);
        assertThat(error("0109" + "00" + "00000010" + "00" + "20" + "00" + "00")).isEqualTo(FeedbackError.TOO_MANY_RANGES);
        assertThat(error("0110" + "00" + "00000010" + "00" + "00" + "c000000080000000" + "00")).isEqualTo(FeedbackError.SPAN_TOO_LARGE);
        // NACK of 14..15 while the first ACK range is 13..16.
        assertThat(error("010b" + "00" + "00000010" + "00" + "00" + "03" + "01" + "00" + "01")).isEqualTo(FeedbackError.NACK_OVERLAPS_ACK);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= FeedbackMessage.MAX_BLOCKS; i++) many.append(WRAP_HEX);
        assertThat(error(many.toString())).isEqualTo(FeedbackError.TOO_MANY_BLOCKS);
    }

    @Test
    void encoderRefusesBlocksTheDecoderWouldRefuse() {
        FeedbackBlock b = new FeedbackBlock().reset(0, 10, 0);
        assertThatThrownBy(() -> FeedbackCodec.encode(b, ByteBuffer.allocate(64))).isInstanceOf(IllegalStateException.class);
        b.addAck(5, 9);
        assertThatThrownBy(() -> FeedbackCodec.encode(b, ByteBuffer.allocate(64))).isInstanceOf(IllegalStateException.class);
        FeedbackBlock touching = new FeedbackBlock().reset(0, 10, 0);
        touching.addAck(8, 10);
        touching.addAck(5, 7);
        assertThatThrownBy(() -> FeedbackCodec.encode(touching, ByteBuffer.allocate(64))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void encodedLengthMatchesTheBytesWritten() {
        for (PathFeedback f : List.of(ONE, WRAP, TWO_LOST)) {
            FeedbackBlock b = new FeedbackBlock().set(f);
            assertThat(FeedbackCodec.encodedLength(b)).isEqualTo(HEX.parseHex(hex(f)).length);
        }
    }

    @Test
    void documentCarriesTheSameVectors() throws IOException {
        Map<String, String> doc = documentVectors();
        assertThat(doc).containsEntry("feedback-one", ONE_HEX).containsEntry("feedback-wrap", WRAP_HEX)
                .containsEntry("feedback-two-lost", TWO_LOST_HEX).containsEntry("feedback-message", "3f02aabb" + ONE_HEX + WRAP_HEX);
        assertThat(decode(doc.get("feedback-message"))).containsExactly(ONE, WRAP);
    }

    @Test
    void encodeAndDecodeAllocateNothing() {
        FeedbackMessage out = new FeedbackMessage();
        out.addBlock().set(ONE);
        out.addBlock().set(TWO_LOST);
        FeedbackMessage in = new FeedbackMessage();
        ByteBuffer buf = ByteBuffer.allocateDirect(256);
        long[] sink = {0};
        SteadyAllocation.assertAllocatesNothing("messages", 100_000, () -> {
            for (int i = 0; i < 100_000; i++) {
                buf.clear();
                FeedbackCodec.encode(out, buf);
                buf.flip();
                sink[0] += FeedbackCodec.decode(buf, in).ordinal() + in.block(1).nackFirst(1);
            }
        });
        assertThat(sink[0]).isNotZero();
    }

    static String hex(PathFeedback f) {
        ByteBuffer b = ByteBuffer.allocate(2048);
        FeedbackCodec.encode(new FeedbackBlock().set(f), b);
        return HEX.formatHex(b.array(), 0, b.position());
    }

    static List<PathFeedback> decode(String hex) {
        FeedbackMessage m = new FeedbackMessage();
        FeedbackError e = FeedbackCodec.decode(ByteBuffer.wrap(HEX.parseHex(hex)), m);
        assertThat(e).isEqualTo(FeedbackError.NONE);
        return java.util.stream.IntStream.range(0, m.blockCount()).mapToObj(i -> m.block(i).toRecord()).toList();
    }

    static FeedbackError error(String hex) {
        return FeedbackCodec.decode(ByteBuffer.wrap(HEX.parseHex(hex)), new FeedbackMessage());
    }

    /** The lines {@code NAME: hex} inside the ```vectors blocks of docs/multipath.md, spaces removed. */
    static Map<String, String> documentVectors() throws IOException {
        String text = Files.readString(findDoc());
        Map<String, String> out = new LinkedHashMap<>();
        Matcher block = Pattern.compile("```vectors\\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (block.find()) {
            for (String line : block.group(1).split("\\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) out.put(line.substring(0, colon).trim(), line.substring(colon + 1).replace(" ", "").trim());
            }
        }
        return out;
    }

    private static Path findDoc() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/multipath.md");
            if (Files.exists(doc)) return doc;
        }
        throw new IOException("docs/multipath.md not found above " + Path.of("").toAbsolutePath());
    }
}
