package net.braid.crypto;

/** Transport keys from a completed handshake, seen from one side, and the cipher they are for. */
public record SessionKeys(byte[] sendKey, byte[] receiveKey, boolean initiator, CipherSuite suite) {}
