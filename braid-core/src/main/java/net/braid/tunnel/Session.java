package net.braid.tunnel;

import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import net.braid.crypto.Aead;
import net.braid.crypto.ReplayWindow;
import net.braid.crypto.SessionKeys;

/**
 * One set of transport keys between two portals, from one handshake. Sending takes counters
 * from an atomic; the replay window belongs to the receiving thread.
 */
final class Session {
    final Peer peer;
    final int localIndex;
    final int remoteIndex;
    final SecretKey sendKey;
    final SecretKey receiveKey;
    final boolean initiator;
    final long rekeyAfterMessages;
    final long rejectAfterMessages;
    final long createdNanos;
    final AtomicLong sendCounter = new AtomicLong();
    final ReplayWindow replay = new ReplayWindow();
    /** The responder may send only after the initiator used the keys (key confirmation). */
    volatile boolean confirmed;
    final AtomicLong pathSequence = new AtomicLong();

    Session(Peer peer, int localIndex, int remoteIndex, SessionKeys keys, long nowNanos) {
        this.peer = peer;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.sendKey = Aead.key(keys.sendKey(), keys.suite());
        this.receiveKey = Aead.key(keys.receiveKey(), keys.suite());
        this.initiator = keys.initiator();
        this.rekeyAfterMessages = Timers.rekeyAfterMessages(keys.suite());
        this.rejectAfterMessages = Timers.rejectAfterMessages(keys.suite());
        this.createdNanos = nowNanos;
        this.confirmed = keys.initiator();
    }

    long ageNanos(long nowNanos) { return nowNanos - createdNanos; }

    /** Time for a new handshake: old (the initiator's clock runs it first) or many messages sent. */
    boolean wantsRekey(long nowNanos) {
        long age = ageNanos(nowNanos);
        boolean old = initiator ? age > Timers.REKEY_AFTER_TIME
                : age > Timers.REJECT_AFTER_TIME - Timers.KEEPALIVE_TIMEOUT - Timers.REKEY_TIMEOUT;
        return old || sendCounter.get() > rekeyAfterMessages;
    }

    /** Usable for sending: confirmed, young enough and far from counter exhaustion. */
    boolean canSend(long nowNanos) {
        return confirmed
                && ageNanos(nowNanos) < Timers.REJECT_AFTER_TIME
                && sendCounter.get() < rejectAfterMessages;
    }

    boolean canReceive(long nowNanos) {
        return ageNanos(nowNanos) < Timers.REJECT_AFTER_TIME;
    }
}
