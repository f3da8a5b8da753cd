package net.braid.cli.interpose;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import net.braid.interpose.FlowKey;
import net.braid.interpose.TcpUpstream;
import net.braid.interpose.UdpUpstream;
import net.braid.interpose.UpstreamDialer;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.StreamListener;
import net.braid.masque.udp.MasqueClient;
import net.braid.masque.udp.ProxyEndpoint;
import net.braid.masque.udp.UdpTunnel;
import net.braid.packet.AddressPair;

/**
 * Upstreams through one MASQUE proxy: a CONNECT request stream (RFC 9114 §4.4, RFC 9113 §8.5)
 * per TCP connection and a CONNECT-UDP session (RFC 9298) per datagram flow, all on one HTTP/3
 * connection, or HTTP/2 where UDP is blocked. The connection is made in the background and made
 * again after it ends; nothing here blocks the engine's loop. Each stream is driven directly
 * ({@link MasqueStream}: writes complete under QUIC flow control, reading pauses when the app's
 * side is full), as braid forward's HTTP/3 dialer does.
 */
final class MasqueUpstreamDialer implements UpstreamDialer, AutoCloseable {
    /** Which transport to use: h3, h2, or h3 falling back to h2. */
    enum Transport { H3, H2, AUTO }

    private final ProxyEndpoint proxy;
    private final Transport transport;
    private final PrintWriter log;
    private CompletableFuture<MasqueClient> client; // guarded by this
    private boolean closed; // guarded by this
    private volatile String lastOutcome = ""; // "over HTTP/3" or the failure, for braid show

    MasqueUpstreamDialer(ProxyEndpoint proxy, Transport transport, PrintWriter log) {
        this.proxy = proxy;
        this.transport = transport;
        this.log = log;
    }

    /** The live client, or a connection attempt started now on a virtual thread. */
    synchronized CompletableFuture<MasqueClient> client() {
        CompletableFuture<MasqueClient> c = client;
        if (c != null && (!c.isDone() || (!c.isCompletedExceptionally() && c.join().connection().isOpen()))) return c;
        if (closed) return CompletableFuture.failedFuture(new IOException("closed"));
        CompletableFuture<MasqueClient> next = new CompletableFuture<>();
        client = next;
        Thread.ofVirtual().name("interpose-connect").start(() -> {
            try {
                String over = transport == Transport.H2 ? "HTTP/2" : "HTTP/3";
                MasqueClient made;
                if (transport == Transport.H2) {
                    made = MasqueClient.connectHttp2(proxy);
                } else if (transport == Transport.H3) {
                    made = MasqueClient.connect(proxy);
                } else {
                    try {
                        made = MasqueClient.connect(proxy);
                    } catch (IOException e) {
                        log.println("braid: interpose: HTTP/3 to " + proxy.address() + " failed (" + e.getMessage() + "), trying HTTP/2");
                        log.flush();
                        made = MasqueClient.connectHttp2(proxy);
                        over = "HTTP/2";
                    }
                }
                log.println("braid: interpose: connected to proxy " + proxy.address() + " over " + over);
                log.flush();
                lastOutcome = "over " + over;
                next.complete(made);
            } catch (Throwable t) {
                log.println("braid: interpose: cannot connect to proxy " + proxy.address() + ": " + t.getMessage());
                log.flush();
                lastOutcome = String.valueOf(t.getMessage());
                next.completeExceptionally(t);
            }
        });
        return next;
    }

    /** The connection to the proxy in a few words, for {@code braid show}: "connected over HTTP/3", "connecting", ... */
    synchronized String state() {
        CompletableFuture<MasqueClient> c = client;
        if (closed) return "closed";
        if (c == null) return "not connected";
        if (!c.isDone()) return "connecting";
        if (c.isCompletedExceptionally()) return "failed: " + lastOutcome;
        return c.join().connection().isOpen() ? "connected " + lastOutcome : "disconnected (reconnects on the next flow)";
    }

    @Override
    public TcpUpstream dialTcp(FlowKey key, TcpUpstream.Events events) {
        ConnectStream upstream = new ConnectStream(events);
        String authority = authority(key);
        // RFC 9114 §4.4: :method CONNECT and :authority only.
        Http3Headers request = new DefaultHttp3Headers().method("CONNECT").authority(authority);
        if (proxy.bearerToken() != null) request.add("proxy-authorization", "Bearer " + proxy.bearerToken());
        client().thenCompose(c -> c.connection().openStream(request, upstream))
                .thenCompose(stream -> stream.response().thenApply(response -> {
                    CharSequence status = response.get(":status");
                    if (status == null || status.length() != 3 || status.charAt(0) != '2') {
                        stream.close();
                        throw new CompletionException(new IOException("proxy answered " + status + " to CONNECT " + authority));
                    }
                    return stream;
                }))
                .orTimeout(proxy.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((stream, failure) -> {
                    if (failure != null) events.refused(String.valueOf(failure.getMessage()));
                    else upstream.bind(stream);
                });
        return upstream;
    }

    @Override
    public UdpUpstream dialUdp(FlowKey key, UdpUpstream.Events events) {
        DatagramFlow flow = new DatagramFlow();
        String host = hostOf(key);
        client().thenCompose(c -> c.openUdpAsync(host, key.dstPort(), payload -> {
                    ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
                    events.datagram(copy);
                }))
                .orTimeout(proxy.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((tunnel, failure) -> {
                    if (failure != null) {
                        events.failed(String.valueOf(failure.getMessage()));
                        return;
                    }
                    if (!flow.bind(tunnel)) return;
                    tunnel.closeFuture().thenRun(events::closed);
                    events.opened();
                });
        return flow;
    }

    private static String hostOf(FlowKey key) {
        try {
            byte[] raw = switch (key.addresses()) {
                case AddressPair.V4 v4 -> ByteBuffer.allocate(4).putInt(v4.dst()).array();
                case AddressPair.V6 v6 -> ByteBuffer.allocate(16).putLong(v6.dstHi()).putLong(v6.dstLo()).array();
            };
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String authority(FlowKey key) {
        String host = hostOf(key);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + key.dstPort();
    }

    @Override
    public void close() {
        CompletableFuture<MasqueClient> c;
        synchronized (this) {
            closed = true;
            c = client;
        }
        if (c != null && c.isDone() && !c.isCompletedExceptionally()) c.join().close();
    }

    /** One CONNECT stream: its listener side runs on the stream's event loop, its upstream side on the engine's. */
    private static final class ConnectStream implements TcpUpstream, StreamListener {
        private final Events events;
        private volatile MasqueStream stream;
        private volatile boolean resetEarly;
        // Event loop only: what the stream reported before the engine heard "connected".
        private boolean bound;
        private boolean inputEnded;
        private final java.util.ArrayList<Runnable> early = new java.util.ArrayList<>();

        ConnectStream(Events events) {
            this.events = events;
        }

        void bind(MasqueStream s) {
            stream = s;
            s.eventLoop().execute(() -> {
                if (resetEarly) {
                    s.abort(0x10c); // H3_REQUEST_CANCELLED (RFC 9114 §8.1)
                    return;
                }
                bound = true;
                events.connected();
                early.forEach(Runnable::run);
                early.clear();
            });
        }

        /** Reports at once once bound, else after "connected": the engine must hear that first. */
        private void report(Runnable event) {
            if (bound) event.run();
            else early.add(event);
        }

        @Override
        public void write(ByteBuffer data) {
            MasqueStream s = stream;
            int n = data.remaining();
            ByteBuf buf = s.alloc().buffer(n);
            buf.writeBytes(data);
            s.eventLoop().execute(() -> s.write(buf).addListener(f -> {
                if (f.isSuccess()) events.written(n);
            }));
        }

        @Override
        public void shutdownOutput() {
            MasqueStream s = stream;
            s.eventLoop().execute(s::finish);
        }

        @Override
        public void reset() {
            MasqueStream s = stream;
            if (s == null) {
                resetEarly = true;
                return;
            }
            s.eventLoop().execute(() -> s.abort(0x10c));
        }

        @Override
        public void pauseReading(boolean paused) {
            MasqueStream s = stream;
            s.eventLoop().execute(() -> s.readPaused(paused));
        }

        @Override
        public void onData(MasqueStream s, ByteBuf data) {
            ByteBuffer copy = ByteBuffer.allocate(data.readableBytes());
            data.readBytes(copy);
            copy.flip();
            report(() -> events.data(copy));
        }

        @Override
        public void onInputClosed(MasqueStream s) {
            inputEnded = true;
            report(events::end);
        }

        @Override
        public void onReset(MasqueStream s, long errorCode) {
            inputEnded = true;
            report(events::reset);
        }

        @Override
        public void onClosed(MasqueStream s) {
            if (!inputEnded) {
                inputEnded = true;
                report(events::reset);
            }
        }
    }

    /** One CONNECT-UDP session, bound once the proxy accepted it. */
    private static final class DatagramFlow implements UdpUpstream {
        private volatile UdpTunnel tunnel;
        private volatile boolean closed;

        /** False (and the tunnel closed) when the engine closed the flow first. */
        boolean bind(UdpTunnel t) {
            tunnel = t;
            if (closed) {
                t.close();
                return false;
            }
            return true;
        }

        @Override
        public void send(ByteBuffer payload) {
            UdpTunnel t = tunnel;
            if (t != null) t.send(payload);
        }

        @Override
        public void close() {
            closed = true;
            UdpTunnel t = tunnel;
            if (t != null) t.close();
        }
    }

}
