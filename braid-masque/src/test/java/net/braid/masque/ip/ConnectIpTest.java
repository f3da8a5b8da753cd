package net.braid.masque.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.AssignedAddress;
import net.braid.masque.codec.CapsuleError;
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.codec.RequestedAddress;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.H3Client;
import net.braid.masque.h3.H3Connection;
import net.braid.masque.h3.H3Options;
import net.braid.masque.h3.H3Server;
import net.braid.masque.h3.H3Stream;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.ServerTrust;
import net.braid.masque.h3.StreamListener;
import net.braid.masque.udp.AccessTokens;
import net.braid.masque.udp.MasqueProxyHandler;
import net.braid.masque.udp.ProxyConfig;
import net.braid.masque.udp.ProxyRefusedException;
import net.braid.masque.udp.ProxyStatus;
import net.braid.packet.AddressPair;
import net.braid.packet.DropReason;
import net.braid.packet.IcmpEcho;
import net.braid.packet.IcmpHeader;
import net.braid.packet.IpPacket;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client and proxy in process over loopback HTTP/3: CONNECT-IP with an egress double in place of
 * the TUN. Targets are in 198.18.0.0/16 and 2001:db8:2::/48, client addresses in 198.19.0.0/28 and
 * 2001:db8:1::/120; no packet leaves the process.
 */
class ConnectIpTest {
    static final String TOKEN = "ip-Token_1";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final IpPrefix POOL_V4 = IpPrefix.parse("198.19.0.0/28");
    static final IpPrefix POOL_V6 = IpPrefix.parse("2001:db8:1::/120");
    static final InetAddress TARGET_V4 = InetAddress.ofLiteral("198.18.0.5");
    static final InetAddress TARGET_V6 = InetAddress.ofLiteral("2001:db8:2::5");
    static final int MTU = 1400;

    /** Stands where the TUN will: keeps copies of what the proxy writes. */
    static final class EgressDouble implements IpEgress {
        final BlockingQueue<byte[]> packets = new LinkedBlockingQueue<>();
        volatile boolean full;

        @Override
        public boolean write(ByteBuffer packet) {
            if (full) return false;
            byte[] copy = new byte[packet.remaining()];
            packet.duplicate().get(copy);
            return packets.add(copy);
        }

        byte[] next() throws InterruptedException {
            return packets.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static Certificates.Identity identity;
    static EgressDouble egress = new EgressDouble();
    static ConnectIpHandler proxy;
    static H3Server server;
    static ReturnPath returnPath;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    static ConnectIpConfig config(List<IpPrefix> pool) {
        return ConnectIpConfig.defaults(AccessTokens.of(Set.of(TOKEN)), pool)
                .withReachable(List.of(IpPrefix.parse("198.18.0.0/16"), IpPrefix.parse("2001:db8:2::/48")),
                        List.of(IpPrefix.parse("198.18.99.0/24")))
                .withMtu(MTU);
    }

    @BeforeAll
    static void start() throws Exception {
        identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        proxy = new ConnectIpHandler(config(List.of(POOL_V4, POOL_V6)), egress);
        // Plugged in the way braid proxy does: behind the CONNECT-UDP / CONNECT handler.
        var masque = new MasqueProxyHandler(ProxyConfig.defaults(AccessTokens.of(Set.of(TOKEN))), proxy);
        server = H3Server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity, H3Options.defaults(), masque);
        returnPath = proxy.returnPath();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (returnPath != null) returnPath.close();
    }

    @BeforeEach
    void drain() throws InterruptedException {
        egress.full = false;
        // The last test's sessions end when the proxy sees their streams close, a moment after that test.
        eventually(() -> proxy.pool().inUse() == 0, "the previous test's addresses released");
        egress.packets.clear();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) c.close();
    }

    H3Connection connect(H3Server to, H3Options options) throws Exception {
        H3Client h3 = H3Client.create(ServerTrust.PinnedKeys.of(Certificates.spkiSha256(identity.leaf())), options);
        cleanup.add(h3);
        H3Connection c = h3.connect(to.localAddress(), "localhost").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        // Waiting for the close lets CONNECTION_CLOSE out before the client's event loop stops.
        cleanup.add(() -> c.close().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        c.peerSettings().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return c;
    }

    H3Connection connect() throws Exception {
        return connect(server, H3Options.defaults());
    }

    /** A session with what it receives collected. */
    record Opened(IpSession session, BlockingQueue<byte[]> received) {
        byte[] next() throws InterruptedException {
            return received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        InetAddress address(int version) {
            return session.addresses().stream().map(AssignedAddress::address)
                    .filter(a -> a.getAddress().length == (version == 4 ? 4 : 16)).findFirst().orElseThrow();
        }
    }

    Opened open(H3Connection c, ConnectIpScope scope, List<RequestedAddress> requests) throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        var client = new ConnectIpClient(c, "localhost:" + server.localAddress().getPort(), TOKEN);
        IpSession s = client.open(scope, requests, p -> {
            byte[] copy = new byte[p.remaining()];
            p.duplicate().get(copy);
            received.add(copy);
        }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        cleanup.add(s);
        s.firstAssignment().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        eventually(() -> !s.routes().isEmpty(), "routes advertised");
        return new Opened(s, received);
    }

    Opened open(H3Connection c) throws Exception {
        return open(c, ConnectIpScope.ANY, List.of());
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    static void dropped(IpDropReason reason, long before, long expected) throws InterruptedException {
        eventually(() -> proxy.counters().snapshot().dropped(reason) - before == expected, reason + " +" + expected);
    }

    static byte[] echo(InetAddress src, InetAddress dst, int id, int ttl, int dataLength) {
        ByteBuffer b = ByteBuffer.allocate(65535);
        int n = new IcmpEcho(AddressPair.of(src, dst), true, id, 7, new byte[dataLength]).write(b, 0, ttl);
        return Arrays.copyOf(b.array(), n);
    }

    static byte[] reply(byte[] request) throws Exception {
        IcmpEcho e = IcmpEcho.parse(ByteBuffer.wrap(request), 0, request.length);
        ByteBuffer b = ByteBuffer.allocate(65535);
        int n = e.reply().write(b, 0, 60);
        return Arrays.copyOf(b.array(), n);
    }

    static int ttl(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        return IpPacket.version(b) == 4 ? Ipv4Header.ttl(b, 0) : Ipv6Header.hopLimit(b, 0);
    }

    static IcmpEcho parse(byte[] packet) throws Exception {
        return IcmpEcho.parse(ByteBuffer.wrap(packet), 0, packet.length);
    }

    @Test
    void assignsAnIpv4AndAnIpv6AddressAndAdvertisesTheScope() throws Exception {
        Opened o = open(connect());
        assertThat(o.session().addresses()).hasSize(2).allMatch(a -> a.requestId() == 0);
        assertThat(IpPrefix.host(o.address(4)).overlaps(POOL_V4)).isTrue();
        assertThat(IpPrefix.host(o.address(6)).overlaps(POOL_V6)).isTrue();
        assertThat(o.session().addresses()).extracting(AssignedAddress::prefixLength).containsExactlyInAnyOrder(32, 128);
        assertThat(o.session().routes()).extracting(Object::toString).containsExactly(
                "198.18.0.0-198.18.98.255 proto any", "198.18.100.0-198.18.255.255 proto any",
                "2001:db8:2:0:0:0:0:0-2001:db8:2:ffff:ffff:ffff:ffff:ffff proto any");
        assertThat(o.session().usesQuicDatagrams()).isTrue();
    }

    @Test
    void echoReachesTheEgressWithTtlDecrementedAndTheReplyComesBack() throws Exception {
        Opened o = open(connect());
        for (int version : new int[] {4, 6}) {
            byte[] request = echo(o.address(version), version == 4 ? TARGET_V4 : TARGET_V6, 100 + version, 64, 56);
            assertThat(o.session().send(ByteBuffer.wrap(request))).isTrue();

            byte[] out = egress.next();
            assertThat(out).as("IPv%d echo at the egress", version).isNotNull();
            assertThat(ttl(out)).isEqualTo(63);
            assertThat(IpPacket.validateTransport(ByteBuffer.wrap(out), 0, out.length)).isEqualTo(DropReason.NONE);
            assertThat(parse(out)).isEqualTo(parse(request));

            byte[] reply = reply(out);
            assertThat(returnPath.deliver(ByteBuffer.wrap(reply))).isTrue();
            assertThat(o.next()).as("IPv%d reply", version).isEqualTo(reply);
        }
    }

    @Test
    void repliesGoToTheSessionOwningTheirDestination() throws Exception {
        H3Connection first = connect();
        List<Opened> sessions = List.of(open(first), open(first), open(connect()));
        for (int i = 0; i < sessions.size(); i++) {
            byte[] request = echo(sessions.get(i).address(4), TARGET_V4, i, 64, 16);
            assertThat(sessions.get(i).session().send(ByteBuffer.wrap(request))).isTrue();
            byte[] out = egress.next();
            assertThat(parse(out).identifier()).isEqualTo(i);
            assertThat(returnPath.deliver(ByteBuffer.wrap(reply(out)))).isTrue();
        }
        for (int i = 0; i < sessions.size(); i++) {
            byte[] got = sessions.get(i).next();
            assertThat(got).isNotNull();
            assertThat(parse(got).identifier()).as("session %d gets its own reply", i).isEqualTo(i);
        }
        for (Opened o : sessions) assertThat(o.received()).as("no cross-talk").isEmpty();

        long before = proxy.counters().snapshot().dropped(IpDropReason.NO_SESSION);
        byte[] stray = reply(echo(InetAddress.ofLiteral("198.19.0.14"), TARGET_V4, 9, 64, 8));
        assertThat(returnPath.deliver(ByteBuffer.wrap(stray))).isFalse();
        assertThat(proxy.counters().snapshot().dropped(IpDropReason.NO_SESSION) - before).isEqualTo(1);
    }

    @Test
    void addressRequestIsHonouredWithItsRequestId() throws Exception {
        Opened o = open(connect(), ConnectIpScope.ANY, List.of(
                new RequestedAddress(1, InetAddress.ofLiteral("198.19.0.9"), 32),
                new RequestedAddress(2, InetAddress.ofLiteral("::"), 128)));
        eventually(() -> o.session().addresses().stream().allMatch(a -> a.requestId() != 0), "the requested addresses");
        assertThat(o.session().addresses()).extracting(Object::toString)
                .contains("198.19.0.9/32 (request 1)")
                .anyMatch(s -> s.startsWith("2001:db8:1:") && s.endsWith("/128 (request 2)"));
        assertThat(o.session().rejectedRequests()).isEmpty();

        // The requested address works, and the unsolicited one it replaced no longer does.
        byte[] request = echo(InetAddress.ofLiteral("198.19.0.9"), TARGET_V4, 1, 64, 8);
        assertThat(o.session().send(ByteBuffer.wrap(request))).isTrue();
        assertThat(parse(egress.next())).isEqualTo(parse(request));
        assertThat(returnPath.deliver(ByteBuffer.wrap(reply(request)))).isTrue();
        assertThat(o.next()).isNotNull();

        // 198.19.0.9 is taken now: a second session asking for it gets another address.
        Opened other = open(connect(), ConnectIpScope.ANY, List.of(new RequestedAddress(5, InetAddress.ofLiteral("198.19.0.9"), 32)));
        eventually(() -> other.session().addresses().stream().anyMatch(a -> a.requestId() == 5), "request 5 answered");
        assertThat(other.address(4)).isNotEqualTo(InetAddress.ofLiteral("198.19.0.9"));
    }

    @Test
    void spoofedSourcesAndScopeViolationsAreDroppedAndCounted() throws Exception {
        Opened o = open(connect());
        var before = proxy.counters().snapshot();

        // The client itself refuses destinations outside the advertised routes…
        byte[] denied = echo(o.address(4), InetAddress.ofLiteral("198.18.99.1"), 1, 64, 8);
        assertThat(o.session().send(ByteBuffer.wrap(denied))).isFalse();
        assertThat(o.session().counters().outsideRoutes()).isEqualTo(1);
        // …and the proxy checks again what a client sends past that.
        MasqueStream stream = o.session().stream();
        stream.sendDatagram(0, Unpooled.wrappedBuffer(denied));
        stream.sendDatagram(0, Unpooled.wrappedBuffer(echo(o.address(6), InetAddress.ofLiteral("2001:db8:3::1"), 2, 64, 8)));
        byte[] spoofed = echo(InetAddress.ofLiteral("198.19.0.13"), TARGET_V4, 3, 64, 8);
        assertThat(o.session().send(ByteBuffer.wrap(spoofed))).isTrue();
        stream.sendDatagram(0, Unpooled.wrappedBuffer(new byte[] {0x45, 0, 0, 20}));
        stream.sendDatagram(7, Unpooled.wrappedBuffer(echo(o.address(4), TARGET_V4, 4, 64, 8)));

        dropped(IpDropReason.OUT_OF_SCOPE, before.dropped(IpDropReason.OUT_OF_SCOPE), 2);
        dropped(IpDropReason.SPOOFED_SOURCE, before.dropped(IpDropReason.SPOOFED_SOURCE), 1);
        dropped(IpDropReason.INVALID_PACKET, before.dropped(IpDropReason.INVALID_PACKET), 1);
        dropped(IpDropReason.UNKNOWN_CONTEXT, before.dropped(IpDropReason.UNKNOWN_CONTEXT), 1);
        // Nothing of that reached the egress: the next packet there is this valid one.
        byte[] valid = echo(o.address(4), TARGET_V4, 5, 64, 8);
        assertThat(o.session().send(ByteBuffer.wrap(valid))).isTrue();
        assertThat(parse(egress.next()).identifier()).isEqualTo(5);
        assertThat(egress.packets).isEmpty();

        // From the egress, a source outside the session's scope is not let through either.
        long outside = proxy.counters().snapshot().dropped(IpDropReason.OUTSIDE_SCOPE_FROM_EGRESS);
        byte[] fromElsewhere = reply(echo(o.address(4), InetAddress.ofLiteral("198.18.99.1"), 6, 64, 8));
        assertThat(returnPath.deliver(ByteBuffer.wrap(fromElsewhere))).isFalse();
        assertThat(proxy.counters().snapshot().dropped(IpDropReason.OUTSIDE_SCOPE_FROM_EGRESS) - outside).isEqualTo(1);
    }

    @Test
    void expiringTtlIsAnsweredWithTimeExceeded() throws Exception {
        Opened o = open(connect());
        byte[] v4 = echo(o.address(4), TARGET_V4, 1, 1, 8);
        assertThat(o.session().send(ByteBuffer.wrap(v4))).isTrue();
        byte[] error = o.next();
        assertThat(error).as("ICMP Time Exceeded").isNotNull();
        ByteBuffer e = ByteBuffer.wrap(error);
        assertThat(IpPacket.validateTransport(e, 0, error.length)).isEqualTo(DropReason.NONE);
        assertThat(Ipv4Header.src(e, 0)).isEqualTo(ByteBuffer.wrap(InetAddress.ofLiteral("198.19.0.1").getAddress()).getInt());
        assertThat(IcmpHeader.type(e, 20)).isEqualTo(IcmpHeader.V4_TIME_EXCEEDED);
        assertThat(Arrays.copyOfRange(error, 28, 28 + v4.length)).as("quotes the packet").isEqualTo(v4);

        byte[] v6 = echo(o.address(6), TARGET_V6, 2, 1, 8);
        assertThat(o.session().send(ByteBuffer.wrap(v6))).isTrue();
        byte[] error6 = o.next();
        assertThat(error6).isNotNull();
        assertThat(IcmpHeader.type(ByteBuffer.wrap(error6), 40)).isEqualTo(IcmpHeader.V6_TIME_EXCEEDED);
        assertThat(egress.packets).isEmpty();
        assertThat(proxy.counters().snapshot().dropped(IpDropReason.TTL_EXPIRED)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void packetsOverTheEgressMtuAreAnsweredWithPacketTooBig() throws Exception {
        Opened o = open(connect());
        // 1500 bytes: also more than a QUIC DATAGRAM holds here, so it travels as a DATAGRAM capsule.
        byte[] v6 = echo(o.address(6), TARGET_V6, 1, 64, 1500 - 48);
        assertThat(o.session().send(ByteBuffer.wrap(v6))).isTrue();
        byte[] error = o.next();
        assertThat(error).as("ICMPv6 Packet Too Big").isNotNull();
        ByteBuffer e = ByteBuffer.wrap(error);
        assertThat(IcmpHeader.type(e, 40)).isEqualTo(IcmpHeader.V6_PACKET_TOO_BIG);
        assertThat(IcmpHeader.mtu(e, 40)).isEqualTo(MTU);
        assertThat(error.length).isLessThanOrEqualTo(1280);

        byte[] v4 = echo(o.address(4), TARGET_V4, 2, 64, MTU + 10 - 28); // IcmpEcho sets DF
        assertThat(o.session().send(ByteBuffer.wrap(v4))).isTrue();
        byte[] error4 = o.next();
        assertThat(error4).as("ICMP Fragmentation Needed").isNotNull();
        ByteBuffer e4 = ByteBuffer.wrap(error4);
        assertThat(IcmpHeader.type(e4, 20)).isEqualTo(IcmpHeader.V4_DESTINATION_UNREACHABLE);
        assertThat(IcmpHeader.code(e4, 20)).isEqualTo(IcmpHeader.V4_FRAGMENTATION_NEEDED);
        assertThat(IcmpHeader.nextHopMtu(e4, 20)).isEqualTo(MTU);

        byte[] fits = echo(o.address(4), TARGET_V4, 3, 64, MTU - 28);
        assertThat(o.session().send(ByteBuffer.wrap(fits))).isTrue();
        assertThat(egress.next()).hasSize(MTU);
    }

    /** The response to a hand-made request: status and Proxy-Status error. */
    static String refusal(H3Connection c, String path, String token) throws Exception {
        Http3Headers h = new DefaultHttp3Headers().method("CONNECT").protocol("connect-ip").scheme("https")
                .authority("localhost").path(path).add("capsule-protocol", "?1");
        if (token != null) h.add("authorization", "Bearer " + token);
        H3Stream s = c.openStream(h, StreamListener.NONE).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Http3Headers response = s.response().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        CharSequence status = response.get(ProxyStatus.FIELD);
        return response.status() + " " + ProxyStatus.errorOf(status == null ? null : status.toString());
    }

    @Test
    void refusalsCarryStatusAndProxyStatus() throws Exception {
        H3Connection c = connect();
        String ok = "/.well-known/masque/ip/*/*/";
        assertThat(refusal(c, ok, null)).isEqualTo("401 http_request_denied");
        assertThat(refusal(c, ok, "wrong-token")).isEqualTo("401 http_request_denied");
        assertThat(refusal(c, "/.well-known/masque/ip/198.18.99.0%2F24/*/", TOKEN)).isEqualTo("403 destination_ip_prohibited");
        assertThat(refusal(c, "/.well-known/masque/ip/203.0.113.7/*/", TOKEN)).isEqualTo("403 destination_ip_prohibited");
        assertThat(refusal(c, "/.well-known/masque/ip/bad_name!/*/", TOKEN)).isEqualTo("400 http_request_error");
        assertThat(refusal(c, "/.well-known/masque/ip/*/300/", TOKEN)).isEqualTo("400 http_request_error");
        assertThat(refusal(c, "/not/the/template", TOKEN)).isEqualTo("400 http_request_error");

        var client = new ConnectIpClient(c, "localhost", "wrong-token");
        assertThatThrownBy(() -> client.open(ConnectIpScope.ANY, List.of(), null).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ProxyRefusedException.class)
                .satisfies(e -> assertThat(((ProxyRefusedException) e).status()).isEqualTo(401));
    }

    @Test
    void aScopedSessionReachesOnlyItsTargetAndProtocol() throws Exception {
        Opened o = open(connect(), new ConnectIpScope(new ConnectIpScope.Target.Prefix(IpPrefix.parse("198.18.0.5")), 1), List.of());
        assertThat(o.session().routes()).extracting(Object::toString).containsExactly("198.18.0.5-198.18.0.5 proto 1");
        assertThat(o.session().addresses()).hasSize(1); // IPv4 only: the scope reaches no IPv6 address
        assertThat(o.session().send(ByteBuffer.wrap(echo(o.address(4), InetAddress.ofLiteral("198.18.0.6"), 1, 64, 8)))).isFalse();
        assertThat(o.session().send(ByteBuffer.wrap(echo(o.address(4), TARGET_V4, 2, 64, 8)))).isTrue();
        assertThat(parse(egress.next()).identifier()).isEqualTo(2);
    }

    @Test
    void aMalformedCapsuleAbortsTheStreamAndReleasesTheAddresses() throws Exception {
        Opened o = open(connect());
        long malformed = proxy.counters().snapshot().malformedCapsules();
        int inUse = proxy.pool().inUse();
        // ADDRESS_REQUEST (type 0x02) whose Request ID is 0, which RFC 9484 §4.7.2 forbids.
        o.session().stream().write(Unpooled.wrappedBuffer(new byte[] {0x02, 0x07, 0x00, 0x04, (byte) 198, 19, 0, 5, 32}));
        o.session().closeFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(o.session().endReason()).contains("reset").contains(Long.toHexString(CapsuleError.H3_DATAGRAM_ERROR));
        eventually(() -> proxy.counters().snapshot().malformedCapsules() == malformed + 1, "malformed capsule counted");
        eventually(() -> proxy.pool().inUse() == inUse - 2, "addresses released");
    }

    @Test
    void withoutQuicDatagramsPacketsTravelAsDatagramCapsules() throws Exception {
        H3Connection c = connect(server, H3Options.defaults().withoutQuicDatagrams());
        Opened o = open(c);
        assertThat(o.session().usesQuicDatagrams()).isFalse();
        for (int version : new int[] {4, 6}) {
            byte[] request = echo(o.address(version), version == 4 ? TARGET_V4 : TARGET_V6, version, 64, 1000);
            assertThat(o.session().send(ByteBuffer.wrap(request))).isTrue();
            byte[] out = egress.next();
            assertThat(out).isNotNull();
            assertThat(returnPath.deliver(ByteBuffer.wrap(reply(out)))).isTrue();
            assertThat(parse(o.next()).identifier()).isEqualTo(version);
        }
        assertThat(c.counters().sent()).isZero();
        assertThat(c.counters().received()).isZero();
    }

    @Test
    void anExhaustedPoolRefusesClearlyAndAddressesAreReusedAfterwards() throws Exception {
        var small = new ConnectIpHandler(config(List.of(IpPrefix.parse("198.19.5.0/30"))), egress);
        try (H3Server tiny = H3Server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity,
                H3Options.defaults(), small)) {
            H3Connection c = connect(tiny, H3Options.defaults());
            var client = new ConnectIpClient(c, "localhost", TOKEN);
            IpSession first = client.open(ConnectIpScope.ANY, List.of(), null).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(first.firstAssignment().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .extracting(Object::toString).containsExactly("198.19.5.2/32 (request 0)");

            assertThatThrownBy(() -> client.open(ConnectIpScope.ANY, List.of(), null).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .cause().isInstanceOf(ProxyRefusedException.class)
                    .satisfies(e -> {
                        var r = (ProxyRefusedException) e;
                        assertThat(r.status()).isEqualTo(503);
                        assertThat(r.proxyError()).isEqualTo("proxy_internal_error");
                        assertThat(r.proxyStatus()).contains("IPv4 address pool exhausted");
                    });

            first.close();
            eventually(() -> small.pool().inUse() == 0, "the address released");
            assertThat(small.counters().snapshot().activeSessions()).isZero();
            IpSession again = client.open(ConnectIpScope.ANY, List.of(), null).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(again.firstAssignment().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .extracting(Object::toString).containsExactly("198.19.5.2/32 (request 0)");
            // The pool has no IPv6: the request is answered with its ID, the all-zero address and /128 (RFC 9484 §4.7.1).
            again.requestAddresses(List.of(new RequestedAddress(9, InetAddress.ofLiteral("::"), 64)));
            eventually(() -> !again.rejectedRequests().isEmpty(), "the rejection");
            assertThat(again.rejectedRequests()).extracting(Object::toString).containsExactly("0:0:0:0:0:0:0:0/128 (request 9)");
            assertThat(again.addresses()).extracting(Object::toString).containsExactly("198.19.5.2/32 (request 0)");
            assertThat(small.counters().snapshot().addressRequestsRejected()).isEqualTo(1);
            again.close();
        }
    }

    @Test
    void aFullEgressDropsAndCounts() throws Exception {
        Opened o = open(connect());
        long before = proxy.counters().snapshot().dropped(IpDropReason.EGRESS_FULL);
        egress.full = true;
        assertThat(o.session().send(ByteBuffer.wrap(echo(o.address(4), TARGET_V4, 1, 64, 8)))).isTrue();
        dropped(IpDropReason.EGRESS_FULL, before, 1);
        egress.full = false;
        assertThat(o.session().send(ByteBuffer.wrap(echo(o.address(4), TARGET_V4, 2, 64, 8)))).isTrue();
        assertThat(parse(egress.next()).identifier()).isEqualTo(2);
    }
}
