package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.crypto.KeyPair;
import net.braid.testbed.ExecResult;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Link;
import net.braid.testbed.PingResult;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seed 003's deployment (§3.3): client — local portal with two WAN links — "internet" — remote
 * portal with one interface and NAT — server. The local portal sends everything through the
 * tunnel (AllowedIPs 0.0.0.0/0, policy routing), the remote one masquerades it. Neither the
 * internet nor the server has a route back to the client's LAN, so any answer proves the
 * traffic left through the remote portal's address.
 */
@Timeout(180)
class HostRoutingNetnsTest {
    private static final String LOCAL_TUN = "198.19.210.1";
    private static final String REMOTE_TUN = "198.19.210.2";
    private static final String LOCAL_TUN6 = "2001:db8:210::1";
    private static final String REMOTE_TUN6 = "2001:db8:210::2";
    private static final Pattern MASQUERADED = Pattern.compile("counter packets (\\d+) bytes \\d+ masquerade");

    @TempDir
    Path dir;

    /**
     * @param bonded two paths bound to the WAN devices; else one unbound socket to the peer's
     *               Endpoint, which only the fwmark keeps out of the tunnel's default route
     */
    @ParameterizedTest(name = "bonded paths: {0}")
    @ValueSource(booleans = {true, false})
    void clientReachesTheServerThroughTheTunnelAndNothingIsLeftAfterwards(boolean bonded) throws IOException {
        NetnsRequirement.assume("routing test", "ping", "iperf3", "nft");
        try (Testbed bed = Testbed.create("itroute")) {
            Seed net = Seed.build(bed, 2);
            Host client = net.client();
            Host local = net.local();
            Host remote = net.remote();
            Host server = net.server();
            Link lan = net.lan();
            Link wan1 = net.wans().get(0);
            Link wan2 = net.wans().get(1);
            Link uplink = net.uplink();
            Link serverLink = net.serverLink();
            client.defaultRoute(lan);

            KeyPair localKey = KeyPair.generate();
            KeyPair remoteKey = KeyPair.generate();
            String remotePublic = uplink.v4(remote).getHostAddress();
            Path localConf = dir.resolve("local.conf");
            Path remoteConf = dir.resolve("remote.conf");
            Files.writeString(localConf, """
                    [Interface]
                    Name = braid0
                    PrivateKey = %s
                    Address = %s/24, %s/64
                    Forward = on

                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 0.0.0.0/0, ::/0
                    """.formatted(b64(localKey.privateKey()), LOCAL_TUN, LOCAL_TUN6, b64(remoteKey.publicKey()))
                    + (bonded ? """

                    [Path]
                    Bind = %s
                    Endpoint = %s:51820

                    [Path]
                    Bind = %s
                    Endpoint = %s:51820
                    """.formatted(wan1.device(local), remotePublic, wan2.device(local), remotePublic)
                    : "Endpoint = " + remotePublic + ":51820\n"));
            Files.writeString(remoteConf, """
                    [Interface]
                    Name = braid0
                    PrivateKey = %s
                    Address = %s/24, %s/64
                    ListenPort = 51820
                    Masquerade = on

                    [Peer]
                    PublicKey = %s
                    AllowedIPs = %s/32, %s/128, %s, %s
                    """.formatted(b64(remoteKey.privateKey()), REMOTE_TUN, REMOTE_TUN6, b64(localKey.publicKey()),
                    LOCAL_TUN, LOCAL_TUN6, lan.prefix4(), lan.prefix6()));
            Path localCtl = dir.resolve("ctl-local");
            Path remoteCtl = dir.resolve("ctl-remote");
            String localBefore = hostState(local);
            String remoteBefore = hostState(remote);

            Spawned remotePortal = PortalPair.up(remote, remoteConf, remoteCtl);
            Spawned localPortal = PortalPair.up(local, localConf, localCtl);
            String server4 = serverLink.v4(server).getHostAddress();
            // Each WAN has its own default route and subnet, and rp_filter is off: nothing to advise.
            assertThat(localPortal.stdout()).doesNotContain("rp_filter").doesNotContain("ARP flux").doesNotContain("no default route");
            String server6 = serverLink.v6(server).getHostAddress();
            assertThat(patientPing(client, server4)).as("client pings the server" + logs(localPortal, remotePortal)).isPositive();
            assertThat(patientPing(client, server6)).as("client pings the server over IPv6" + logs(localPortal, remotePortal)).isPositive();

            long wanBefore = txBytes(local, wan1) + txBytes(local, wan2);
            Iperf3Result result;
            try (Iperf3.Server iperf = Iperf3.server(server, serverLink.v4(server))) {
                result = Iperf3.client(client, iperf).seconds(2).run();
            }
            long wanAfter = txBytes(local, wan1) + txBytes(local, wan2);
            assertThat(result.receivedMbps()).as("iperf3 client -> server through the tunnel").isPositive();
            // The tunnel's own datagrams left through the WAN links: had they been routed into the
            // TUN they would have looped and nothing would have arrived.
            assertThat(wanAfter - wanBefore).as("bytes sent on the WAN links during the transfer")
                    .isGreaterThan((long) (result.receivedBitsPerSecond() * 2 / 8 * 0.9));
            assertThat(masqueraded(remote)).as("connections masqueraded by the remote portal").isPositive();
            assertThat(local.exec("ip", "-4", "rule").stdout()).contains("not from all fwmark 0xcad0 lookup 51920");
            assertThat(local.exec("ip", "-6", "rule").stdout()).contains("not from all fwmark 0xcad0 lookup 51920");

            stop(localPortal);
            stop(remotePortal);
            assertThat(hostState(local)).as("local portal's host state after braid up exits").isEqualTo(localBefore);
            assertThat(hostState(remote)).as("remote portal's host state after braid up exits").isEqualTo(remoteBefore);

            // kill -9 leaves the rules and NAT behind; the next start takes them back first.
            remotePortal = PortalPair.up(remote, remoteConf, remoteCtl);
            localPortal = PortalPair.up(local, localConf, localCtl);
            kill9(localPortal);
            kill9(remotePortal);
            assertThat(hostState(local)).isNotEqualTo(localBefore);
            assertThat(hostState(remote)).isNotEqualTo(remoteBefore);
            remotePortal = PortalPair.up(remote, remoteConf, remoteCtl);
            localPortal = PortalPair.up(local, localConf, localCtl);
            assertThat(localPortal.stdout()).contains("left by an earlier run, undid: ip -4 rule del not fwmark 0xcad0 table 51920");
            assertThat(patientPing(client, server4)).as("client pings the server after the restart" + logs(localPortal, remotePortal)).isPositive();
            stop(localPortal);
            stop(remotePortal);
            assertThat(hostState(local)).as("local portal's host state after kill -9 and restart").isEqualTo(localBefore);
            assertThat(hostState(remote)).as("remote portal's host state after kill -9 and restart").isEqualTo(remoteBefore);
        }
    }

    /**
     * Seed 003 §3.3: the client holds the remote portal's public address R. The remote portal
     * lends R (LendAddress): everything for R goes through the tunnel, except braid's own port
     * and SSH. The local portal routes R to its LAN for tunnelled packets only (a PostUp route
     * in the policy table), while its own marked datagrams to R still leave through the WAN.
     */
    @Test
    void clientHoldsTheRemotePortalsAddress() throws IOException {
        NetnsRequirement.assume("lent address test", "ping", "iperf3");
        try (Testbed bed = Testbed.create("itlend")) {
            Seed net = Seed.build(bed, 1);
            Host client = net.client();
            Host local = net.local();
            Host remote = net.remote();
            Host server = net.server();
            Link lan = net.lan();
            Link uplink = net.uplink();
            Link serverLink = net.serverLink();
            String lent = uplink.v4(remote).getHostAddress();
            String lanDevice = lan.device(local);
            client.run("ip", "-4", "addr", "add", lent + "/32", "dev", lan.device(client));
            client.run("ip", "-4", "route", "add", "default", "via", lan.v4(local).getHostAddress(), "src", lent);

            KeyPair localKey = KeyPair.generate();
            KeyPair remoteKey = KeyPair.generate();
            Path localConf = dir.resolve("local.conf");
            Path remoteConf = dir.resolve("remote.conf");
            Files.writeString(localConf, """
                    [Interface]
                    Name = braid0
                    PrivateKey = %s
                    Address = %s/24
                    Forward = on
                    PostUp = ip -4 route add %s/32 dev %s table 51920
                    PostDown = ip -4 route del %s/32 dev %s table 51920

                    [Peer]
                    PublicKey = %s
                    Endpoint = %s:51820
                    AllowedIPs = 0.0.0.0/0
                    """.formatted(b64(localKey.privateKey()), LOCAL_TUN, lent, lanDevice, lent, lanDevice,
                    b64(remoteKey.publicKey()), lent));
            Files.writeString(remoteConf, """
                    [Interface]
                    Name = braid0
                    PrivateKey = %s
                    Address = %s/24
                    ListenPort = 51820
                    LendAddress = %s

                    [Peer]
                    PublicKey = %s
                    AllowedIPs = %s/32, %s/32
                    """.formatted(b64(remoteKey.privateKey()), REMOTE_TUN, lent, b64(localKey.publicKey()), LOCAL_TUN, lent));
            String localBefore = hostState(local);
            String remoteBefore = hostState(remote);

            Spawned remotePortal = PortalPair.up(remote, remoteConf, dir.resolve("ctl-remote"));
            Spawned localPortal = PortalPair.up(local, localConf, dir.resolve("ctl-local"));
            String server4 = serverLink.v4(server).getHostAddress();
            if (patientPing(client, server4) == 0) {
                throw new AssertionError("client (holding " + lent + ") cannot ping the server" + logs(localPortal, remotePortal)
                        + diagnostics(local, dir.resolve("ctl-local")) + diagnostics(remote, dir.resolve("ctl-remote")));
            }

            // The server reaches R and finds the client there ...
            try (Iperf3.Server onClient = Iperf3.server(client, uplink.v4(remote))) {
                assertThat(Iperf3.client(server, onClient).seconds(1).run().receivedMbps()).as("server -> R:5201, served by the client")
                        .isPositive();
            }
            // ... except on the SSH port, which stays with the remote portal.
            try (Iperf3.Server onRemote = Iperf3.server(remote, uplink.v4(remote), 22)) {
                assertThat(Iperf3.client(server, onRemote).port(22).seconds(1).run().receivedMbps())
                        .as("server -> R:22, served by the remote portal itself").isPositive();
            }

            stop(localPortal);
            stop(remotePortal);
            assertThat(hostState(local)).as("local portal's host state after braid up exits").isEqualTo(localBefore);
            assertThat(hostState(remote)).as("remote portal's host state after braid up exits").isEqualTo(remoteBefore);
        }
    }

    /**
     * Seed 003's test structure: client — local portal — N WAN links — "internet" — remote portal
     * (one interface) — and a server on the internet side. Each WAN gets a default route of its own
     * (metric 100, 200, ...), as DHCP would leave them; the client's route is the test's to set.
     */
    private record Seed(Host client, Host local, Host inet, Host remote, Host server, Link lan, List<Link> wans,
                        Link uplink, Link serverLink) {
        static Seed build(Testbed bed, int wanCount) {
            Host client = bed.host("client");
            Host local = bed.host("local");
            Host inet = bed.host("inet").router();
            Host remote = bed.host("remote");
            Host server = bed.host("server");
            Link lan = bed.link(client, local);
            List<Link> wans = new ArrayList<>();
            for (int i = 0; i < wanCount; i++) {
                Link wan = bed.link(local, inet);
                String metric = Integer.toString(100 * (i + 1));
                local.run("ip", "-4", "route", "add", "default", "via", wan.v4(inet).getHostAddress(), "dev", wan.device(local), "metric", metric);
                local.run("ip", "-6", "route", "add", "default", "via", wan.v6(inet).getHostAddress(), "dev", wan.device(local), "metric", metric);
                wans.add(wan);
            }
            Link uplink = bed.link(remote, inet);
            Link serverLink = bed.link(server, inet);
            remote.defaultRoute(uplink);
            server.defaultRoute(serverLink);
            return new Seed(client, local, inet, remote, server, lan, List.copyOf(wans), uplink, serverLink);
        }
    }

    private static String diagnostics(Host h, Path ctl) {
        StringBuilder b = new StringBuilder("\n=== " + h.name() + "\n" + hostState(h));
        try {
            b.append(PortalPair.show(h, ctl));
        } catch (RuntimeException e) {
            b.append(e.getMessage());
        }
        return b.toString();
    }

    /** What braid may change: rules, every routing table, nftables and the sysctls it sets. */
    private static String hostState(Host h) {
        StringBuilder b = new StringBuilder();
        for (String[] command : new String[][] {
                {"ip", "-4", "rule"}, {"ip", "-6", "rule"}, {"ip", "-4", "route", "show", "table", "all"},
                {"ip", "-6", "route", "show", "table", "all"}, {"nft", "list", "ruleset"},
                {"sysctl", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv4.conf.all.src_valid_mark"}}) {
            ExecResult r = h.exec(command);
            b.append("$ ").append(String.join(" ", command)).append('\n').append(r.stdout()).append(r.stderr());
        }
        return b.toString();
    }

    private static int patientPing(Host from, String to) {
        ExecResult r = from.exec(Duration.ofSeconds(25), "ping", to.contains(":") ? "-6" : "-4", "-n", "-c", "3", "-i", "0.3", "-w", "15", to);
        return PingResult.parse(r.stdout()).received();
    }

    private static long txBytes(Host h, Link link) {
        String text = h.run("cat", "/sys/class/net/" + link.device(h) + "/statistics/tx_bytes").stdout().strip();
        return Long.parseLong(text);
    }

    private static long masqueraded(Host remote) {
        Matcher m = MASQUERADED.matcher(remote.run("nft", "list", "table", "inet", "braid_braid0").stdout());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void stop(Spawned portal) {
        portal.stop(Duration.ofSeconds(5));
        // 143: the JVM's status after SIGTERM once its shutdown hooks (which take everything down) ran.
        assertThat(portal.waitFor(Duration.ofSeconds(5))).as("exit status of braid up in " + portal.host().name()).isIn(0, 143);
    }

    private static void kill9(Spawned portal) {
        portal.handle().destroyForcibly();
        portal.waitFor(Duration.ofSeconds(5));
    }

    private static String logs(Spawned... portals) {
        StringBuilder b = new StringBuilder();
        for (Spawned p : portals) b.append("\n--- braid up in ").append(p.host().name()).append('\n').append(p.stdout()).append(p.stderr());
        return b.toString();
    }

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }
}
