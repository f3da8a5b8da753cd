/**
 * HTTP/3 for MASQUE on Netty 4.2's QUIC (quiche) and HTTP/3 codecs.
 *
 * <pre>
 * UDP socket (epoll, else NIO) → QUIC codec (ALPN "h3", 1500-byte UDP payloads, DATAGRAM frames)
 *   → QuicChannel: Http3{Server,Client}ConnectionHandler → DatagramRouter (quarter stream ID → H3Stream)
 *        control stream → SettingsWatcher → H3Connection.peerSettings()
 *        request stream → Netty frame codec/validators → StreamFrames → RequestHandler / StreamListener
 * </pre>
 *
 * {@link net.braid.masque.h3.MasqueStream}, {@link net.braid.masque.h3.MasqueConnection} and
 * {@link net.braid.masque.h3.MasqueConnector} are what the MASQUE handlers and clients see, whichever
 * HTTP version carries them; {@code net.braid.masque.h2} implements them over HTTP/2 as well.
 *
 * <p>Things Netty does not do for us, and where this package does them:
 * <ul>
 *   <li>It offers ALPN h3-29..h3-32 besides h3; {@link net.braid.masque.h3.H3Transport#ALPN} is "h3" only.</li>
 *   <li>It does not hold back extended CONNECT or datagrams until the peer's SETTINGS arrive;
 *       {@link net.braid.masque.h3.H3Connection#openStream} and {@link net.braid.masque.h3.DatagramSender} do.</li>
 *   <li>It hands QUIC DATAGRAM frames to the connection pipeline as bare ByteBufs;
 *       {@link net.braid.masque.h3.DatagramRouter} reads the quarter stream ID (RFC 9297 §2.1).</li>
 *   <li>It drops datagram writes silently (promise succeeds) when quiche's send queue is full;
 *       {@link net.braid.masque.h3.DatagramSender} estimates the queue and refuses instead.</li>
 *   <li>BoringSSL reports only CERTIFICATE_VERIFY_FAILED; {@link net.braid.masque.h3.H3Client} adds the trust
 *       manager's own reason.</li>
 * </ul>
 */
package net.braid.masque.h3;
