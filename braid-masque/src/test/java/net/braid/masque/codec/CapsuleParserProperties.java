package net.braid.masque.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CapsuleParserProperties {

    /** Feeds {@code bytes} cut at {@code cuts} (sorted, clamped) and returns the events. */
    private static List<String> feedInPieces(CapsuleParser parser, byte[] bytes, List<Integer> cuts)
            throws MalformedCapsuleException {
        RecordingHandler h = new RecordingHandler();
        int from = 0;
        List<Integer> sorted = new ArrayList<>(cuts);
        sorted.add(bytes.length);
        sorted.sort(null);
        for (int cut : sorted) {
            int to = Math.min(Math.max(cut, from), bytes.length);
            // A fresh array per piece, so a view into an earlier chunk cannot hide a bug.
            parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, to)), h);
            from = to;
        }
        parser.finish();
        return h.events;
    }

    @Property(tries = 2000)
    void arbitraryBytesInArbitraryChunksNeverThrowUnchecked(
            @ForAll @Size(max = 300) byte[] bytes,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 300) Integer> cuts,
            @ForAll @IntRange(min = 0, max = 64) int max,
            @ForAll boolean discardOversized) {
        CapsuleParser parser = new CapsuleParser(max,
                discardOversized ? CapsuleParser.OversizedDatagram.DISCARD : CapsuleParser.OversizedDatagram.MALFORMED);
        try {
            feedInPieces(parser, bytes, cuts);
        } catch (MalformedCapsuleException e) {
            assertThat(e.error()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void mutatedValidStreamsNeverThrowUnchecked(
            @ForAll("capsuleStreams") byte[] stream,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 2000) Integer> positions,
            @ForAll byte replacement,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 2000) Integer> cuts) {
        // Damage inside the RFC 9484 capsules reaches their decoders, which random bytes rarely do.
        if (stream.length == 0) return;
        for (int p : positions) stream[p % stream.length] = (byte) (stream[p % stream.length] ^ replacement);
        try {
            feedInPieces(new CapsuleParser(), stream, cuts);
        } catch (MalformedCapsuleException e) {
            assertThat(e.error()).isNotNull();
        }
    }

    @Property(tries = 1000)
    void aValidStreamSplitAnywhereYieldsTheSameCapsules(
            @ForAll("capsuleStreams") byte[] stream,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 2000) Integer> cuts) throws MalformedCapsuleException {
        List<String> whole = feedInPieces(new CapsuleParser(), stream, List.of());
        assertThat(feedInPieces(new CapsuleParser(), stream, cuts)).isEqualTo(whole);
    }

    @Test
    void everySingleSplitPointAndByteByByteAgree() throws MalformedCapsuleException {
        byte[] stream = capsuleStreams().sample();
        for (int i = 0; i < 20 && stream.length < 20; i++) stream = capsuleStreams().sample();
        List<String> whole = feedInPieces(new CapsuleParser(), stream, List.of());
        assertThat(whole).isNotEmpty();
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(feedInPieces(new CapsuleParser(), stream, List.of(cut))).as("cut at %d", cut).isEqualTo(whole);
        }
        List<Integer> everyByte = new ArrayList<>();
        for (int i = 1; i < stream.length; i++) everyByte.add(i);
        assertThat(feedInPieces(new CapsuleParser(), stream, everyByte)).isEqualTo(whole);
    }

    @Provide
    Arbitrary<byte[]> capsuleStreams() {
        Arbitrary<byte[]> datagram = Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
                .map(p -> CapsuleWriter.encode(new DatagramCapsule(ByteBuffer.wrap(p))));
        Arbitrary<byte[]> unknown = Combinators.combine(
                        Arbitraries.longs().between(4, QuicVarint.MAX),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(100))
                .as((type, value) -> {
                    ByteBuffer b = ByteBuffer.allocate(CapsuleWriter.headerLength(type, value.length) + value.length);
                    CapsuleWriter.writeHeader(b, type, value.length);
                    return b.put(value).array();
                });
        Arbitrary<AssignedAddress> assigned = Combinators.combine(
                        Arbitraries.longs().between(0, QuicVarint.MAX),
                        Arbitraries.bytes().array(byte[].class).ofSize(16),
                        Arbitraries.integers().between(0, 128),
                        Arbitraries.of(true, false))
                .as((id, bytes, len, v6) -> new AssignedAddress(id, address(bytes, v6), v6 ? len : len % 33));
        Arbitrary<byte[]> assign = assigned.list().ofMaxSize(4)
                .map(list -> CapsuleWriter.encode(new AddressAssign(list)));
        Arbitrary<byte[]> request = Combinators.combine(
                        Arbitraries.longs().between(1, 1_000_000),
                        Arbitraries.bytes().array(byte[].class).ofSize(16),
                        Arbitraries.integers().between(0, 32))
                .as((id, bytes, len) -> CapsuleWriter.encode(AddressRequest.of(new RequestedAddress(id, address(bytes, false), len))));
        Arbitrary<byte[]> routes = Arbitraries.integers().between(0, 255).list().ofMaxSize(5)
                .map(protocols -> {
                    // One range per distinct protocol, sorted: ordered by construction.
                    List<IpAddressRange> ranges = new ArrayList<>();
                    protocols.stream().distinct().sorted().forEach(p -> ranges.add(new IpAddressRange(
                            address(new byte[] {(byte) 198, 18, 0, 0}, false),
                            address(new byte[] {(byte) 198, 19, (byte) p.intValue(), 0}, false), p)));
                    return CapsuleWriter.encode(new RouteAdvertisement(ranges));
                });
        return Arbitraries.oneOf(datagram, unknown, assign, request, routes).list().ofMaxSize(8)
                .map(CapsuleParserProperties::concat);
    }

    private static InetAddress address(byte[] sixteen, boolean v6) {
        try {
            return v6 ? java.net.Inet6Address.getByAddress(null, sixteen, -1)
                    : InetAddress.getByAddress(Arrays.copyOf(sixteen, 4));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
