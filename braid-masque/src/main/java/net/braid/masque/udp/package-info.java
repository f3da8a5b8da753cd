/**
 * CONNECT-UDP (RFC 9298) and CONNECT to TCP (RFC 9114 §4.4) over braid's HTTP/3 (or HTTP/2, RFC 8441): the proxy side
 * ({@link net.braid.masque.udp.MasqueProxyHandler}, a {@link net.braid.masque.h3.RequestHandler}) and
 * the client library ({@link net.braid.masque.udp.MasqueClient}).
 *
 * <pre>
 * client                                   proxy (one event loop per QUIC connection)
 * UdpTunnel.send ─ QUIC DATAGRAM ctx 0 ──→ UdpRelay ─ connected UDP socket ─→ target
 *              └─ DATAGRAM capsule ─────↗ (fallback without RFC 9221, RFC 9297 §3.5)
 * TcpTunnel.output ─ DATA ─────────────→ TcpRelay ─ TCP socket (FIN ↔ shutdownOutput) ─→ target
 * </pre>
 *
 * Target sockets register on the QUIC connection's own event loop, so a relay never crosses
 * threads; DNS and the target policy run on virtual threads. Datagrams that meet a full queue are
 * dropped and counted ({@link net.braid.masque.udp.ProxyCounters}); TCP bytes are never dropped,
 * reading pauses instead.
 */
package net.braid.masque.udp;
