package net.braid.interpose.tcp;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import net.braid.interpose.FlowKey;
import net.braid.packet.AddressPair;
import net.braid.packet.IpProtocol;
import net.braid.packet.MalformedPacketException;
import net.braid.packet.TcpHeader;
import net.braid.packet.TcpOptions;
import net.braid.packet.TcpSegment;
import net.braid.packet.TransportChecksum;

/**
 * Our end of one TCP connection an app opened through the TUN: it terminates the app's TCP and
 * turns it into a byte stream for an upstream (a MASQUE CONNECT stream, or anything else).
 *
 * <p>Sans-IO: no threads, sockets or clocks. The owner feeds it the app's segments
 * ({@link #segment}), upstream events ({@link #upstreamConnected}, {@link #upstreamRefused},
 * {@link #upstreamData}, {@link #upstreamEnd}, {@link #upstreamReset}, {@link #upstreamConsumed})
 * and timer ticks ({@link #tick} at {@link #nextDeadline}), each with the current time, and gets
 * back, through {@link TcpOutput}, segments for the TUN and actions for the upstream. After a
 * batch of segments it calls {@link #flush}, which sends the acknowledgment the batch is owed.
 *
 * <p>Sequence numbers are kept as 64-bit stream offsets from each side's ISN (the SYN is offset 0,
 * the first data byte offset 1), so comparisons never wrap; 32-bit wire values are unwrapped
 * against the nearest expected offset. What it does, by RFC:
 * <ul>
 * <li>SYN answered only once upstream connected, RST if that failed; random ISN; a retransmitted
 *     SYN gets the same SYN-ACK (RFC 9293 §3.5). Options: MSS, window scale (RFC 7323 §2); SACK
 *     and timestamps are declined.
 * <li>Receive: in-order data straight upstream, a bounded out-of-order queue, an immediate
 *     (duplicate) ACK for every out-of-order or hole-filling segment (RFC 5681 §4.2), otherwise
 *     one ACK per flush or per two segments. Our window is the room left toward upstream,
 *     never shrunk (RFC 9293 §3.8.6.2.2), resent when it opens.
 * <li>Send: never beyond the app's window or a NewReno congestion window (RFC 5681, RFC 6582);
 *     RFC 6298 RTO with Karn's rule and backoff; fast retransmit on three duplicate ACKs; a
 *     persist timer probes a zero window (RFC 9293 §3.8.6.1).
 * <li>Close: app FIN ↔ upstream end of stream, each way independently; RST ↔ upstream reset,
 *     RFC 5961 checks for RSTs and SYNs; TIME_WAIT when we closed first; FIN_WAIT_2 and idle timeouts.
 * </ul>
 */
public final class TcpEndpoint {
    private static final int TTL = 64;
    private static final int MAX_WINDOW_FIELD = 0xFFFF;
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    private final FlowKey key;
    private final AddressPair toApp;
    private final TcpConfig config;
    private final TcpOutput output;
    private final ByteBuffer scratch;
    private final long iss;
    private final long irs;
    private final int ourMss;
    private final int mss;
    private final int sndScale;
    private final int rcvScale;
    /** The app offered window scaling, so our SYN-ACK carries the option too (RFC 7323 §1.3). */
    private final boolean scaling;

    private TcpState state = TcpState.CONNECTING;

    // Send side: offsets in our sequence space, 0 = our SYN.
    private final SendBuffer sendBuffer;
    private long sndUna;
    private long sndNxt;
    private long sndMax;
    private long sndWnd;
    private long sndWl1;
    private long sndWl2;
    private long bufBase = 1;
    private long queued;
    private boolean finQueued;
    private long finOffset = -1;
    private boolean appBlocked;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    private int dupAcks;
    private boolean recovering;
    private long recoverPoint;
    private final RttEstimator rtt;
    private long timedOffset = -1;
    private long timedAt;

    // Receive side: offsets in the app's sequence space, 0 = the app's SYN.
    private final OutOfOrderQueue outOfOrder;
    private long rcvNxt = 1;
    private long rcvAdvEdge;
    private long unconsumed;
    private boolean appFin;
    private boolean appClosedFirst;
    private boolean ackOwed;
    private int segmentsUnacked;

    private long rtoDeadline = -1;
    private long persistDeadline = -1;
    private int persistBackoff;
    private long stateDeadline = -1;
    private long lastActivity;

    private long bytesFromApp;
    private long bytesToApp;
    private long retransmissions;

    private TcpEndpoint(FlowKey key, TcpConfig config, TcpOutput output, long iss, long irs,
                        TcpOptions synOptions, int synWindow, long now) {
        this.key = key;
        this.toApp = key.replyAddresses();
        this.config = config;
        this.output = output;
        this.scratch = ByteBuffer.allocate(config.mtu());
        this.iss = iss;
        this.irs = irs;
        this.ourMss = config.mtu() - toApp.headerLength() - TcpHeader.MIN_LENGTH;
        // RFC 9293 §3.7.1: without the option, assume 536 (IPv4) or 1220 (IPv6, RFC 8200 §5).
        int appMss = synOptions.mss() > 0 ? synOptions.mss() : (toApp instanceof AddressPair.V4 ? 536 : 1220);
        this.mss = Math.max(64, Math.min(appMss, ourMss));
        if (synOptions.windowScale() >= 0) {
            this.sndScale = synOptions.windowScale();
            int s = 0;
            while (s < TcpOptions.MAX_WINDOW_SCALE && (config.receiveBuffer() >> s) > MAX_WINDOW_FIELD) s++;
            this.rcvScale = s;
        } else {
            this.sndScale = 0;
            this.rcvScale = 0;
        }
        this.scaling = synOptions.windowScale() >= 0;
        this.sndWnd = synWindow; // RFC 7323 §2.2: the window of a SYN is never scaled
        this.sendBuffer = new SendBuffer(config.sendBuffer());
        this.outOfOrder = new OutOfOrderQueue(config.outOfOrderSegments());
        this.rtt = new RttEstimator(config.initialRto(), config.minRto(), config.maxRto());
        this.cwnd = 10L * mss; // RFC 6928 initial window
        this.lastActivity = now;
    }

    /**
     * Starts a connection for the app's SYN (SYN set, ACK and RST clear) at {@code tcpOff} of a
     * validated packet ending at {@code end}, and asks the output to connect upstream. Nothing
     * is sent to the app until {@link #upstreamConnected} or {@link #upstreamRefused}.
     */
    public static TcpEndpoint open(FlowKey key, ByteBuffer packet, int tcpOff, TcpConfig config,
                                   TcpOutput output, RandomGenerator random, long now) {
        int flags = TcpHeader.flags(packet, tcpOff);
        if ((flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) != TcpHeader.SYN) {
            throw new IllegalArgumentException("not an opening SYN: flags 0x" + Integer.toHexString(flags));
        }
        TcpOptions options;
        try {
            options = TcpOptions.parse(packet, tcpOff + TcpHeader.MIN_LENGTH, tcpOff + TcpHeader.headerLength(packet, tcpOff));
        } catch (MalformedPacketException e) {
            options = TcpOptions.NONE;
        }
        long iss = random.nextLong() & 0xFFFF_FFFFL;
        var endpoint = new TcpEndpoint(key, config, output, iss, TcpHeader.seq(packet, tcpOff), options,
                TcpHeader.window(packet, tcpOff), now);
        output.connectUpstream();
        return endpoint;
    }

    /** True for a segment that may open a connection: SYN without ACK or RST. */
    public static boolean isOpeningSyn(ByteBuffer packet, int tcpOff) {
        return (TcpHeader.flags(packet, tcpOff) & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) == TcpHeader.SYN;
    }

    public FlowKey key() {
        return key;
    }

    public TcpState state() {
        return state;
    }

    /** The MSS we send with: the smaller of the app's and what our MTU allows. */
    public int mss() {
        return mss;
    }

    public long bytesFromApp() {
        return bytesFromApp;
    }

    public long bytesToApp() {
        return bytesToApp;
    }

    public long retransmissions() {
        return retransmissions;
    }

    /** Room in the send buffer: how much {@link #upstreamData} would take now. */
    public int sendSpace() {
        return isSending() ? sendBuffer.free() : 0;
    }

    /** The earliest time {@link #tick} has work, or {@link Long#MAX_VALUE} once closed. */
    public long nextDeadline() {
        if (state == TcpState.CLOSED) return Long.MAX_VALUE;
        long d = state == TcpState.TIME_WAIT ? Long.MAX_VALUE : lastActivity + idleLimit();
        if (rtoDeadline >= 0) d = Math.min(d, rtoDeadline);
        if (persistDeadline >= 0) d = Math.min(d, persistDeadline);
        if (stateDeadline >= 0) d = Math.min(d, stateDeadline);
        return d;
    }

    /** A connection half-closed by upstream gets the shorter FIN_WAIT_2 limit, counted from its last segment. */
    private long idleLimit() {
        return state == TcpState.FIN_WAIT_2 ? Math.min(config.finTimeout(), config.idleTimeout()) : config.idleTimeout();
    }

    // ---------------------------------------------------------------- upstream events

    /** The upstream stream is open: answer the app's SYN. */
    public void upstreamConnected(long now) {
        if (state != TcpState.CONNECTING) return;
        state = TcpState.SYN_RECEIVED;
        lastActivity = now;
        sndNxt = sndMax = 1;
        sendSynAck();
        timedOffset = 1;
        timedAt = now;
        rtoDeadline = now + rtt.rto();
    }

    /** The upstream connection failed: reset the app's connection attempt (RFC 9293 §3.10.7.2). */
    public void upstreamRefused(long now) {
        if (state != TcpState.CONNECTING) return;
        emitRaw(0, (irs + 1) & 0xFFFF_FFFFL, TcpHeader.RST | TcpHeader.ACK, 0);
        close();
    }

    /**
     * Takes as many of {@code data}'s remaining bytes as the send buffer holds (moving its
     * position), sends what the app's window allows, and returns the count. A short count means
     * the buffer is full; {@link TcpOutput#appWritable} follows when it drains.
     */
    public int upstreamData(ByteBuffer data, long now) {
        if (!isSending()) {
            if (state != TcpState.CLOSED) return 0;
            int n = data.remaining(); // nobody left to deliver to: let the upstream drain
            data.position(data.limit());
            return n;
        }
        lastActivity = now;
        int offered = data.remaining();
        int n = sendBuffer.write(data);
        queued += n;
        if (n < offered) appBlocked = true;
        transmit(now);
        return n;
    }

    /** Upstream ended its stream: send FIN after the buffered data. */
    public void upstreamEnd(long now) {
        if (!isSending()) return;
        finQueued = true;
        finOffset = 1 + queued;
        transmit(now);
        advanceState(now);
    }

    /** Upstream reset its stream: reset the app's connection. */
    public void upstreamReset(long now) {
        switch (state) {
            case CLOSED -> { }
            case CONNECTING -> upstreamRefused(now);
            case TIME_WAIT -> close();
            default -> {
                sendReset();
                close();
            }
        }
    }

    /** Upstream wrote {@code n} of the bytes handed to {@link TcpOutput#toUpstream}: our window opens. */
    public void upstreamConsumed(int n, long now) {
        unconsumed = Math.max(0, unconsumed - n);
        if (!isReceiving()) return;
        // Like Linux's __tcp_cleanup_rbuf: announce at once when the window at least doubles.
        long edge = rcvNxt + Math.max(0, config.receiveBuffer() - unconsumed);
        long advertised = Math.max(0, rcvAdvEdge - rcvNxt);
        if (edge - rcvAdvEdge >= windowStep() && edge - rcvNxt >= 2 * advertised) sendAck();
    }

    private boolean isSending() {
        return !finQueued && (state == TcpState.SYN_RECEIVED || state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT);
    }

    private boolean isReceiving() {
        return !appFin && (state == TcpState.SYN_RECEIVED || state == TcpState.ESTABLISHED
                || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2);
    }

    // ---------------------------------------------------------------- segments from the app

    /**
     * One segment from the app: the TCP header at {@code tcpOff} of a packet whose key is this
     * endpoint's, validated (checksums included) and ending at {@code end}.
     */
    public void segment(ByteBuffer packet, int tcpOff, int end, long now) {
        if (state == TcpState.CLOSED) return;
        lastActivity = now;
        int flags = TcpHeader.flags(packet, tcpOff);
        int dataOff = tcpOff + TcpHeader.headerLength(packet, tcpOff);
        int len = end - dataOff;
        long seqOff = rcvNxt + (int) (TcpHeader.seq(packet, tcpOff) - wire(irs, rcvNxt));

        if (state == TcpState.CONNECTING) {
            // Retransmitted SYNs wait with the first; an RST for the SYN ends the attempt.
            if ((flags & TcpHeader.RST) != 0 && seqOff == 1) {
                output.resetUpstream();
                close();
            }
            return;
        }
        if (state == TcpState.TIME_WAIT) {
            if ((flags & TcpHeader.RST) != 0) {
                close();
            } else if ((flags & TcpHeader.FIN) != 0) {
                sendAck(); // our ACK of their FIN was lost (RFC 9293 §3.10.7.4)
                stateDeadline = now + config.timeWait();
            }
            return;
        }
        if ((flags & TcpHeader.RST) != 0) {
            // RFC 5961 §3.2: reset only on an exact match, a challenge ACK for the rest of the window.
            if (seqOff == rcvNxt) {
                output.resetUpstream();
                close();
            } else if (seqOff > rcvNxt && seqOff < Math.max(rcvAdvEdge, rcvNxt + 1)) {
                sendAck();
            }
            return;
        }
        if ((flags & TcpHeader.SYN) != 0) {
            if (state == TcpState.SYN_RECEIVED && (flags & TcpHeader.ACK) == 0 && seqOff == 0) {
                sendSynAck(); // the app did not see our SYN-ACK: same answer again
            } else {
                sendAck(); // RFC 5961 §4.2: challenge ACK
            }
            return;
        }
        if ((flags & TcpHeader.ACK) == 0) return;

        long ackOff = sndUna + (int) (TcpHeader.ack(packet, tcpOff) - wire(iss, sndUna));
        if (ackOff > sndMax) {
            sendAck(); // acknowledges what we never sent (RFC 9293 §3.10.7.4)
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            if (ackOff < 1) return;
            state = TcpState.ESTABLISHED;
        }
        if (ackOff >= sndUna) acknowledge(ackOff, TcpHeader.window(packet, tcpOff), seqOff, len, flags, now);
        if (len > 0 || (flags & TcpHeader.FIN) != 0) {
            receive(packet, dataOff, len, seqOff, (flags & TcpHeader.FIN) != 0);
        }
        transmit(now);
        advanceState(now);
    }

    /** Sends the ACK owed to segments since the last one. Call after each batch of {@link #segment} calls. */
    public void flush(long now) {
        if (ackOwed && state != TcpState.CLOSED) sendAck();
    }

    private void acknowledge(long ackOff, int windowField, long seqOff, int len, int flags, long now) {
        long window = (long) windowField << sndScale;
        if (ackOff == sndUna) {
            // RFC 5681 §2 "duplicate acknowledgment": no data, no window change, data outstanding.
            if (len == 0 && (flags & TcpHeader.FIN) == 0 && window == sndWnd && sndMax > sndUna) {
                dupAcks++;
                if (dupAcks == 3 && !recovering) {
                    long flight = sndMax - sndUna;
                    ssthresh = Math.max(flight / 2, 2L * mss);
                    recovering = true;
                    recoverPoint = sndMax;
                    retransmitFirst(now);
                    cwnd = ssthresh + 3L * mss;
                } else if (dupAcks > 3 && recovering) {
                    cwnd += mss;
                }
            }
        } else {
            long acked = ackOff - sndUna;
            long dataAcked = Math.min(ackOff, 1 + queued) - bufBase;
            if (dataAcked > 0) {
                sendBuffer.release((int) dataAcked);
                bufBase += dataAcked;
            }
            if (timedOffset >= 0 && ackOff >= timedOffset) {
                rtt.sample(now - timedAt);
                timedOffset = -1;
            }
            rtt.acknowledged();
            sndUna = ackOff;
            if (sndNxt < sndUna) sndNxt = sndUna;
            dupAcks = 0;
            if (recovering) {
                if (ackOff >= recoverPoint) {
                    recovering = false;
                    cwnd = ssthresh;
                } else {
                    // RFC 6582 §3.2 step 5: a partial ACK shows the next hole; resend it at once.
                    retransmitFirst(now);
                    cwnd = Math.max(cwnd - acked + mss, mss);
                }
            } else if (cwnd < ssthresh) {
                cwnd += Math.min(acked, mss);
            } else {
                cwnd += Math.max(1, (long) mss * mss / cwnd);
            }
            rtoDeadline = sndUna < sndMax ? now + rtt.rto() : -1;
            if (appBlocked && sendBuffer.free() >= Math.min(config.sendBuffer() / 2, 64 * 1024)) {
                appBlocked = false;
                output.appWritable();
            }
        }
        // RFC 9293 §3.10.7.4: take the window only from segments newer than the last update.
        if (sndWl1 < seqOff || (sndWl1 == seqOff && sndWl2 <= ackOff)) {
            sndWnd = window;
            sndWl1 = seqOff;
            sndWl2 = ackOff;
            if (window > 0) {
                persistDeadline = -1;
                persistBackoff = 0;
            }
        }
    }

    private void receive(ByteBuffer packet, int dataOff, int len, long seqOff, boolean fin) {
        if (!isReceiving()) {
            sendAck(); // data after the app's FIN, or its FIN retransmitted
            return;
        }
        long segEnd = seqOff + len;
        if (segEnd < rcvNxt || (segEnd == rcvNxt && !fin) || (len == 0 && seqOff < rcvNxt)) {
            sendAck(); // all old: our ACK was lost
            return;
        }
        if (seqOff < rcvNxt) {
            int skip = (int) (rcvNxt - seqOff);
            dataOff += skip;
            len -= skip;
            seqOff = rcvNxt;
        }
        long rightEdge = Math.max(rcvAdvEdge, rcvNxt);
        if (seqOff + len > rightEdge) {
            len = (int) Math.max(0, rightEdge - seqOff);
            fin = false;
            if (len == 0) {
                sendAck(); // beyond our window, a zero-window probe among them
                return;
            }
        }
        if (seqOff == rcvNxt) {
            if (len > 0) {
                // A window onto the segment's data, restored after: no buffer allocated per segment.
                int position = packet.position();
                int limit = packet.limit();
                packet.limit(dataOff + len).position(dataOff);
                deliver(packet);
                packet.limit(limit).position(position);
            }
            boolean filledHole = !outOfOrder.isEmpty();
            if (filledHole) rcvNxt = outOfOrder.drain(rcvNxt, this::deliver);
            if (fin || outOfOrder.finAt(rcvNxt)) {
                rcvNxt++;
                appFin = true;
                appClosedFirst = finOffset < 0 || sndMax <= finOffset;
                output.upstreamEndOfStream();
                sendAck();
            } else if (filledHole || ++segmentsUnacked >= 2) {
                sendAck();
            } else {
                ackOwed = true;
            }
        } else {
            // A full queue drops the segment: the app resends it after the hole fills.
            if (outOfOrder.add(seqOff, packet.duplicate().limit(dataOff + len).position(dataOff)) && fin) outOfOrder.fin(seqOff + len);
            sendAck(); // duplicate ACK, so the app fast-retransmits the hole (RFC 5681 §4.2)
        }
    }

    private void deliver(ByteBuffer data) {
        int n = data.remaining();
        rcvNxt += n;
        unconsumed += n;
        bytesFromApp += n;
        output.toUpstream(data);
    }

    // ---------------------------------------------------------------- timers

    /** Runs the timers due at {@code now}: retransmission, persist, TIME_WAIT, FIN_WAIT_2 and idle. */
    public void tick(long now) {
        if (state == TcpState.CLOSED) return;
        if (stateDeadline >= 0 && now >= stateDeadline) {
            if (state == TcpState.TIME_WAIT) close();
            else abort();
            return;
        }
        if (state != TcpState.TIME_WAIT && now - lastActivity >= idleLimit()) {
            abort();
            return;
        }
        if (rtoDeadline >= 0 && now >= rtoDeadline) {
            if (rtt.backoffs() >= config.maxRetransmissions()) {
                abort();
                return;
            }
            rtt.backOff();
            if (state == TcpState.SYN_RECEIVED) {
                sendSynAck();
                timedOffset = -1;
            } else {
                // RFC 5681 §3.1 eq. 4 and RFC 6298 §5.4–5.6: resend the first segment, then go back N.
                ssthresh = Math.max((sndMax - sndUna) / 2, 2L * mss);
                cwnd = mss;
                recovering = false;
                dupAcks = 0;
                sndNxt = sndUna;
                retransmitFirst(now);
            }
            rtoDeadline = now + rtt.rto();
        }
        if (persistDeadline >= 0 && now >= persistDeadline) {
            // A probe below the window makes the app answer with an ACK carrying its window.
            emitRaw(wire(iss, sndUna - 1), wire(irs, rcvNxt), TcpHeader.ACK, windowField());
            persistBackoff = Math.min(persistBackoff + 1, 16);
            persistDeadline = now + Math.min(config.maxRto(), rtt.rto() << persistBackoff);
        }
        flush(now);
    }

    // ---------------------------------------------------------------- sending

    private void transmit(long now) {
        if (state == TcpState.CONNECTING || state == TcpState.SYN_RECEIVED || state == TcpState.CLOSED
                || state == TcpState.TIME_WAIT) {
            return;
        }
        long dataEnd = 1 + queued;
        boolean sent = false;
        while (true) {
            long limit = sndUna + Math.min(sndWnd, cwnd);
            if (sndNxt < dataEnd && sndNxt < limit) {
                int len = (int) Math.min(mss, Math.min(dataEnd - sndNxt, limit - sndNxt));
                // Sender-side silly window avoidance (RFC 9293 §3.8.6.2.1): no runt while data is in flight.
                if (len < mss && len < dataEnd - sndNxt && sndNxt > sndUna) break;
                boolean fin = finQueued && sndNxt + len == dataEnd;
                emitData(sndNxt, len, fin, now);
                sndNxt += len + (fin ? 1 : 0);
                sndMax = Math.max(sndMax, sndNxt);
                sent = true;
                continue;
            }
            if (finQueued && sndNxt == dataEnd) {
                emitData(sndNxt, 0, true, now);
                sndNxt++;
                sndMax = Math.max(sndMax, sndNxt);
                sent = true;
            }
            break;
        }
        if (sent && rtoDeadline < 0) rtoDeadline = now + rtt.rto();
        if (sndWnd == 0 && sndNxt < dataEnd && sndUna == sndMax && persistDeadline < 0) {
            persistDeadline = now + rtt.rto();
            rtoDeadline = -1;
        }
    }

    /** Resends the segment at SND.UNA regardless of the windows (RTO, fast retransmit, partial ACK). */
    private void retransmitFirst(long now) {
        long dataEnd = 1 + queued;
        int len = (int) Math.min(mss, dataEnd - sndUna);
        boolean fin = finQueued && sndUna + len == dataEnd && sndMax > dataEnd;
        if (len == 0 && !fin) return;
        retransmissions++;
        emitData(sndUna, len, fin, now);
        sndNxt = Math.max(sndNxt, sndUna + len + (fin ? 1 : 0));
    }

    private void emitData(long off, int len, boolean fin, long now) {
        if (off < sndMax) {
            if (timedOffset >= 0 && off < timedOffset) timedOffset = -1; // Karn's rule
        } else if (timedOffset < 0 && len > 0) {
            timedOffset = off + len;
            timedAt = now;
        }
        int ipLen = toApp.headerLength() + TcpHeader.MIN_LENGTH + len;
        ByteBuffer b = scratch.clear();
        int ip = toApp.writeHeader(b, 0, IpProtocol.TCP, TcpHeader.MIN_LENGTH + len, TTL);
        int flags = TcpHeader.ACK | (fin ? TcpHeader.FIN : 0) | (len > 0 && off + len == 1 + queued ? TcpHeader.PSH : 0);
        TcpHeader.write(b, ip, key.dstPort(), key.srcPort(), wire(iss, off), wire(irs, rcvNxt),
                TcpHeader.MIN_LENGTH, flags, windowField(), 0);
        if (len > 0) {
            b.position(ip + TcpHeader.MIN_LENGTH);
            sendBuffer.copy((int) (off - bufBase), len, b);
        }
        TransportChecksum.fill(b, 0, IpProtocol.TCP, ip, TcpHeader.MIN_LENGTH + len);
        b.limit(ipLen).position(0);
        if (off + len > sndMax) bytesToApp += off + len - Math.max(off, sndMax);
        ackOwed = false;
        segmentsUnacked = 0;
        output.toApp(b);
    }

    private void sendSynAck() {
        int window = Math.min(config.receiveBuffer(), MAX_WINDOW_FIELD);
        rcvAdvEdge = Math.max(rcvAdvEdge, 1 + window);
        var options = TcpOptions.syn(ourMss, scaling ? rcvScale : -1, false, -1);
        ByteBuffer b = scratch.clear();
        int n = TcpSegment.write(b, 0, toApp, TTL, key.dstPort(), key.srcPort(), iss, (irs + 1) & 0xFFFF_FFFFL,
                TcpHeader.SYN | TcpHeader.ACK, window, 0, options, NO_DATA);
        b.limit(n).position(0);
        output.toApp(b);
    }

    private void sendAck() {
        emitRaw(wire(iss, sndNxt), wire(irs, rcvNxt), TcpHeader.ACK, windowField());
    }

    private void sendReset() {
        emitRaw(wire(iss, sndMax), wire(irs, rcvNxt), TcpHeader.RST | TcpHeader.ACK, 0);
    }

    private void emitRaw(long seq, long ack, int flags, int window) {
        ByteBuffer b = scratch.clear();
        int ip = toApp.writeHeader(b, 0, IpProtocol.TCP, TcpHeader.MIN_LENGTH, TTL);
        TcpHeader.write(b, ip, key.dstPort(), key.srcPort(), seq, ack, TcpHeader.MIN_LENGTH, flags, window, 0);
        TransportChecksum.fill(b, 0, IpProtocol.TCP, ip, TcpHeader.MIN_LENGTH);
        b.limit(ip + TcpHeader.MIN_LENGTH).position(0);
        if ((flags & TcpHeader.ACK) != 0) {
            ackOwed = false;
            segmentsUnacked = 0;
        }
        output.toApp(b);
    }

    /**
     * The window field for the next segment: the room left toward upstream, its right edge moved
     * only in steps of at least min(buffer / 2, MSS) (receiver-side silly window avoidance,
     * RFC 9293 §3.8.6.2.2) and never moved left.
     */
    private int windowField() {
        if (isReceiving()) {
            long edge = rcvNxt + Math.max(0, config.receiveBuffer() - unconsumed);
            if (edge - rcvAdvEdge >= windowStep()) {
                long field = Math.min(MAX_WINDOW_FIELD, (edge - rcvNxt) >> rcvScale);
                rcvAdvEdge = Math.max(rcvAdvEdge, rcvNxt + (field << rcvScale));
            }
        }
        return (int) Math.min(MAX_WINDOW_FIELD, Math.max(0, rcvAdvEdge - rcvNxt) >> rcvScale);
    }

    private long windowStep() {
        return Math.min(config.receiveBuffer() / 2, ourMss);
    }

    // ---------------------------------------------------------------- closing

    private void advanceState(long now) {
        switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK -> { }
            default -> { return; }
        }
        boolean finSent = finQueued && sndMax > finOffset;
        boolean finAcked = finQueued && sndUna > finOffset;
        TcpState next;
        if (!appFin) next = !finSent ? TcpState.ESTABLISHED : finAcked ? TcpState.FIN_WAIT_2 : TcpState.FIN_WAIT_1;
        else if (!finSent) next = TcpState.CLOSE_WAIT;
        else if (!finAcked) next = appClosedFirst ? TcpState.LAST_ACK : TcpState.CLOSING;
        else next = appClosedFirst ? TcpState.CLOSED : TcpState.TIME_WAIT;
        if (next == state) return;
        if (next == TcpState.CLOSED) {
            close();
            return;
        }
        state = next;
        switch (next) {
            case TIME_WAIT -> {
                rtoDeadline = -1;
                persistDeadline = -1;
                stateDeadline = now + config.timeWait();
                if (config.timeWait() == 0) close();
            }
            default -> stateDeadline = -1;
        }
    }

    /** Gives up: RST to the app, reset upstream (retransmissions exhausted, timeouts). */
    private void abort() {
        if (state == TcpState.CONNECTING) emitRaw(0, (irs + 1) & 0xFFFF_FFFFL, TcpHeader.RST | TcpHeader.ACK, 0);
        else sendReset();
        output.resetUpstream();
        close();
    }

    private void close() {
        if (state == TcpState.CLOSED) return;
        state = TcpState.CLOSED;
        rtoDeadline = persistDeadline = stateDeadline = -1;
        output.closed();
    }

    private static long wire(long isn, long offset) {
        return (isn + offset) & 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        return key + " " + state + " una=" + sndUna + " nxt=" + sndNxt + " wnd=" + sndWnd + " cwnd=" + cwnd
                + " rcv=" + rcvNxt + " rto=" + rtt.rto() / 1_000_000 + "ms";
    }
}
