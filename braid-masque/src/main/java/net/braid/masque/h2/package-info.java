/**
 * HTTP/2 for MASQUE, for networks that block UDP: the same methods as {@code net.braid.masque.h3}
 * on TLS/TCP, with RFC 8441 extended CONNECT (:protocol connect-udp, connect-ip) and RFC 9113 §8.5
 * CONNECT, on Netty's HTTP/2 frame codec and multiplexer.
 *
 * <pre>
 * TCP socket (epoll, else NIO) → SslHandler (ALPN "h2", the HTTP/3 certificates)
 *   → Http2FrameCodec (SETTINGS_ENABLE_CONNECT_PROTOCOL=1 on the server, RFC 8441 §3)
 *   → Http2MultiplexHandler: one Http2StreamChannel per request stream → H2StreamFrames → RequestHandler / StreamListener
 *   → SettingsWatcher → H2Connection.peerSettings()
 * </pre>
 *
 * HTTP/2 has no datagrams beside a stream, so every HTTP Datagram is a DATAGRAM capsule in DATA
 * frames (RFC 9297 §3.5); {@link net.braid.masque.h2.H2Stream#datagramsNegotiated()} is always false
 * and the handlers written for HTTP/3's capsule fallback serve HTTP/2 unchanged.
 */
package net.braid.masque.h2;
