/**
 * Tunnel configuration in WireGuard-style INI files.
 *
 * <pre>
 * text ─ IniParser ─→ IniDocument ─ ConfigValidator (InterfaceReader, PeerReader, cross-peer rules) ─→ TunnelConfig
 *                                                                                     ConfigWriter ─→ text
 * </pre>
 *
 * Every stage adds to one list of {@link net.braid.config.ConfigError}s instead of stopping at
 * the first, so a user fixes a file in one pass. The model records check the same rules in their
 * constructors (through {@code ValueRules}), so a config built in code is as valid as one loaded.
 * A new section or key is added in its reader and its record; anything unknown is reported.
 */
package net.braid.config;
