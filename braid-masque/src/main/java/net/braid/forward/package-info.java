/**
 * {@code braid forward}: TCP connections carried over QUIC streams, WebSocket connections or
 * plain TCP, and back, with half-close, back-pressure, connection limits and token
 * authentication. {@link net.braid.forward.Forwarder} is the entry point; docs/forward.md has
 * the wire format.
 */
package net.braid.forward;
