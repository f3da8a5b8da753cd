package net.braid.masque.ip;

import java.nio.ByteBuffer;

/**
 * Where the proxy sends the IP packets its clients tunnel: in production a TUN device, in tests a
 * double. Packets coming back go to {@link ConnectIpHandler#returnPath()}.
 */
@FunctionalInterface
public interface IpEgress {
    /**
     * Takes one validated IP packet, its bytes from the buffer's position to its limit, valid only
     * during the call (copy what must outlive it); called on a connection's event loop, so it must
     * not block. Returns false when it cannot take the packet now, which the proxy drops and counts.
     */
    boolean write(ByteBuffer packet);
}
