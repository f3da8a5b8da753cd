/**
 * CONNECT-IP (RFC 9484): the proxy's request handler with its address pool, per-session
 * packet checks and return routing, and the client's IP session.
 *
 * <pre>
 * client ── HTTP datagram (context 0) / DATAGRAM capsule ──▶ IpProxySession.fromClient
 *     validate → source ∈ assigned → destination, protocol ∈ scope → TTL − 1 → MTU → IpEgress.write
 * IpEgress reader ──▶ ReturnPath.deliver → SessionTable (by destination) → IpProxySession.toClient
 *     source ∈ scope → HTTP datagram, or DATAGRAM capsule when QUIC datagrams are absent or too small
 * </pre>
 */
package net.braid.masque.ip;
