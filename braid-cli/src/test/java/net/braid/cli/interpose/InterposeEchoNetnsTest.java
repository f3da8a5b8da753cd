package net.braid.cli.interpose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.braid.interpose.InterposeConfig;
import net.braid.interpose.InterposeEngine;
import net.braid.linux.LinkConfig;
import net.braid.linux.NetNamespace;
import net.braid.linux.Tun;
import net.braid.testbed.Testbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The userspace TCP endpoint against the real Linux stack: a namespace routes two prefixes into
 * a TUN that an {@link InterposeEngine} serves with in-memory echo upstreams, and ordinary Java
 * sockets (the kernel's TCP) connect through it. Needs root; skipped with the reason otherwise.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterposeEchoNetnsTest {
    private static final String NS = "braid-ip5e-" + ProcessHandle.current().pid();
    private static final int MTU = 1500;
    private static Tun tun;
    private static InterposeEngine engine;
    private static boolean created;
    private static String skip;

    @BeforeAll
    static void setUp() throws Exception {
        skip = Testbed.available().orElse(null);
        if (skip != null) {
            System.out.println("InterposeEchoNetnsTest skipped: " + skip);
            return;
        }
        NetNamespace.create(NS);
        created = true;
        tun = NetNamespace.run(NS, () -> Tun.open("braidip0", MTU));
        LinkConfig link = LinkConfig.inNamespace(NS);
        link.addAddress(tun.name(), InetAddress.getByName("198.18.50.1"), 24);
        link.addAddress(tun.name(), InetAddress.getByName("2001:db8:50::1"), 64);
        link.linkUp(tun.name());
        link.addRoute(InetAddress.getByName("198.19.50.0"), 24, tun.name());
        link.addRoute(InetAddress.getByName("2001:db8:51::"), 64, tun.name());
        engine = new InterposeEngine(tun, new EchoDialer(Set.of(9)), InterposeConfig.defaults(MTU), new SplittableRandom());
        engine.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (engine != null) engine.close();
        if (tun != null) tun.close();
        if (created) NetNamespace.delete(NS);
    }

    private static void requireNetns() {
        Assumptions.assumeTrue(skip == null, () -> "skipped: " + skip);
    }

    private static Socket connect(String host, int port) throws Exception {
        return NetNamespace.run(NS, () -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 5000);
            s.setSoTimeout(30_000);
            return s;
        });
    }

    /** Writes {@code data} on one thread while reading it back on this one; returns what came back. */
    private static byte[] echo(Socket s, byte[] data, boolean halfClose) throws Exception {
        try (ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> w = writer.submit(() -> {
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < data.length; off += 8192) out.write(data, off, Math.min(8192, data.length - off));
                out.flush();
                if (halfClose) s.shutdownOutput();
                return null;
            });
            InputStream in = s.getInputStream();
            byte[] back = new byte[data.length];
            int got = 0;
            while (got < data.length) {
                int n = in.read(back, got, data.length - got);
                if (n < 0) break;
                got += n;
            }
            w.get(30, TimeUnit.SECONDS);
            assertThat(got).as("bytes echoed").isEqualTo(data.length);
            return back;
        }
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @Test
    void kernelTcpMovesMegabytesBothWaysThroughTheEndpointV4() throws Exception {
        requireNetns();
        byte[] data = new byte[8 << 20];
        new Random(1).nextBytes(data);
        try (Socket s = connect("198.19.50.7", 7)) {
            assertThat(sha256(echo(s, data, true))).isEqualTo(sha256(data));
            assertThat(s.getInputStream().read()).as("end of stream after our FIN came back").isEqualTo(-1);
        }
    }

    @Test
    void kernelTcpOverIpv6() throws Exception {
        requireNetns();
        byte[] data = new byte[1 << 20];
        new Random(2).nextBytes(data);
        try (Socket s = connect("2001:db8:51::7", 7)) {
            assertThat(sha256(echo(s, data, true))).isEqualTo(sha256(data));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aRefusedUpstreamIsAConnectionRefusedForTheApp() {
        requireNetns();
        assertThatThrownBy(() -> connect("198.19.50.7", 9)).isInstanceOf(ConnectException.class);
    }

    @Test
    void aSlowReaderStallsOnlyItsOwnFlow() throws Exception {
        requireNetns();
        try (Socket slow = connect("198.19.50.8", 7)) {
            // Fill the slow flow until its window closes: writes block once kernel and endpoint buffers are full.
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> filler = ex.submit(() -> {
                    byte[] chunk = new byte[65536];
                    OutputStream out = slow.getOutputStream();
                    for (int i = 0; i < 200; i++) out.write(chunk);
                    return null;
                });
                Thread.sleep(500);
                assertThat(filler.isDone()).as("13 MB cannot fit while nobody reads").isFalse();
                byte[] data = new byte[1 << 20];
                new Random(3).nextBytes(data);
                try (Socket other = connect("198.19.50.9", 7)) {
                    assertThat(sha256(echo(other, data, true))).isEqualTo(sha256(data));
                }
                slow.close();
                filler.cancel(true);
            }
        }
    }

    @Test
    void manyConcurrentConnections() throws Exception {
        requireNetns();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int id = i;
                results.add(ex.submit(() -> {
                    byte[] data = new byte[64 * 1024 + id];
                    new Random(id).nextBytes(data);
                    try (Socket s = connect("198.19.50." + (10 + id % 50), 1000 + id)) {
                        return MessageDigest.isEqual(sha256(echo(s, data, true)), sha256(data));
                    }
                }));
            }
            for (Future<Boolean> f : results) assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void udpDatagramsAreEchoedPerFlow() throws Exception {
        requireNetns();
        try (DatagramSocket s = NetNamespace.run(NS, DatagramSocket::new)) {
            s.setSoTimeout(5000);
            for (String host : List.of("198.19.50.53", "2001:db8:51::53")) {
                byte[] q = ("query to " + host).getBytes();
                s.send(new DatagramPacket(q, q.length, new InetSocketAddress(InetAddress.getByName(host), 53)));
                DatagramPacket r = new DatagramPacket(new byte[2048], 2048);
                s.receive(r);
                assertThat(new String(r.getData(), 0, r.getLength())).isEqualTo("query to " + host);
                assertThat(r.getPort()).isEqualTo(53);
            }
        }
        assertThat(engine.flows()).anySatisfy(f -> assertThat(f.key().protocol()).isEqualTo(17));
    }

}
