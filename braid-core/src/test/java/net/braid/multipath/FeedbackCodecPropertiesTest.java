package net.braid.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Random and mutated plaintexts never throw; valid blocks survive a round trip. */
class FeedbackCodecPropertiesTest {

    @Property(tries = 5000)
    void randomBytesGiveAReasonNeverAnException(@ForAll @Size(max = 300) byte[] bytes) {
        FeedbackMessage m = new FeedbackMessage();
        FeedbackError e = FeedbackCodec.decode(ByteBuffer.wrap(bytes), m);
        assertThat(e).isNotNull();
        if (e == FeedbackError.NONE) checkInvariants(m);
    }

    @Property(tries = 5000)
    void randomBytesBehindAFeedbackFrameHeader(@ForAll @Size(max = 200) byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(body.length + 3);
        b.put((byte) 1);
        Varint.write(b, body.length);
        b.put(body).flip();
        FeedbackMessage m = new FeedbackMessage();
        if (FeedbackCodec.decode(b, m) == FeedbackError.NONE) checkInvariants(m);
    }

    @Property(tries = 3000)
    void roundTrip(@ForAll("blocks") PathFeedback f) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        FeedbackBlock block = new FeedbackBlock().set(f);
        FeedbackCodec.encode(block, b);
        assertThat(b.position()).isEqualTo(FeedbackCodec.encodedLength(block));
        b.flip();
        FeedbackMessage m = new FeedbackMessage();
        assertThat(FeedbackCodec.decode(b, m)).isEqualTo(FeedbackError.NONE);
        assertThat(m.blockCount()).isEqualTo(1);
        assertThat(m.block(0).toRecord()).isEqualTo(f);
    }

    @Property(tries = 3000)
    void mutatedValidMessagesNeverThrow(@ForAll("blocks") PathFeedback f, @ForAll @IntRange(min = 0, max = 4095) int where,
            @ForAll byte value, @ForAll @IntRange(min = 0, max = 4096) int cut) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        FeedbackCodec.encode(new FeedbackBlock().set(f), b);
        byte[] bytes = java.util.Arrays.copyOf(b.array(), Math.min(b.position(), cut));
        if (bytes.length > 0) bytes[where % bytes.length] = value;
        FeedbackMessage m = new FeedbackMessage();
        if (FeedbackCodec.decode(ByteBuffer.wrap(bytes), m) == FeedbackError.NONE) checkInvariants(m);
    }

    /** Alternating runs of received, lost and pending sequences below a random largest. */
    @Provide
    Arbitrary<PathFeedback> blocks() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xffff), Arbitraries.integers(),
                        Arbitraries.longs().between(0, FeedbackCodec.MAX_HOLD_MICROS),
                        Arbitraries.integers().between(1, 100_000).list().ofMaxSize(70),
                        Arbitraries.integers().between(0, 2).list().ofMaxSize(70))
                .as((path, largest, hold, runs, kinds) -> {
                    List<SeqRange> acks = new ArrayList<>();
                    List<SeqRange> nacks = new ArrayList<>();
                    int top = largest;
                    int firstLen = runs.isEmpty() ? 1 : runs.get(0);
                    acks.add(new SeqRange(top - firstLen + 1, top));
                    top -= firstLen;
                    int prev = 0;
                    for (int i = 1; i < runs.size(); i++) {
                        int kind = i < kinds.size() ? kinds.get(i) : (prev + 1) % 3;
                        if (kind == prev) kind = (kind + 1) % 3;
                        int len = runs.get(i);
                        if (((largest - top) & 0xffffffffL) + len > (1L << 30)) break;
                        SeqRange r = new SeqRange(top - len + 1, top);
                        if (kind == 0 && acks.size() < FeedbackBlock.MAX_RANGES) acks.add(r);
                        else if (kind == 1 && nacks.size() < FeedbackBlock.MAX_RANGES) nacks.add(r);
                        else kind = 2; // a pending gap
                        top -= len;
                        prev = kind;
                    }
                    return new PathFeedback(path, largest, hold, fixAdjacent(acks), fixAdjacent(nacks));
                });
    }

    /** Ranges of one kind that touch (a pending gap was full) are merged, as the tracker would report them. */
    private static List<SeqRange> fixAdjacent(List<SeqRange> in) {
        List<SeqRange> out = new ArrayList<>();
        for (SeqRange r : in) {
            if (!out.isEmpty() && out.getLast().first() - r.last() == 1) {
                out.set(out.size() - 1, new SeqRange(r.first(), out.getLast().last()));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    private static void checkInvariants(FeedbackMessage m) {
        for (int i = 0; i < m.blockCount(); i++) {
            FeedbackBlock b = m.block(i);
            assertThat(b.pathId()).isBetween(0, 0xffff);
            assertThat(b.ackCount()).isBetween(1, FeedbackBlock.MAX_RANGES);
            assertThat(b.ackLast(0)).isEqualTo(b.largest());
            for (int j = 0; j < b.ackCount(); j++) assertThat(b.ackLast(j) - b.ackFirst(j)).isNotNegative();
            for (int j = 0; j < b.nackCount(); j++) assertThat(b.nackLast(j) - b.nackFirst(j)).isNotNegative();
            // Re-encoding what was decoded gives a valid message again.
            ByteBuffer again = ByteBuffer.allocate(FeedbackCodec.encodedLength(b));
            FeedbackCodec.encode(b, again);
            assertThat(again.hasRemaining()).isFalse();
        }
    }

    @Property(tries = 500)
    void varintRoundTrip(@ForAll @LongRange(min = 0, max = Varint.MAX) long v) {
        ByteBuffer b = ByteBuffer.allocate(8);
        Varint.write(b, v);
        assertThat(b.position()).isEqualTo(Varint.size(v));
        b.flip();
        assertThat(Varint.read(b)).isEqualTo(v);
    }
}
