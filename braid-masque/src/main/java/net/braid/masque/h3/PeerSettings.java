package net.braid.masque.h3;

import io.netty.handler.codec.http3.Http3SettingIdentifier;
import io.netty.handler.codec.http3.Http3Settings;

/**
 * What the peer announced in its HTTP/3 SETTINGS frame that MASQUE depends on.
 *
 * @param extendedConnect      SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 9220 §3): :protocol may be sent
 * @param h3Datagram           SETTINGS_H3_DATAGRAM = 1 (RFC 9297 §2.1.1): HTTP Datagrams may be sent
 * @param maxFieldSectionSize  SETTINGS_MAX_FIELD_SECTION_SIZE, or -1 when unlimited (RFC 9114 §7.2.4.1)
 */
public record PeerSettings(boolean extendedConnect, boolean h3Datagram, long maxFieldSectionSize) {

    static PeerSettings of(Http3Settings settings) {
        return new PeerSettings(
                settings.getOrDefault(Http3SettingIdentifier.HTTP3_SETTINGS_ENABLE_CONNECT_PROTOCOL.id(), 0) == 1,
                settings.getOrDefault(Http3SettingIdentifier.HTTP3_SETTINGS_H3_DATAGRAM.id(), 0) == 1,
                settings.getOrDefault(Http3SettingIdentifier.HTTP3_SETTINGS_MAX_FIELD_SECTION_SIZE.id(), -1));
    }
}
