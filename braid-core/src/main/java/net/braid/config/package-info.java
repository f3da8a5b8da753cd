/**
 * Tunnel configuration in WireGuard-style INI files.
 *
 * <pre>
 * text ─ IniParser ─→ IniDocument ─ ConfigValidator (InterfaceReader, PeerReader + PathReader, cross-peer and path rules) ─→ TunnelConfig
 *                                                                                     ConfigWriter ─→ text
 * </pre>
 *
 * Every stage adds to one list of {@link net.braid.config.ConfigError}s instead of stopping at
 * the first, so a user fixes a file in one pass. The model records check the same rules in their
 * constructors (through {@code ValueRules}), so a config built in code is as valid as one loaded.
 * A new section or key is added in its reader and its record; anything unknown is reported.
 *
 * <p>Multipath: repeated {@code [Path]} sections under a {@code [Peer]} (Transport udp|tcp, Bind
 * address or interface, Endpoint or none to accept, Metric 0..255). The peer's own Endpoint
 * stays a UDP path beside them ({@link net.braid.config.PeerSection#paths()}). A TCP path that
 * accepts listens on the port number of Interface.ListenPort, which must then be set. Messages
 * name paths by index: {@code Path[2].Endpoint ...}, {@code Peer[2].Path[1].Bind ...}.
 */
package net.braid.config;
