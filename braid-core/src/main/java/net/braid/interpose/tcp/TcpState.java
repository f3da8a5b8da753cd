package net.braid.interpose.tcp;

/** RFC 9293 §3.3.2 states, plus the wait for the upstream connection that precedes our SYN-ACK. */
public enum TcpState {
    /** The app's SYN arrived; the upstream connection is being made and the SYN is not answered yet. */
    CONNECTING,
    SYN_RECEIVED,
    ESTABLISHED,
    /** The app sent FIN (upstream got end of stream); we may still send. */
    CLOSE_WAIT,
    /** Upstream ended and our FIN is out, not yet acknowledged. */
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSING,
    LAST_ACK,
    TIME_WAIT,
    CLOSED
}
