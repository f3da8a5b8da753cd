package net.braid.interpose;

/**
 * Opens upstream flows for the engine: for each new app connection or datagram flow, one
 * stream or flow toward the app's destination. Called on the engine's loop; must not block.
 */
public interface UpstreamDialer {

    TcpUpstream dialTcp(FlowKey key, TcpUpstream.Events events);

    UdpUpstream dialUdp(FlowKey key, UdpUpstream.Events events);
}
