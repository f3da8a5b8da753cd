package net.braid.tunnel;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Hand-built IPv4/UDP packets for engine tests (header checksums are not the engine's concern). */
final class TestPackets {
    private TestPackets() {}

    static byte[] udp4(String src, String dst, byte[] payload) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length))
                .putShort((short) 0).putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress())
                .putShort((short) 40000).putShort((short) 9).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        return b.array();
    }

    static byte[] udp6(String src, String dst, byte[] payload) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(48 + payload.length);
        b.putInt(0x60000000).putShort((short) (8 + payload.length)).put((byte) 17).put((byte) 64)
                .put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress())
                .putShort((short) 40000).putShort((short) 9).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        return b.array();
    }

    static byte[] payloadOf4(byte[] packet) {
        return java.util.Arrays.copyOfRange(packet, 28, packet.length);
    }
}
