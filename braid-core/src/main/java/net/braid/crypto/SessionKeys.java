package net.braid.crypto;

/** Transport keys from a completed handshake, seen from one side. */
public record SessionKeys(byte[] sendKey, byte[] receiveKey, boolean initiator) {}
