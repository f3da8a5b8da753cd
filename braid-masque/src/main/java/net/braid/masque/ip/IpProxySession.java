package net.braid.masque.ip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.AddressAssign;
import net.braid.masque.codec.AddressRequest;
import net.braid.masque.codec.AssignedAddress;
import net.braid.masque.codec.CapsuleHandler;
import net.braid.masque.codec.CapsuleParser;
import net.braid.masque.codec.HttpDatagram;
import net.braid.masque.codec.IpAddressRange;
import net.braid.masque.codec.MalformedCapsuleException;
import net.braid.masque.codec.QuicVarint;
import net.braid.masque.codec.RequestedAddress;
import net.braid.masque.codec.RouteAdvertisement;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.SendOutcome;
import net.braid.masque.h3.StreamListener;
import net.braid.packet.DropReason;
import net.braid.packet.IcmpError;
import net.braid.packet.IpPacket;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6Header;

/**
 * The proxy's half of one CONNECT-IP session (RFC 9484): the client's addresses and the routes of
 * its scope, the checks on every packet it sends before the egress sees it, and the way back.
 *
 * <p>Threads: everything but {@link #toClient} runs on the connection's event loop;
 * {@code toClient} may come from the egress reader, and reads only fields fixed before the session
 * is published in the {@link SessionTable}.
 */
final class IpProxySession implements StreamListener, CapsuleHandler {
    /** A client may ask for blocks down to /24 (IPv4) and /64 (IPv6), no larger. */
    private static final int SHORTEST_V4 = 24;
    private static final int SHORTEST_V6 = 64;

    private record Assignment(long requestId, IpPrefix block) {}

    private final ConnectIpHandler proxy;
    private final MasqueStream stream;
    private final IpProxyCounters counters;
    private final CapsuleParser parser = new CapsuleParser();
    private final List<Assignment> assignments = new ArrayList<>();
    private final List<AddressRequest> pending = new ArrayList<>();
    private ByteBuffer spare; // for packets Netty hands over in pieces, and ICMP errors
    private IpPrefix[] sources = new IpPrefix[0];
    private RouteTable scopeRoutes = RouteTable.EMPTY;
    private volatile RouteTable routes = RouteTable.EMPTY;
    private boolean open;
    private boolean ended;

    IpProxySession(ConnectIpHandler proxy, MasqueStream stream) {
        this.proxy = proxy;
        this.stream = stream;
        this.counters = proxy.counters();
    }

    boolean ended() {
        return ended;
    }

    /**
     * Assigns one address per IP version the scope reaches and the pool serves (RFC 9484 §4.7.1).
     * Returns why it could not, or null; on failure nothing stays assigned.
     */
    String assignInitial(RouteTable scope) {
        scopeRoutes = scope;
        for (int version : new int[] {4, 6}) {
            if (!scope.covers(version) || !proxy.pool().serves(version)) continue;
            Optional<IpPrefix> block = proxy.pool().allocate(version, AddressBits.bits(version));
            if (block.isEmpty()) {
                releaseAll();
                return "IPv" + version + " address pool exhausted";
            }
            assignments.add(new Assignment(0, block.get()));
        }
        if (assignments.isEmpty()) return "no pool address of an IP version the scope reaches";
        return null;
    }

    /** After the 200: publishes the addresses and sends ADDRESS_ASSIGN and ROUTE_ADVERTISEMENT (RFC 9484 §4.7). */
    void open() {
        open = true;
        counters.sessions.increment();
        counters.activeSessions.increment();
        for (Assignment a : assignments) proxy.table().put(a.block(), this);
        refreshRoutes();
        sources = blocks();
        stream.write(IpFraming.capsules(stream.alloc(), assignCapsule(List.of()), routeCapsule()));
        for (AddressRequest r : pending) onAddressRequest(r);
        pending.clear();
    }

    // Client → egress.

    @Override
    public void onDatagram(MasqueStream s, ByteBuf payload) {
        if (!open) return;
        if (IpFraming.readContextId(payload) != HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID) {
            counters.drop(IpDropReason.UNKNOWN_CONTEXT);
            return;
        }
        ByteBuffer packet = IpFraming.view(payload, spare());
        if (packet == null) {
            counters.drop(IpDropReason.INVALID_PACKET);
            return;
        }
        fromClient(packet, packet.position(), packet.remaining());
    }

    @Override
    public void onData(MasqueStream s, ByteBuf data) {
        if (ended) return;
        try {
            if (data.nioBufferCount() == 1) {
                parser.feed(data.nioBuffer(), this);
            } else {
                for (ByteBuffer b : data.nioBuffers()) parser.feed(b, this);
            }
        } catch (MalformedCapsuleException e) {
            malformed(e);
        }
    }

    /** A DATAGRAM capsule's value: Context ID, then the IP packet (RFC 9484 §6). */
    @Override
    public void onDatagram(ByteBuffer value) {
        if (!open || ended) return;
        long contextId = QuicVarint.read(value);
        if (contextId != HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID) {
            counters.drop(IpDropReason.UNKNOWN_CONTEXT);
            return;
        }
        fromClient(value, value.position(), value.remaining());
    }

    /**
     * The checks of RFC 9484 §4.8 and §10 on one packet from the client, then the egress. The
     * packet is changed in place (TTL); {@code b}'s position and limit are restored.
     */
    private void fromClient(ByteBuffer b, int off, int len) {
        if (IpPacket.validate(b, off, len) != DropReason.NONE) {
            counters.drop(IpDropReason.INVALID_PACKET);
            return;
        }
        len = IpPacket.length(b, off); // link padding is not part of the packet
        boolean v4 = Ipv4Header.version(b, off) == 4;
        if (!sourceAssigned(b, off, v4)) {
            counters.drop(IpDropReason.SPOOFED_SOURCE);
            return;
        }
        if (!routes.permits(b, off, len, true)) {
            counters.drop(IpDropReason.OUT_OF_SCOPE);
            return;
        }
        // RFC 9484 §4.8 and RFC 1812 §5.3.1: the proxy forwards, so it decrements TTL / hop limit.
        int ttl = v4 ? Ipv4Header.ttl(b, off) : Ipv6Header.hopLimit(b, off);
        if (ttl <= 1) {
            counters.drop(IpDropReason.TTL_EXPIRED);
            icmpError(b, off, len, v4, false);
            return;
        }
        // RFC 9484 §10.1: too large for the egress link; IPv4 without DF is left for the egress to fragment.
        if (len > proxy.config().mtu() && (!v4 || Ipv4Header.dontFragment(b, off))) {
            counters.drop(IpDropReason.TOO_BIG);
            icmpError(b, off, len, v4, true);
            return;
        }
        if (v4) Ipv4Header.decrementTtl(b, off);
        else Ipv6Header.decrementHopLimit(b, off);
        int position = b.position();
        int limit = b.limit();
        b.limit(off + len).position(off);
        try {
            if (proxy.egress().write(b)) counters.packetsToEgress.increment();
            else counters.drop(IpDropReason.EGRESS_FULL);
        } finally {
            b.limit(limit).position(position);
        }
    }

    private boolean sourceAssigned(ByteBuffer b, int off, boolean v4) {
        IpPrefix[] mine = sources;
        if (v4) {
            int src = Ipv4Header.src(b, off);
            for (IpPrefix p : mine) if (p.containsV4(src)) return true;
        } else {
            long hi = Ipv6Header.srcHi(b, off);
            long lo = Ipv6Header.srcLo(b, off);
            for (IpPrefix p : mine) if (p.containsV6(hi, lo)) return true;
        }
        return false;
    }

    /** Time Exceeded or Packet Too Big / Fragmentation Needed back into the tunnel, from the pool's gateway. */
    private void icmpError(ByteBuffer b, int off, int len, boolean v4, boolean tooBig) {
        if (!IcmpError.mayAnswer(b, off, len, tooBig)) return;
        Optional<InetAddress> from = proxy.pool().gateway(v4 ? 4 : 6);
        if (from.isEmpty()) return;
        ByteBuffer out = ByteBuffer.allocate(IcmpError.V6_MAX_LENGTH);
        byte[] a = from.get().getAddress();
        ByteBuffer g = ByteBuffer.wrap(a);
        int mtu = proxy.config().mtu();
        int n;
        if (v4) {
            n = tooBig ? IcmpError.fragmentationNeeded(out, 0, g.getInt(0), mtu, b, off, len)
                    : IcmpError.timeExceededV4(out, 0, g.getInt(0), b, off, len);
        } else {
            n = tooBig ? IcmpError.packetTooBig(out, 0, g.getLong(0), g.getLong(8), mtu, b, off, len)
                    : IcmpError.timeExceededV6(out, 0, g.getLong(0), g.getLong(8), b, off, len);
        }
        counters.icmpErrors.increment();
        toClient(Unpooled.wrappedBuffer(out.array(), 0, n));
    }

    private ByteBuffer spare() {
        if (spare == null) spare = ByteBuffer.allocate(65535);
        return spare;
    }

    // Egress → client.

    /** Whether a packet from the egress comes from inside this session's scope (RFC 9484 §4.8). */
    boolean permitsFromEgress(ByteBuffer b, int off, int len) {
        return routes.permits(b, off, len, false);
    }

    /**
     * Sends one IP packet to the client; takes ownership of {@code packet}. A QUIC DATAGRAM when
     * negotiated and large enough, else a DATAGRAM capsule (RFC 9297 §3.5), which keeps the tunnel
     * MTU at 1280 or more even on a small QUIC path (RFC 9484 §10.1). Callable from any thread.
     */
    boolean toClient(ByteBuf packet) {
        try {
            // -1 without HTTP Datagrams beside the stream (HTTP/2, or not negotiated).
            if (packet.readableBytes() <= stream.maxDatagramPayload(HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID)) {
                SendOutcome outcome = stream.sendDatagram(HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID, packet.retain());
                if (outcome == SendOutcome.SENT) {
                    counters.packetsToClients.increment();
                    return true;
                }
                if (outcome != SendOutcome.TOO_LARGE) {
                    counters.drop(IpDropReason.CLIENT_QUEUE_FULL);
                    return false;
                }
            }
            if (!stream.isOpen() || !stream.isWritable()) {
                counters.drop(IpDropReason.CLIENT_QUEUE_FULL);
                return false;
            }
            stream.write(IpFraming.datagramCapsule(stream.alloc(), packet));
            counters.packetsToClients.increment();
            return true;
        } finally {
            packet.release();
        }
    }

    // Address requests (RFC 9484 §4.7.2).

    @Override
    public void onAddressRequest(AddressRequest request) {
        if (ended) return;
        if (!open) {
            pending.add(request);
            return;
        }
        List<AssignedAddress> rejected = new ArrayList<>();
        boolean changed = false;
        for (RequestedAddress r : request.addresses()) {
            int version = AddressBits.version(r.address());
            Optional<IpPrefix> block = allocate(r, version);
            if (block.isEmpty()) {
                // RFC 9484 §4.7.1: a request that cannot be met is answered with its Request ID,
                // the all-zero address of its family and the longest prefix length.
                rejected.add(new AssignedAddress(r.requestId(), AddressBits.zero(version), AddressBits.bits(version)));
                counters.addressRequestsRejected.increment();
                continue;
            }
            // The unsolicited address of this family gives way to the one the client asked for.
            for (var it = assignments.iterator(); it.hasNext(); ) {
                Assignment a = it.next();
                if (a.requestId() == 0 && AddressBits.version(a.block()) == version) {
                    it.remove();
                    proxy.table().remove(a.block(), this);
                    proxy.pool().release(a.block());
                }
            }
            assignments.add(new Assignment(r.requestId(), block.get()));
            proxy.table().put(block.get(), this);
            changed = true;
        }
        sources = blocks();
        RouteTable before = routes;
        if (changed) refreshRoutes();
        var alloc = stream.alloc();
        stream.write(routes.ranges().equals(before.ranges())
                ? IpFraming.capsules(alloc, assignCapsule(rejected))
                : IpFraming.capsules(alloc, assignCapsule(rejected), routeCapsule()));
    }

    private Optional<IpPrefix> allocate(RequestedAddress r, int version) {
        AddressPool pool = proxy.pool();
        if (!pool.serves(version) || !scopeRoutes.covers(version)) return Optional.empty();
        long held = assignments.stream().filter(a -> a.requestId() != 0 && AddressBits.version(a.block()) == version).count();
        if (held >= proxy.config().maxAddressesPerFamily()) return Optional.empty();
        int length = Math.max(r.prefixLength(), Math.max(pool.shortestBlock(version), version == 4 ? SHORTEST_V4 : SHORTEST_V6));
        Optional<IpPrefix> block = Optional.empty();
        if (!AddressBits.isZero(r.address())) block = pool.allocate(IpPrefix.of(r.address(), length));
        return block.isPresent() ? block : pool.allocate(version, length);
    }

    /** The scope's routes for the IP versions the client holds addresses of. */
    private void refreshRoutes() {
        boolean v4 = false;
        boolean v6 = false;
        for (Assignment a : assignments) {
            if (AddressBits.version(a.block()) == 4) v4 = true;
            else v6 = true;
        }
        List<IpAddressRange> kept = new ArrayList<>();
        for (IpAddressRange r : scopeRoutes.ranges()) if (r.ipVersion() == 4 ? v4 : v6) kept.add(r);
        routes = RouteTable.of(kept);
    }

    private IpPrefix[] blocks() {
        return assignments.stream().map(Assignment::block).toArray(IpPrefix[]::new);
    }

    private AddressAssign assignCapsule(List<AssignedAddress> rejected) {
        List<AssignedAddress> all = new ArrayList<>();
        for (Assignment a : assignments) {
            all.add(new AssignedAddress(a.requestId(), a.block().network().address(), a.block().prefixLength()));
        }
        all.addAll(rejected);
        return new AddressAssign(all);
    }

    private RouteAdvertisement routeCapsule() {
        return new RouteAdvertisement(routes.ranges());
    }

    // The stream's end.

    @Override
    public void onInputClosed(MasqueStream s) {
        if (ended) return;
        try {
            parser.finish();
        } catch (MalformedCapsuleException e) {
            malformed(e);
            return;
        }
        end();
        stream.finish();
    }

    @Override
    public void onReset(MasqueStream s, long errorCode) {
        end();
        stream.close();
    }

    @Override
    public void onClosed(MasqueStream s) {
        end();
    }

    private void malformed(MalformedCapsuleException e) {
        counters.malformedCapsules.increment();
        end();
        stream.abort(e.error().h3ErrorCode());
    }

    /** Set-up failed and a refusal went out, or the stream ended: give everything back. */
    void end() {
        if (ended) return;
        ended = true;
        if (open) counters.activeSessions.decrement();
        open = false;
        releaseAll();
    }

    private void releaseAll() {
        for (Assignment a : assignments) {
            proxy.table().remove(a.block(), this);
            proxy.pool().release(a.block());
        }
        assignments.clear();
        sources = new IpPrefix[0];
        routes = RouteTable.EMPTY;
    }

    @Override
    public String toString() {
        return "IpProxySession[" + stream + " " + assignments + "]";
    }
}
