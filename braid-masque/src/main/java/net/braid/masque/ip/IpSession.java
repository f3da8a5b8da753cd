package net.braid.masque.ip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
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
import net.braid.packet.IpPacket;

/**
 * The client's end of one CONNECT-IP session (RFC 9484): the addresses the proxy assigned, the
 * routes it advertised, and IP packets both ways, as QUIC DATAGRAM frames when negotiated and
 * large enough, else as DATAGRAM capsules (RFC 9297 §3.5). Opened by {@link ConnectIpClient}.
 *
 * <p>Received packets go to the {@link PacketReceiver} on the connection's event loop. Packets
 * sent outside the advertised routes are dropped and counted (RFC 9484 §4.8): nothing can be sent
 * before the first ROUTE_ADVERTISEMENT.
 */
public final class IpSession implements StreamListener, CapsuleHandler, AutoCloseable {
    /** Receives an IP packet, position to limit, valid only during the call, on the connection's event loop. */
    @FunctionalInterface
    public interface PacketReceiver {
        void onPacket(ByteBuffer packet);
    }

    /** Told, on the event loop, of every ADDRESS_ASSIGN and ROUTE_ADVERTISEMENT after it took effect. */
    @FunctionalInterface
    public interface ConfigListener {
        void onChange(List<AssignedAddress> addresses, List<IpAddressRange> routes);
    }

    /**
     * @param sent                  packets handed to QUIC or the stream
     * @param outsideRoutes         packets dropped: destination or protocol outside the advertised routes
     * @param invalid               packets dropped: the IP header does not validate
     * @param refused               packets dropped: datagram queue or stream full, or the session closed
     * @param received              packets delivered to the receiver
     * @param unknownContext        HTTP Datagrams dropped for a Context ID other than 0 (RFC 9484 §6)
     */
    public record Counters(long sent, long outsideRoutes, long invalid, long refused, long received, long unknownContext) {}

    private final PacketReceiver receiver;
    private final CapsuleParser parser = new CapsuleParser();
    private final CompletableFuture<List<AssignedAddress>> firstAssignment = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final List<ConfigListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder outsideRoutes = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder unknownContext = new LongAdder();
    private final ByteBuffer spare = ByteBuffer.allocate(65535); // event loop only
    private ByteBuf scratch; // guarded by itself once set; for send(ByteBuffer)
    private volatile MasqueStream stream;
    private volatile List<AssignedAddress> addresses = List.of();
    private volatile List<AssignedAddress> rejected = List.of();
    private volatile RouteTable routes = RouteTable.EMPTY;
    private volatile String endReason;

    IpSession(PacketReceiver receiver) {
        this.receiver = receiver == null ? packet -> {} : receiver;
    }

    void attach(MasqueStream stream) {
        this.scratch = PooledByteBufAllocator.DEFAULT.directBuffer(65535, 65535);
        this.stream = stream; // last: send() starts once it sees the stream
    }

    /** Completes with the addresses of the proxy's first ADDRESS_ASSIGN; fails if the session ends first. */
    public CompletableFuture<List<AssignedAddress>> firstAssignment() {
        return firstAssignment;
    }

    /** The addresses of the latest ADDRESS_ASSIGN, without rejected requests (RFC 9484 §4.7.1). */
    public List<AssignedAddress> addresses() {
        return addresses;
    }

    /** Entries of the latest ADDRESS_ASSIGN that reject a request: all-zero address, Request ID set. */
    public List<AssignedAddress> rejectedRequests() {
        return rejected;
    }

    /** The ranges of the latest ROUTE_ADVERTISEMENT (RFC 9484 §4.7.3). */
    public List<IpAddressRange> routes() {
        return routes.ranges();
    }

    public void onChange(ConfigListener listener) {
        listeners.add(listener);
    }

    /** Sends ADDRESS_REQUEST (RFC 9484 §4.7.2); the answer arrives as an ADDRESS_ASSIGN carrying the Request IDs. */
    public void requestAddresses(List<RequestedAddress> requests) {
        MasqueStream s = stream;
        s.write(IpFraming.capsules(s.alloc(), new AddressRequest(requests)));
    }

    /**
     * Sends one IP packet, the buffer's position to its limit (neither moves). Returns whether it
     * was handed over; a drop is counted under its reason. Callable from any thread.
     */
    public boolean send(ByteBuffer packet) {
        int off = packet.position();
        if (!admit(packet, off, packet.remaining())) return false;
        int len = IpPacket.length(packet, off);
        ByteBuf buf = scratch;
        synchronized (buf) {
            if (endReason != null) return refuse();
            int limit = packet.limit();
            try {
                packet.limit(off + len);
                buf.clear().setBytes(0, packet);
            } finally {
                packet.limit(limit).position(off);
            }
            buf.writerIndex(len);
            // The HTTP/3 layer copies the bytes before returning, so the scratch buffer is free again after.
            return transmit(buf.retain());
        }
    }

    /** Like {@link #send(ByteBuffer)} for the readable bytes of {@code packet}; takes ownership of it. */
    public boolean send(ByteBuf packet) {
        ByteBuffer view = packet.nioBufferCount() == 1 ? packet.internalNioBuffer(packet.readerIndex(), packet.readableBytes()) : null;
        if (view == null) {
            try {
                return send(packet.nioBuffer());
            } finally {
                packet.release();
            }
        }
        if (!admit(view, view.position(), view.remaining())) {
            packet.release();
            return false;
        }
        packet.writerIndex(packet.readerIndex() + IpPacket.length(view, view.position()));
        return transmit(packet);
    }

    private boolean admit(ByteBuffer b, int off, int len) {
        if (endReason != null || stream == null) return refuse();
        if (IpPacket.validate(b, off, len) != DropReason.NONE) {
            invalid.increment();
            return false;
        }
        if (!routes.permits(b, off, IpPacket.length(b, off), true)) {
            outsideRoutes.increment();
            return false;
        }
        return true;
    }

    private boolean refuse() {
        refused.increment();
        return false;
    }

    /** Takes ownership of {@code packet}. */
    private boolean transmit(ByteBuf packet) {
        MasqueStream s = stream;
        try {
            // -1 without HTTP Datagrams beside the stream (HTTP/2, or not negotiated).
            if (packet.readableBytes() <= s.maxDatagramPayload(HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID)) {
                SendOutcome outcome = s.sendDatagram(HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID, packet.retain());
                if (outcome == SendOutcome.SENT) {
                    sent.increment();
                    return true;
                }
                if (outcome != SendOutcome.TOO_LARGE) return refuse();
            }
            // RFC 9297 §3.5: without QUIC datagrams, or for a packet too large for one (RFC 9484 §10.1).
            if (!s.isOpen() || !s.isWritable()) return refuse();
            s.write(IpFraming.datagramCapsule(s.alloc(), packet));
            sent.increment();
            return true;
        } finally {
            packet.release();
        }
    }

    // From the proxy.

    @Override
    public void onDatagram(MasqueStream s, ByteBuf payload) {
        if (endReason != null) return;
        if (IpFraming.readContextId(payload) != HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID) {
            unknownContext.increment();
            return;
        }
        ByteBuffer packet = IpFraming.view(payload, spare);
        if (packet != null) deliver(packet);
    }

    @Override
    public void onData(MasqueStream s, ByteBuf data) {
        if (endReason != null) return;
        try {
            if (data.nioBufferCount() == 1) {
                parser.feed(data.nioBuffer(), this);
            } else {
                for (ByteBuffer b : data.nioBuffers()) parser.feed(b, this);
            }
        } catch (MalformedCapsuleException e) {
            end("malformed capsule from the proxy: " + e.getMessage());
            s.abort(e.error().h3ErrorCode());
        }
    }

    @Override
    public void onDatagram(ByteBuffer value) {
        long contextId = QuicVarint.read(value);
        if (contextId != HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID) {
            unknownContext.increment();
            return;
        }
        deliver(value);
    }

    private void deliver(ByteBuffer packet) {
        received.increment();
        receiver.onPacket(packet);
    }

    @Override
    public void onAddressAssign(AddressAssign capsule) {
        List<AssignedAddress> usable = new ArrayList<>();
        List<AssignedAddress> refusals = new ArrayList<>();
        for (AssignedAddress a : capsule.addresses()) {
            (a.requestId() != 0 && AddressBits.isZero(a.address()) ? refusals : usable).add(a);
        }
        addresses = List.copyOf(usable);
        rejected = List.copyOf(refusals);
        firstAssignment.complete(addresses);
        changed();
    }

    @Override
    public void onRouteAdvertisement(RouteAdvertisement capsule) {
        routes = RouteTable.of(capsule.ranges());
        changed();
    }

    @Override
    public void onAddressRequest(AddressRequest capsule) {
        // A client has no addresses to give the proxy; RFC 9484 §4.7.2 lets it ignore the request.
    }

    private void changed() {
        for (ConfigListener l : listeners) l.onChange(addresses, routes.ranges());
    }

    @Override
    public void onInputClosed(MasqueStream s) {
        end("the proxy ended the session");
        s.finish();
    }

    @Override
    public void onReset(MasqueStream s, long errorCode) {
        end("the proxy reset the session (error 0x" + Long.toHexString(errorCode) + ")");
        s.close();
    }

    @Override
    public void onClosed(MasqueStream s) {
        end("the stream closed");
    }

    private void end(String reason) {
        ByteBuf buf = scratch;
        if (buf == null) {
            endOnce(reason);
            return;
        }
        synchronized (buf) {
            if (endOnce(reason)) buf.release();
        }
    }

    private boolean endOnce(String reason) {
        if (endReason != null) return false;
        endReason = reason;
        firstAssignment.completeExceptionally(new IllegalStateException("CONNECT-IP session ended: " + reason));
        closed.complete(null);
        return true;
    }

    public Counters counters() {
        return new Counters(sent.sum(), outsideRoutes.sum(), invalid.sum(), refused.sum(), received.sum(), unknownContext.sum());
    }

    /** True when packets travel in QUIC DATAGRAM frames, false when in DATAGRAM capsules. */
    public boolean usesQuicDatagrams() {
        return stream.datagramsNegotiated();
    }

    public MasqueStream stream() {
        return stream;
    }

    /** Why the session ended, or null while it runs. */
    public String endReason() {
        return endReason;
    }

    /** Completes when the session ends, from either side. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Ends the session: FIN on the request stream, upon which the proxy releases the addresses. */
    @Override
    public void close() {
        end("closed by this client");
        MasqueStream s = stream;
        if (s != null) s.finish();
    }
}
