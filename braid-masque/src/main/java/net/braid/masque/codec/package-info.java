/**
 * Pure MASQUE wire codecs, on {@link java.nio.ByteBuffer} only (no Netty, no I/O): QUIC
 * variable-length integers (RFC 9000 §16), HTTP Datagrams with Quarter Stream IDs and Context
 * IDs (RFC 9297 §2.1, RFC 9298 §5, RFC 9484 §6), the Capsule Protocol with a streaming parser
 * (RFC 9297 §3), the CONNECT-IP capsules (RFC 9484 §4.7), and the RFC 6570 URI Templates that
 * name CONNECT-UDP targets and CONNECT-IP scopes (RFC 9298 §2, RFC 9484 §3, §4.6).
 *
 * <p>Malformed input is reported as checked exceptions carrying an error enum
 * ({@link net.braid.masque.codec.CapsuleError}, {@link net.braid.masque.codec.DatagramError})
 * that says which rule broke and which HTTP/3 error code the caller answers with.
 */
package net.braid.masque.codec;
