package net.braid.interpose.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.braid.packet.AddressPair;
import net.braid.packet.TcpHeader;
import net.braid.packet.TcpOptions;
import net.braid.packet.TcpSegment;

/**
 * A deliberately simple app-side TCP for the property test: in-order-only receiver that ACKs
 * every segment, go-back-N sender with a fixed timeout, FIN once its data is acknowledged.
 * Independent of {@link TcpEndpoint}'s code, so agreement between the two means something.
 */
final class ReferenceApp {
    private static final int MSS = 1200;
    private static final long TIMEOUT = 300_000_000L;

    final AddressPair addresses;
    final int port;
    final int peerPort = 80;
    final long isn = 0xFFFF_F000L;
    final byte[] toSend;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<byte[]> out = new ArrayList<>();

    private long peerIsn = -1;
    private int peerScale;
    private long peerWnd;
    private long sndUna;
    private long sndNxt;
    private long sndMax;
    private long rcvNxt;
    private long lastProgress;
    boolean peerFin;

    ReferenceApp(AddressPair addresses, byte[] toSend) {
        this(addresses, 40001, toSend);
    }

    ReferenceApp(AddressPair addresses, int port, byte[] toSend) {
        this.addresses = addresses;
        this.port = port;
        this.toSend = toSend;
    }

    ByteBuffer syn() {
        sndNxt = sndMax = 1;
        return packet(isn, 0, TcpHeader.SYN, 65535, TcpOptions.syn(MSS, 0, false, -1), new byte[0]);
    }

    boolean finAcknowledged() {
        return sndUna == toSend.length + 2;
    }

    void receive(TcpSegment s, long now) {
        if ((s.flags() & TcpHeader.RST) != 0) throw new AssertionError("reset by the endpoint: " + s);
        if ((s.flags() & TcpHeader.SYN) != 0) {
            if (peerIsn < 0) {
                peerIsn = s.seq();
                peerScale = Math.max(0, s.options().windowScale());
                rcvNxt = 1;
                peerWnd = s.window();
            }
            if (s.ack() == ((isn + 1) & 0xFFFF_FFFFL) && sndUna == 0) {
                sndUna = 1;
                lastProgress = now;
            }
            ack();
            return;
        }
        if (peerIsn < 0) return;
        long ackOff = sndUna + (int) (s.ack() - wire(isn, sndUna));
        if (ackOff > sndUna && ackOff <= sndMax) {
            sndUna = ackOff;
            if (sndNxt < sndUna) sndNxt = sndUna;
            lastProgress = now;
        }
        if (ackOff >= sndUna) peerWnd = (long) s.window() << peerScale;
        int len = s.payload().length;
        boolean fin = (s.flags() & TcpHeader.FIN) != 0;
        if (len == 0 && !fin) return;
        long segOff = rcvNxt + (int) (s.seq() - wire(peerIsn, rcvNxt));
        if (segOff <= rcvNxt && segOff + len >= rcvNxt && !peerFin) {
            int skip = (int) (rcvNxt - segOff);
            received.write(s.payload(), skip, len - skip);
            rcvNxt += len - skip;
            if (fin) {
                rcvNxt++;
                peerFin = true;
            }
        }
        ack();
    }

    /** Sends what the window allows; after a timeout without progress, goes back to SND.UNA. */
    void pump(long now) {
        if (sndUna == 0) {
            if (now - lastProgress > 1_000_000_000L) {
                out.add(array(packet(isn, 0, TcpHeader.SYN, 65535, TcpOptions.syn(MSS, 0, false, -1), new byte[0])));
                lastProgress = now;
            }
            return;
        }
        boolean force = false;
        boolean zeroWindow = sndUna + peerWnd <= sndNxt && sndNxt < 1 + toSend.length;
        if ((sndUna < sndMax || zeroWindow) && now - lastProgress > TIMEOUT) {
            sndNxt = sndUna;
            lastProgress = now;
            force = true; // one segment even into a zero window, as a probe
        }
        long dataEnd = 1 + toSend.length;
        while (sndNxt < dataEnd && (sndNxt < sndUna + peerWnd || force)) {
            int n = (int) Math.min(MSS, dataEnd - sndNxt);
            if (!force) n = (int) Math.min(n, sndUna + peerWnd - sndNxt);
            byte[] data = Arrays.copyOfRange(toSend, (int) (sndNxt - 1), (int) (sndNxt - 1 + n));
            out.add(array(packet(wire(isn, sndNxt), wire(peerIsn, rcvNxt), TcpHeader.ACK, 65535, TcpOptions.NONE, data)));
            sndNxt += n;
            sndMax = Math.max(sndMax, sndNxt);
            force = false;
        }
        if (sndUna == dataEnd && sndNxt == dataEnd) {
            out.add(array(packet(wire(isn, sndNxt), wire(peerIsn, rcvNxt), TcpHeader.ACK | TcpHeader.FIN, 65535, TcpOptions.NONE, new byte[0])));
            sndNxt++;
            sndMax = Math.max(sndMax, sndNxt);
        }
        if (sndUna >= sndMax && sndUna + peerWnd > sndNxt) lastProgress = now;
    }

    private void ack() {
        out.add(array(packet(wire(isn, sndNxt), wire(peerIsn, rcvNxt), TcpHeader.ACK, 65535, TcpOptions.NONE, new byte[0])));
    }

    private ByteBuffer packet(long seq, long ack, int flags, int window, TcpOptions options, byte[] data) {
        var seg = new TcpSegment(addresses, port, peerPort, seq, ack, flags, window, 0, options, data);
        ByteBuffer b = ByteBuffer.allocate(seg.length());
        seg.write(b, 0, 64);
        return b;
    }

    private static byte[] array(ByteBuffer b) {
        return b.array();
    }

    private static long wire(long isn, long off) {
        return (isn + off) & 0xFFFF_FFFFL;
    }
}
