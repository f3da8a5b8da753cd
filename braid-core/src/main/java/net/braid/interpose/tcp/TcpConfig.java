package net.braid.interpose.tcp;

import java.time.Duration;

/**
 * Limits and timers of an interposed TCP endpoint. Times are nanoseconds of the caller's clock.
 *
 * @param mtu largest IP packet toward the app (the TUN's MTU); our MSS follows from it
 * @param receiveBuffer bytes taken from the app but not yet consumed upstream: our window
 * @param sendBuffer bytes taken from upstream and not yet acknowledged by the app
 * @param outOfOrderSegments segments held above a hole before further ones are dropped
 * @param minRto lower bound of the retransmission timeout; RFC 6298 §2.4 says 1 s, but the app
 *        sits behind a local TUN where Linux's own 200 ms bound is the better model
 * @param initialRto RTO before the first RTT sample (RFC 6298 §2.1)
 * @param maxRto upper bound of the backed-off RTO (RFC 6298 §2.5 allows ≥ 60 s)
 * @param maxRetransmissions consecutive timeouts of one segment before the connection is aborted
 * @param timeWait how long a connection we closed first stays in TIME_WAIT (2 MSL)
 * @param finTimeout how long a half-closed connection may wait for the app's FIN (Linux tcp_fin_timeout)
 * @param idleTimeout a connection without a segment or upstream byte this long is reset both ways
 */
public record TcpConfig(int mtu, int receiveBuffer, int sendBuffer, int outOfOrderSegments,
                        long minRto, long initialRto, long maxRto, int maxRetransmissions,
                        long timeWait, long finTimeout, long idleTimeout) {

    public TcpConfig {
        if (mtu < 1280 || mtu > 65535) throw new IllegalArgumentException("mtu " + mtu + " outside 1280..65535");
        if (receiveBuffer < 4096 || receiveBuffer > (1 << 30)) throw new IllegalArgumentException("receive buffer " + receiveBuffer);
        if (sendBuffer < 4096 || sendBuffer > (1 << 30)) throw new IllegalArgumentException("send buffer " + sendBuffer);
        if (outOfOrderSegments < 0) throw new IllegalArgumentException("out-of-order segments " + outOfOrderSegments);
        if (minRto <= 0 || initialRto < minRto || maxRto < initialRto) throw new IllegalArgumentException("RTO bounds");
        if (maxRetransmissions < 1) throw new IllegalArgumentException("max retransmissions " + maxRetransmissions);
        if (timeWait < 0 || finTimeout <= 0 || idleTimeout <= 0) throw new IllegalArgumentException("timeouts");
    }

    public static TcpConfig defaults(int mtu) {
        return new TcpConfig(mtu, 1 << 20, 1 << 20, 256,
                ms(200), ms(1000), ms(60_000), 12,
                ms(30_000), ms(60_000), ms(600_000));
    }

    public TcpConfig withBuffers(int receive, int send) {
        return new TcpConfig(mtu, receive, send, outOfOrderSegments, minRto, initialRto, maxRto,
                maxRetransmissions, timeWait, finTimeout, idleTimeout);
    }

    public TcpConfig withIdleTimeout(long nanos) {
        return new TcpConfig(mtu, receiveBuffer, sendBuffer, outOfOrderSegments, minRto, initialRto, maxRto,
                maxRetransmissions, timeWait, finTimeout, nanos);
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
