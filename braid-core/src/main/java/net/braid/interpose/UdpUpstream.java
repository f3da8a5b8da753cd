package net.braid.interpose;

import java.nio.ByteBuffer;

/**
 * The engine's handle on one upstream datagram flow (a MASQUE CONNECT-UDP request, a socket, a
 * test double), toward the one destination of its {@link FlowKey}. Loop thread only.
 */
public interface UdpUpstream {

    /** Sends one datagram's payload, copied before this returns; may drop it when congested. */
    void send(ByteBuffer payload);

    void close();

    /** What a datagram flow reports, from any thread. */
    interface Events {
        /** The flow is usable; datagrams sent before this may have been queued or dropped. */
        void opened();

        void failed(String reason);

        /** One datagram's payload from the destination, handed over to the engine. */
        void datagram(ByteBuffer payload);

        void closed();
    }
}
