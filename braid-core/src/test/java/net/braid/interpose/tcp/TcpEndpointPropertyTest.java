package net.braid.interpose.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.braid.interpose.FlowKey;
import net.braid.packet.AddressPair;
import net.braid.packet.IpPacket;
import net.braid.packet.IpProtocol;
import net.braid.packet.TcpSegment;
import net.braid.packet.UpperLayer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random loss, reordering and duplication between the endpoint and a reference app: both byte
 * streams still arrive exactly, both FINs are exchanged and nobody resets.
 */
class TcpEndpointPropertyTest {

    @Property(tries = 300)
    void streamsSurviveAnImpairedDevice(@ForAll long seed,
                                        @ForAll @IntRange(min = 0, max = 200_000) int downBytes,
                                        @ForAll @IntRange(min = 0, max = 60_000) int upBytes,
                                        @ForAll @IntRange(min = 0, max = 15) int lossPercent,
                                        @ForAll @IntRange(min = 0, max = 10) int duplicatePercent,
                                        @ForAll @IntRange(min = 0, max = 30) int reorderPercent,
                                        @ForAll boolean ipv6) {
        Random rnd = new Random(seed);
        byte[] down = new byte[downBytes];
        byte[] up = new byte[upBytes];
        rnd.nextBytes(down);
        rnd.nextBytes(up);
        AddressPair addresses = ipv6 ? AppPeer.V6 : AppPeer.V4;
        var app = new ReferenceApp(addresses, up);
        var out = new RecordingOutput();
        var config = TcpConfig.defaults(1500).withBuffers(16384, 24576);
        long now = 0;
        ByteBuffer syn = app.syn();
        long ul = IpPacket.upperLayer(syn, 0, syn.limit());
        var endpoint = TcpEndpoint.open(FlowKey.of(syn, 0, ul), syn, UpperLayer.offset(ul), config, out,
                new SplittableRandom(seed), now);
        assertThat(endpoint.key().protocol()).isEqualTo(IpProtocol.TCP);
        endpoint.upstreamConnected(now);

        int offered = 0;
        boolean ended = false;
        long unconsumed = 0;
        for (int step = 0; step < 120_000; step++) {
            now += 5_000_000L;
            List<byte[]> toApp = impair(new ArrayList<>(out.rawToApp), rnd, lossPercent, duplicatePercent, reorderPercent);
            out.rawToApp.clear();
            out.toApp.clear();
            for (byte[] p : toApp) app.receive(parse(p), now);
            app.pump(now);
            List<byte[]> toEndpoint = impair(new ArrayList<>(app.out), rnd, lossPercent, duplicatePercent, reorderPercent);
            app.out.clear();
            for (byte[] p : toEndpoint) {
                ByteBuffer b = ByteBuffer.wrap(p);
                long l4 = IpPacket.upperLayer(b, 0, p.length);
                if (TcpEndpoint.isOpeningSyn(b, UpperLayer.offset(l4)) && endpoint.state() == TcpState.CLOSED) continue;
                endpoint.segment(b, UpperLayer.offset(l4), p.length, now);
            }
            endpoint.flush(now);
            long delivered = out.upstream.size();
            if (delivered > unconsumed) {
                // The upstream drains at most 8 kB per step: the endpoint's window must hold the app back.
                int n = (int) Math.min(8192, delivered - unconsumed);
                unconsumed += n;
                endpoint.upstreamConsumed(n, now);
            }
            if (offered < down.length) {
                offered += endpoint.upstreamData(ByteBuffer.wrap(down, offered, down.length - offered), now);
            } else if (!ended) {
                endpoint.upstreamEnd(now);
                ended = true;
            }
            if (now >= endpoint.nextDeadline()) endpoint.tick(now);
            if (app.peerFin && app.finAcknowledged() && out.upstreamEnds == 1
                    && (endpoint.state() == TcpState.CLOSED || endpoint.state() == TcpState.TIME_WAIT)) {
                break;
            }
        }
        assertThat(out.upstreamResets).as("upstream resets").isZero();
        String where = endpoint + " app got " + app.received.size() + " of " + down.length
                + ", upstream got " + out.upstream.size() + " of " + up.length;
        assertThat(Arrays.equals(app.received.toByteArray(), down)).as("bytes at the app: " + where).isTrue();
        assertThat(Arrays.equals(out.upstream.toByteArray(), up)).as("bytes upstream: " + where).isTrue();
        assertThat(app.peerFin).as("FIN at the app").isTrue();
        assertThat(out.upstreamEnds).as("end of stream upstream").isEqualTo(1);
        assertThat(app.finAcknowledged()).as("app's FIN acknowledged").isTrue();
        assertThat(endpoint.state()).isIn(TcpState.CLOSED, TcpState.TIME_WAIT);
    }

    /** Drops, duplicates and swaps packets (a swap moves one up to 4 places later), in percent. */
    static List<byte[]> impair(List<byte[]> packets, Random rnd, int loss, int dup, int reorder) {
        List<byte[]> result = new ArrayList<>();
        for (byte[] p : packets) {
            if (rnd.nextInt(100) < loss) continue;
            result.add(p);
            if (rnd.nextInt(100) < dup) result.add(p);
        }
        for (int i = 0; i + 1 < result.size(); i++) {
            if (rnd.nextInt(100) < reorder) Collections.swap(result, i, i + 1 + rnd.nextInt(Math.min(4, result.size() - i - 1)));
        }
        return result;
    }

    private static TcpSegment parse(byte[] p) {
        try {
            return TcpSegment.parse(ByteBuffer.wrap(p), 0, p.length);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
