/**
 * MASQUE: proxying UDP (RFC 9298) and IP (RFC 9484) over HTTP, with HTTP Datagrams and the
 * Capsule Protocol (RFC 9297). The codecs here are pure; sessions run on Netty's HTTP/3 and
 * HTTP/2 stacks.
 */
package net.braid.masque;
