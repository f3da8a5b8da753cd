package net.braid.interpose.tcp;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import net.braid.interpose.FlowKey;
import net.braid.packet.AddressPair;
import net.braid.packet.IpProtocol;
import net.braid.packet.TcpHeader;
import net.braid.packet.TcpOptions;
import net.braid.packet.TcpSegment;

/** The app's side in scripted tests: builds its segments and hands them to an endpoint with a fake clock. */
final class AppPeer {
    static final AddressPair V4 = AddressPair.of("198.18.0.2", "198.19.1.1");
    static final AddressPair V6 = AddressPair.of("2001:db8::2", "2001:db8:1::1");

    final AddressPair addresses;
    final int srcPort = 40000;
    final int dstPort = 443;
    final FlowKey key;
    final RecordingOutput out = new RecordingOutput();
    final TcpConfig config;
    long now = 1_000_000_000L;
    TcpEndpoint endpoint;
    final long isn = 0xFFFF_FF00L; // near the wrap, so offsets must unwrap correctly

    AppPeer(AddressPair addresses, TcpConfig config) {
        this.addresses = addresses;
        this.key = new FlowKey(IpProtocol.TCP, addresses, srcPort, dstPort);
        this.config = config;
    }

    AppPeer() {
        this(V4, TcpConfig.defaults(1500));
    }

    static long ms(long millis) {
        return millis * 1_000_000L;
    }

    ByteBuffer packet(long seq, long ack, int flags, int window, TcpOptions options, byte[] data) {
        var seg = new TcpSegment(addresses, srcPort, dstPort, seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL, flags, window, 0, options, data);
        ByteBuffer b = ByteBuffer.allocate(seg.length());
        seg.write(b, 0, 64);
        return b;
    }

    /** Opens the endpoint with a SYN carrying {@code options}, as the engine would. */
    void open(TcpOptions options, int window) {
        ByteBuffer syn = packet(isn, 0, TcpHeader.SYN, window, options, new byte[0]);
        endpoint = TcpEndpoint.open(key, syn, addresses.headerLength(), config, out, new SplittableRandom(7), now);
    }

    void send(long seq, long ack, int flags, int window, byte[] data) {
        send(packet(seq, ack, flags, window, TcpOptions.NONE, data));
    }

    void send(ByteBuffer p) {
        endpoint.segment(p, addresses.headerLength(), p.limit(), now);
    }

    /** Our (the app's) sequence number of stream offset {@code off}: 0 = SYN, 1 = first byte. */
    long seq(long off) {
        return (isn + off) & 0xFFFF_FFFFL;
    }

    void advance(long nanos) {
        now += nanos;
    }
}
