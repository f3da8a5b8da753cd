package net.braid.cli.ipegress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import net.braid.config.HostSetup;
import net.braid.config.IpPrefix;
import net.braid.linux.LinkConfig;
import net.braid.linux.Offload;
import net.braid.linux.Tun;
import net.braid.linux.host.HostChanges;
import net.braid.linux.host.HostPlan;
import net.braid.masque.ip.AddressPool;
import net.braid.masque.ip.ConnectIpConfig;
import net.braid.masque.ip.ConnectIpHandler;
import net.braid.masque.ip.IpDropReason;
import net.braid.masque.ip.IpEgress;
import net.braid.masque.ip.IpProxyCounters;
import net.braid.masque.ip.ReturnPath;
import net.braid.masque.udp.AccessTokens;
import net.braid.masque.udp.TargetPolicy;

/**
 * The proxy's CONNECT-IP egress on Linux: a TUN holding the proxy's own address of each pool
 * prefix (so the kernel routes the pool into it), IP forwarding and, by default, nftables
 * masquerade of everything that entered through it — the host changes {@code braid up} makes,
 * journalled and undone the same way.
 *
 * <pre>
 * event loop ─ write ─▶ PacketHandoff (bounded, drops counted) ─ writer thread ─▶ TUN ─▶ kernel: forward, NAT
 * kernel ─▶ TUN ─ DeviceReader thread ─▶ ReturnPath.deliver ─▶ the session owning the destination
 * </pre>
 */
public final class ConnectIpEgress implements IpEgress, AutoCloseable {
    private static final int QUEUE = 1024;

    private final ConnectIpSettings settings;
    private final Tun tun;
    private final HostChanges host;
    private final PacketHandoff handoff;
    private final List<IpPrefix> ownAddresses;
    private DeviceReader reader;
    private ReturnPath returnPath;

    private ConnectIpEgress(ConnectIpSettings settings, Tun tun, HostChanges host, List<IpPrefix> ownAddresses) {
        this.settings = settings;
        this.tun = tun;
        this.host = host;
        this.ownAddresses = ownAddresses;
        this.handoff = new PacketHandoff(tun, QUEUE, settings.mtu(), "connect-ip-egress-" + tun.name());
    }

    /**
     * Opens the TUN and changes the host; undoes first what an earlier run left in {@code journal}
     * (one line each into {@code notes}).
     */
    public static ConnectIpEgress open(ConnectIpSettings settings, Path journal, List<String> notes) throws IOException {
        for (String line : HostChanges.recover(journal)) notes.add("left by an earlier run, " + line);
        // The proxy's own addresses are read before the TUN adds its gateway ones (which lie in the pool, denied anyway).
        List<IpPrefix> own = interfaceAddresses();
        AddressPool pool = new AddressPool(settings.pool());
        List<IpPrefix> gateways = new ArrayList<>();
        for (IpPrefix p : pool.prefixes()) {
            int version = p.isIpv6() ? 6 : 4;
            pool.gateway(version).filter(p::contains).ifPresent(g -> gateways.add(IpPrefix.of(g, p.prefixLength())));
        }
        Tun tun = Tun.open(settings.tun(), settings.mtu(), Offload.TCP);
        HostChanges host = null;
        try {
            LinkConfig link = LinkConfig.inCurrentNamespace();
            for (IpPrefix g : gateways) link.addAddress(tun.name(), g.address(), g.prefixLength());
            HostPlan plan = HostPlan.of(tun.name(), new HostSetup(HostSetup.Table.AUTO, 0, true, settings.masquerade(),
                    HostSetup.Hooks.NONE), gateways, List.of(), 0);
            host = HostChanges.apply(plan, journal);
            return new ConnectIpEgress(settings, tun, host, own);
        } catch (IOException | RuntimeException e) {
            tun.close();
            if (host != null) host.close();
            throw e;
        }
    }

    /**
     * The handler's configuration: the pool, the TUN's MTU, everything reachable except the ranges
     * refused by default (less the allowed ones), the pool itself and the proxy's own addresses.
     */
    public ConnectIpConfig config(AccessTokens tokens) {
        List<IpPrefix> denied = new ArrayList<>(TargetPolicy.DENIED);
        denied.addAll(ownAddresses);
        denied = new ArrayList<>(PrefixSubtraction.minus(denied, settings.allowed()));
        denied.addAll(settings.pool());
        return ConnectIpConfig.defaults(tokens, settings.pool())
                .withReachable(List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")), denied)
                .withMtu(settings.mtu());
    }

    /** Starts reading the TUN: packets coming back go to {@code handler}'s sessions. Once. */
    public synchronized void start(ConnectIpHandler handler) {
        if (reader != null) throw new IllegalStateException("already started");
        returnPath = handler.returnPath();
        ReturnPath path = returnPath;
        reader = DeviceReader.start(tun, path::deliver, "connect-ip-return-" + tun.name());
    }

    @Override
    public boolean write(ByteBuffer packet) {
        return handoff.offer(packet);
    }

    public String tunName() {
        return tun.name();
    }

    /** {@code key=value} lines for the control socket: the handler's counters, then the TUN's. */
    public String statusLines(ConnectIpHandler handler) {
        IpProxyCounters.Snapshot c = handler.counters().snapshot();
        var b = new StringBuilder();
        line(b, "connect_ip_tun", tun.name());
        line(b, "connect_ip_sessions", c.sessions());
        line(b, "connect_ip_active_sessions", c.activeSessions());
        line(b, "connect_ip_refused", c.refused());
        line(b, "connect_ip_addresses_in_use", handler.pool().inUse());
        line(b, "connect_ip_packets_to_egress", c.packetsToEgress());
        line(b, "connect_ip_packets_to_clients", c.packetsToClients());
        line(b, "connect_ip_icmp_errors", c.icmpErrors());
        for (IpDropReason r : IpDropReason.values()) line(b, "connect_ip_dropped_" + r.name().toLowerCase(Locale.ROOT), c.dropped(r));
        line(b, "connect_ip_tun_packets_written", tun.packetsWritten());
        line(b, "connect_ip_tun_packets_read", tun.packetsRead());
        line(b, "connect_ip_tun_dropped_writes", tun.droppedWrites());
        line(b, "connect_ip_handoff_dropped_full", handoff.droppedFull());
        line(b, "connect_ip_handoff_dropped_too_large", handoff.droppedTooLarge());
        return b.toString();
    }

    private static void line(StringBuilder b, String key, Object value) {
        b.append(key).append('=').append(value).append('\n');
    }

    private static List<IpPrefix> interfaceAddresses() throws IOException {
        List<IpPrefix> own = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (!a.isLinkLocalAddress() && !a.isLoopbackAddress()) own.add(IpPrefix.host(a));
                }
            }
        } catch (SocketException e) {
            throw new IOException("cannot list this host's addresses: " + e.getMessage(), e);
        }
        return own;
    }

    /** Removes the TUN and takes back every host change. */
    @Override
    public synchronized void close() {
        tun.close(); // wakes the reader
        if (reader != null) reader.close();
        handoff.close();
        host.close();
        if (returnPath != null) returnPath.close();
    }
}
