package net.braid.packet;

import static net.braid.packet.Captures.buffer;
import static net.braid.packet.Captures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    /** The plain definition, RFC 1071 §4.1, word by word: the reference the fast loop must match. */
    private static int reference(byte[] a, int off, int len) {
        long s = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = a[off + i] & 0xFF;
            int lo = i + 1 < len ? a[off + i + 1] & 0xFF : 0;
            s += hi << 8 | lo;
        }
        while (s >>> 16 != 0) s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    @Test
    void rfc1071WorkedExample() {
        // RFC 1071 §3 "Numerical Examples": bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
        byte[] a = bytes("0001f203f4f5f6f7");
        assertThat(InternetChecksum.sum(a, 0, 8)).isEqualTo(0xddf2);
        assertThat(InternetChecksum.sum(ByteBuffer.wrap(a), 0, 8)).isEqualTo(0xddf2);
        assertThat(InternetChecksum.checksum(a, 0, 8)).isEqualTo(0x220d);
    }

    @Test
    void oddLengthPadsTheLastByteWithZero() {
        byte[] a = bytes("0001f203f4f5f6f7ab");
        assertThat(InternetChecksum.sum(a, 0, 9)).isEqualTo(reference(a, 0, 9));
        assertThat(InternetChecksum.sum(a, 0, 9)).isEqualTo(InternetChecksum.add(0xddf2, 0xab00));
    }

    @Test
    void capturedIpv4HeaderSumsToAllOnes() {
        ByteBuffer b = buffer(Captures.PING4_REQUEST);
        assertThat(InternetChecksum.sum(b, 0, 20)).isEqualTo(0xFFFF);
        b.putShort(10, (short) 0);
        assertThat(InternetChecksum.checksum(b, 0, 20)).isEqualTo(0x7c0c);
    }

    @Test
    void udpChecksumWithIpv4PseudoHeaderMatchesCapture() {
        ByteBuffer b = buffer(Captures.UDP4);
        int pseudo = InternetChecksum.pseudoHeaderV4(Captures.ADDR1_V4, Captures.ADDR2_V4, IpProtocol.UDP, 14);
        assertThat(InternetChecksum.pseudoHeader(b, 0, IpProtocol.UDP, 14)).isEqualTo(pseudo);
        b.putShort(26, (short) 0);
        assertThat(InternetChecksum.finish(InternetChecksum.add(pseudo, InternetChecksum.sum(b, 20, 14)))).isEqualTo(0x8b54);
    }

    @Test
    void tcpChecksumWithIpv6PseudoHeaderMatchesCapture() {
        ByteBuffer b = buffer(Captures.SYN6);
        int pseudo = InternetChecksum.pseudoHeaderV6(Captures.DOC_PREFIX, 1, Captures.DOC_PREFIX, 2, IpProtocol.TCP, 40);
        assertThat(InternetChecksum.pseudoHeader(b, 0, IpProtocol.TCP, 40)).isEqualTo(pseudo);
        b.putShort(40 + 16, (short) 0);
        assertThat(InternetChecksum.finish(InternetChecksum.add(pseudo, InternetChecksum.sum(b, 40, 40)))).isEqualTo(0xa484);
    }

    @Property
    void fastSumMatchesTheDefinition(@ForAll @Size(max = 300) byte[] a, @ForAll @IntRange(max = 7) int skip) {
        int off = Math.min(skip, a.length);
        int len = a.length - off;
        int expected = reference(a, off, len);
        assertThat(InternetChecksum.sum(a, off, len)).isEqualTo(expected);
        assertThat(InternetChecksum.sum(ByteBuffer.wrap(a), off, len)).isEqualTo(expected);
        ByteBuffer direct = ByteBuffer.allocateDirect(a.length).put(a).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(InternetChecksum.sum(direct, off, len)).as("independent of the buffer's byte order").isEqualTo(expected);
    }

    @Property
    void sumsOfEvenRangesCombine(@ForAll @Size(max = 200) byte[] a, @ForAll @IntRange(max = 100) int cut) {
        int split = Math.min(cut * 2, a.length & ~1);
        int whole = InternetChecksum.sum(a, 0, a.length);
        assertThat(InternetChecksum.add(InternetChecksum.sum(a, 0, split), InternetChecksum.sum(a, split, a.length - split)))
                .isEqualTo(whole);
    }

    @Property
    void incrementalUpdatesMatchRecomputation(@ForAll @Size(min = 24, max = 64) byte[] a,
                                              @ForAll @IntRange(max = 10) int wordIndex,
                                              @ForAll int newValue, @ForAll long newLong) {
        // A checksum field at 0..1 that verifies, then a change to a 16-, 32- and 64-bit field after it.
        ByteBuffer b = ByteBuffer.wrap(a);
        int len = a.length & ~1;
        b.putShort(0, (short) 0);
        b.putShort(0, (short) InternetChecksum.checksum(b, 0, len));
        int at = 2 + wordIndex * 2 % (len - 10);

        int old16 = b.getShort(at) & 0xFFFF;
        b.putShort(at, (short) newValue);
        b.putShort(0, (short) InternetChecksum.update16(b.getShort(0) & 0xFFFF, old16, newValue & 0xFFFF));
        assertThat(InternetChecksum.sum(b, 0, len)).isEqualTo(0xFFFF);

        int old32 = b.getInt(at);
        b.putInt(at, newValue);
        b.putShort(0, (short) InternetChecksum.update32(b.getShort(0) & 0xFFFF, old32, newValue));
        assertThat(InternetChecksum.sum(b, 0, len)).isEqualTo(0xFFFF);

        long old64 = b.getLong(at);
        b.putLong(at, newLong);
        b.putShort(0, (short) InternetChecksum.update64(b.getShort(0) & 0xFFFF, old64, newLong));
        assertThat(InternetChecksum.sum(b, 0, len)).isEqualTo(0xFFFF);
    }
}
