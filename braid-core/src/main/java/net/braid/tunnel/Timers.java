package net.braid.tunnel;

import java.util.concurrent.TimeUnit;

/**
 * Protocol timing, after WireGuard's (whitepaper §6), with shorter keepalive and dead-peer
 * times: a portal should notice a restarted peer within seconds, not a quarter minute.
 */
final class Timers {
    static final long REKEY_AFTER_TIME = TimeUnit.SECONDS.toNanos(120);
    static final long REJECT_AFTER_TIME = TimeUnit.SECONDS.toNanos(180);
    static final long REKEY_AFTER_MESSAGES = 1L << 60;
    static final long REJECT_AFTER_MESSAGES = (1L << 60) + (1L << 13);
    /**
     * AES-GCM's confidentiality bound is on blocks per key: RFC 8446 §5.5 keeps it near 2^34.5
     * blocks (about 390 GB), which 2^28 full-size packets reach; rekey at half of that.
     */
    static final long GCM_REKEY_AFTER_MESSAGES = 1L << 27;
    static final long GCM_REJECT_AFTER_MESSAGES = 1L << 28;

    static long rekeyAfterMessages(net.braid.crypto.CipherSuite suite) {
        return suite == net.braid.crypto.CipherSuite.AES_256_GCM ? GCM_REKEY_AFTER_MESSAGES : REKEY_AFTER_MESSAGES;
    }

    static long rejectAfterMessages(net.braid.crypto.CipherSuite suite) {
        return suite == net.braid.crypto.CipherSuite.AES_256_GCM ? GCM_REJECT_AFTER_MESSAGES : REJECT_AFTER_MESSAGES;
    }
    /** Wait this long for a handshake response before sending a new initiation. */
    static final long REKEY_TIMEOUT = TimeUnit.SECONDS.toNanos(5);
    /** Give up a handshake (and its staged packets) after this long without an answer. */
    static final long REKEY_ATTEMPT_TIME = TimeUnit.SECONDS.toNanos(90);
    /** Passive keepalive: after receiving, send an empty packet if we sent nothing for this long. */
    static final long KEEPALIVE_TIMEOUT = TimeUnit.SECONDS.toNanos(2);
    /** After sending, start a new handshake if nothing came back for this long. */
    static final long NO_REPLY_TIMEOUT = KEEPALIVE_TIMEOUT + TimeUnit.SECONDS.toNanos(3);
    /** The timer thread's tick. */
    static final long TICK_MILLIS = 100;

    private Timers() {}
}
