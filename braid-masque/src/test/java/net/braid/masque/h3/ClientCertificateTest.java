package net.braid.masque.h3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import net.braid.config.IpPrefix;
import net.braid.masque.h2.H2Client;
import net.braid.masque.h2.H2Server;
import net.braid.masque.udp.AccessTokens;
import net.braid.masque.udp.MasqueClient;
import net.braid.masque.udp.MasqueProxyHandler;
import net.braid.masque.udp.ProxyConfig;
import net.braid.masque.udp.ProxyEndpoint;
import net.braid.masque.udp.TargetPolicy;
import net.braid.masque.udp.UdpTunnel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS in process over loopback: a proxy whose HTTP/3 and HTTP/2 listeners require client
 * certificates from one CA. A certificate from that CA lets CONNECT-UDP reach a UDP echo; none, or
 * one from another CA, ends the connection before any request is answered.
 */
class ClientCertificateTest {
    static final String TOKEN = "mtls-Token_1";
    static final Duration VALIDITY = Duration.ofDays(1);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    static Certificates.Identity serverIdentity;
    static Certificates.Identity clientCa;
    static Certificates.Identity client;
    static Certificates.Identity stranger;
    static H3Server h3;
    static H2Server h2;
    static DatagramSocket udpEcho;

    @BeforeAll
    static void start() throws Exception {
        serverIdentity = Certificates.selfSigned(List.of("localhost"), VALIDITY);
        clientCa = Certificates.certificateAuthority("braid test clients", VALIDITY);
        client = Certificates.issueClient(clientCa, "laptop-1", VALIDITY);
        stranger = Certificates.issueClient(Certificates.certificateAuthority("another CA", VALIDITY), "laptop-1", VALIDITY);
        var proxy = new MasqueProxyHandler(ProxyConfig.defaults(AccessTokens.of(Set.of(TOKEN)))
                .withPolicy(TargetPolicy.allowing(List.of(IpPrefix.parse("127.0.0.1/32")))), null);
        var trust = new ClientTrust(List.of(clientCa.leaf()));
        h3 = H3Server.bind(new InetSocketAddress(LOOPBACK, 0), serverIdentity, H3Options.defaults(), proxy, c -> {}, trust);
        h2 = H2Server.bind(new InetSocketAddress(LOOPBACK, 0), serverIdentity, proxy, c -> {}, trust);
        udpEcho = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        threads.submit(() -> {
            byte[] buf = new byte[2048];
            while (!udpEcho.isClosed()) {
                var packet = new DatagramPacket(buf, buf.length);
                try {
                    udpEcho.receive(packet);
                    udpEcho.send(new DatagramPacket(buf, packet.getLength(), packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        udpEcho.close();
        h2.close();
        h3.close();
        threads.shutdownNow();
    }

    static ProxyEndpoint endpoint(InetSocketAddress address) {
        return ProxyEndpoint.of(address, "localhost", ServerTrust.PinnedKeys.of(Certificates.spkiSha256(serverIdentity.leaf())), TOKEN)
                .withOptions(H3Options.defaults());
    }

    static MasqueClient overH3(Certificates.Identity identity) throws IOException {
        var endpoint = endpoint(h3.localAddress());
        return MasqueClient.connect(endpoint, H3Client.create(endpoint.trust(), endpoint.options(), identity));
    }

    static MasqueClient overH2(Certificates.Identity identity) throws IOException {
        var endpoint = endpoint(h2.localAddress());
        return MasqueClient.connect(endpoint, H2Client.create(endpoint.trust(), identity));
    }

    static void echoes(MasqueClient masque) throws Exception {
        try (UdpTunnel tunnel = masque.openUdp("127.0.0.1", udpEcho.getLocalPort())) {
            byte[] hello = "hello through mutual TLS".getBytes(StandardCharsets.US_ASCII);
            // A datagram may be lost even on loopback (queues); a few tries keep the test about TLS.
            byte[] reply = null;
            for (int i = 0; i < 5 && reply == null; i++) {
                tunnel.send(ByteBuffer.wrap(hello));
                reply = tunnel.receive(Duration.ofSeconds(2));
            }
            assertThat(reply).isEqualTo(hello);
        }
    }

    /** Connecting and opening a CONNECT-UDP session must fail; returns the failure's message chain. */
    static String refused(Function<Certificates.Identity, MasqueClient> connect, Certificates.Identity identity) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> {
            try (MasqueClient masque = connect.apply(identity)) {
                masque.openUdp("127.0.0.1", udpEcho.getLocalPort()).close();
            }
        }).satisfies(t -> failure[0] = t);
        var messages = new StringBuilder();
        for (Throwable t = failure[0]; t != null; t = t.getCause()) messages.append(t.getMessage()).append(" | ");
        return messages.toString();
    }

    static Function<Certificates.Identity, MasqueClient> unchecked(IoFunction connect) {
        return identity -> {
            try {
                return connect.apply(identity);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    interface IoFunction {
        MasqueClient apply(Certificates.Identity identity) throws IOException;
    }

    @Test
    void issuedCertificateChainsToItsCa() throws Exception {
        assertThat(client.chain()).hasSize(2);
        assertThat(client.leaf().getIssuerX500Principal()).isEqualTo(clientCa.leaf().getSubjectX500Principal());
        client.leaf().verify(clientCa.leaf().getPublicKey());
        assertThat(client.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // id-kp-clientAuth
        assertThat(clientCa.leaf().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void h3WithAClientCertificateCarriesConnectUdp() throws Exception {
        try (MasqueClient masque = overH3(client)) {
            echoes(masque);
        }
    }

    @Test
    void h2WithAClientCertificateCarriesConnectUdp() throws Exception {
        try (MasqueClient masque = overH2(client)) {
            echoes(masque);
        }
    }

    @Test
    void h3WithoutACertificateIsRefusedWithTheTlsAlert() {
        assertThat(refused(unchecked(ClientCertificateTest::overH3), null))
                .contains("TLS alert 116 certificate_required");
    }

    @Test
    void h3WithAnotherCasCertificateIsRefused() {
        // The server's CertificateRequest names its CA (RFC 8446 §4.2.4), so the client has no certificate to offer.
        assertThat(refused(unchecked(ClientCertificateTest::overH3), stranger))
                .contains("TLS alert 116 certificate_required");
    }

    @Test
    void h2WithoutACertificateIsRefused() {
        assertThat(refused(unchecked(ClientCertificateTest::overH2), null))
                .contains("closed before the peer's SETTINGS arrived");
    }

    @Test
    void h2WithAnotherCasCertificateIsRefused() {
        assertThat(refused(unchecked(ClientCertificateTest::overH2), stranger))
                .contains("closed before the peer's SETTINGS arrived");
    }

    @Test
    void theJudgeRefusesAChainFromAnotherCaAndAcceptsItsOwn() throws Exception {
        var judge = new ClientTrust(List.of(clientCa.leaf())).trustManager();
        judge.checkClientTrusted(client.chain().toArray(X509Certificate[]::new), "EC");
        assertThatThrownBy(() -> judge.checkClientTrusted(stranger.chain().toArray(X509Certificate[]::new), "EC"))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> judge.checkServerTrusted(client.chain().toArray(X509Certificate[]::new), "EC"))
                .hasMessageContaining("verifies clients only");
    }
}
