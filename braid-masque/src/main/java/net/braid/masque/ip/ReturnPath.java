package net.braid.masque.ip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import net.braid.packet.DropReason;
import net.braid.packet.IpPacket;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6Header;

/**
 * Packets from the egress back to their clients: the session that owns the destination address
 * (RFC 9484 §4.7.1) gets it, if its source lies in that session's scope (§4.8). One instance per
 * egress reader thread: it copies each packet into its own buffer, which the HTTP/3 layer copies
 * again into the datagram frame before {@link #deliver} returns, so nothing is allocated per
 * packet on the QUIC datagram path.
 */
public final class ReturnPath implements AutoCloseable {
    private final SessionTable<IpProxySession> table;
    private final IpProxyCounters counters;
    private final ByteBuf scratch = PooledByteBufAllocator.DEFAULT.directBuffer(65535, 65535);

    ReturnPath(SessionTable<IpProxySession> table, IpProxyCounters counters) {
        this.table = table;
        this.counters = counters;
    }

    /**
     * Routes one IP packet (position to limit; neither moves) to the session owning its destination.
     * Returns false when it was dropped, and counts why. Not thread-safe: one reader thread per instance.
     */
    public boolean deliver(ByteBuffer packet) {
        int off = packet.position();
        int len = packet.remaining();
        if (IpPacket.validate(packet, off, len) != DropReason.NONE) {
            counters.drop(IpDropReason.INVALID_FROM_EGRESS);
            return false;
        }
        len = IpPacket.length(packet, off);
        IpProxySession session = Ipv4Header.version(packet, off) == 4
                ? table.lookupV4(Ipv4Header.dst(packet, off))
                : table.lookupV6(Ipv6Header.dstHi(packet, off), Ipv6Header.dstLo(packet, off));
        if (session == null) {
            counters.drop(IpDropReason.NO_SESSION);
            return false;
        }
        if (!session.permitsFromEgress(packet, off, len)) {
            counters.drop(IpDropReason.OUTSIDE_SCOPE_FROM_EGRESS);
            return false;
        }
        int limit = packet.limit();
        try {
            packet.limit(off + len);
            scratch.clear().setBytes(0, packet);
        } finally {
            packet.limit(limit).position(off);
        }
        scratch.writerIndex(len);
        return session.toClient(scratch.retain());
    }

    @Override
    public void close() {
        scratch.release();
    }
}
