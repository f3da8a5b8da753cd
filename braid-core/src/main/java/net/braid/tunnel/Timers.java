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
