package net.braid.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.braid.cli.control.ControlServer;
import net.braid.cli.control.ControlStatus;
import net.braid.config.Bind;
import net.braid.config.HostSetup;
import net.braid.config.IpPrefix;
import net.braid.config.PathSection;
import net.braid.config.PeerSection;
import net.braid.config.Transport;
import net.braid.config.TunnelConfig;
import net.braid.crypto.KeyPair;
import net.braid.crypto.CipherSuite;
import net.braid.linux.CpuFeatures;
import net.braid.linux.LinkConfig;
import net.braid.linux.LinuxUdpTransport;
import net.braid.linux.Offload;
import net.braid.linux.Tun;
import net.braid.linux.host.DeviceFactsReader;
import net.braid.linux.host.HostChanges;
import net.braid.linux.host.MultihomeAdvice;
import net.braid.linux.host.HostPlan;
import net.braid.tunnel.PathSpec;
import net.braid.tunnel.PeerSpec;
import net.braid.tunnel.Tunnel;

/**
 * A running {@code braid up}: the TUN with its addresses, the host changes around it (routes,
 * policy rules, forwarding, NAT, hooks), the tunnel engine and the control socket. Closing it
 * removes the TUN and takes every host change back.
 */
final class Portal implements AutoCloseable {
    private final Tun tun;
    private final Tunnel tunnel;
    private final ControlServer control;
    private final HostChanges host;
    private final HostSetup.Hooks hooks;
    private final List<String> notes;

    private Portal(Tun tun, Tunnel tunnel, ControlServer control, HostChanges host, HostSetup.Hooks hooks, List<String> notes) {
        this.tun = tun;
        this.tunnel = tunnel;
        this.control = control;
        this.host = host;
        this.hooks = hooks;
        this.notes = notes;
    }

    /** Where the inverse of each host change is kept until it is undone (see {@link HostChanges}). */
    static Path journal(Path controlDir, String name) {
        return controlDir.resolve(name + ".host");
    }

    static Portal start(TunnelConfig cfg, Path controlDir) throws IOException {
        var iface = cfg.iface();
        List<String> notes = new ArrayList<>();
        Path journal = journal(controlDir, iface.name());
        for (String line : HostChanges.recover(journal)) notes.add("left by an earlier run, " + line);
        notes.addAll(multihomeNotes(cfg));
        HostPlan plan = HostPlan.of(iface.name(), iface.host(), iface.addresses(),
                cfg.peers().stream().flatMap(p -> p.allowedIps().stream()).toList(), iface.listenPort().orElse(0));
        ShellHooks.run("PreUp", iface.host().hooks().preUp(), iface.name());
        Tun tun = Tun.open(iface.name(), iface.mtu(), Offload.TCP);
        Tunnel tunnel = null;
        HostChanges host = null;
        try {
            LinkConfig link = LinkConfig.inCurrentNamespace();
            for (IpPrefix a : iface.addresses()) link.addAddress(tun.name(), a.address(), a.prefixLength());
            host = HostChanges.apply(plan, journal);
            List<PeerSpec> peers = cfg.peers().stream().map(p -> new PeerSpec(p.publicKey().bytes(),
                    p.endpoint().map(e -> e.host()).orElse(null), p.endpoint().map(e -> e.port()).orElse(0),
                    p.allowedIps(), cfg.keepaliveSeconds(p), paths(p))).toList();
            tunnel = new Tunnel(tun, KeyPair.fromPrivate(iface.privateKey().bytes()), iface.listenPort().orElse(0), peers,
                    LinuxUdpTransport.binder(plan.socketMark()),
                    CpuFeatures.aesGcmAccelerated() ? Tunnel.ALL_SUITES : CipherSuite.CHACHA20_POLY1305.bit());
            tunnel.start();
            Tunnel t = tunnel;
            ControlServer control = ControlServer.start(controlDir, tun.name(), () -> ControlStatus.of(tun.name(), t));
            Portal portal = new Portal(tun, tunnel, control, host, iface.host().hooks(), notes);
            try {
                ShellHooks.run("PostUp", iface.host().hooks().postUp(), iface.name());
            } catch (IOException e) {
                portal.close();
                throw e;
            }
            return portal;
        } catch (IOException | RuntimeException e) {
            if (tunnel != null) tunnel.close();
            tun.close();
            if (host != null) host.close();
            throw e;
        }
    }

    /** Seed 003's multi-homing pitfalls on the devices paths are bound to, with their fixes. */
    private static List<String> multihomeNotes(TunnelConfig cfg) {
        List<MultihomeAdvice.BoundPath> bound = new ArrayList<>();
        for (int i = 0; i < cfg.peers().size(); i++) {
            List<PathSection> paths = cfg.peers().get(i).declaredPaths();
            for (int j = 0; j < paths.size(); j++) {
                if (paths.get(j).bind().orElse(null) instanceof Bind.Device d) {
                    IpPrefix peer = paths.get(j).endpoint().map(e -> literal(e.host())).orElse(null);
                    bound.add(new MultihomeAdvice.BoundPath(TunnelConfig.peerLabel(i, cfg.peers().size()) + ".Path[" + (j + 1) + "]",
                            d.name(), peer));
                }
            }
        }
        List<MultihomeAdvice.DeviceFacts> devices = bound.stream().map(MultihomeAdvice.BoundPath::device).distinct()
                .map(DeviceFactsReader::read).toList();
        return MultihomeAdvice.notes(bound, devices);
    }

    private static IpPrefix literal(String host) {
        try {
            return IpPrefix.parse(host);
        } catch (IllegalArgumentException e) {
            return null; // a name: resolved later, no on-link advice
        }
    }

    /** The peer's UDP paths for the engine; TCP paths were refused before anything started. */
    private static List<PathSpec> paths(PeerSection p) {
        return p.paths().stream().map(ps -> new PathSpec(ps.bind().orElse(null),
                ps.endpoint().map(e -> e.host()).orElse(null), ps.endpoint().map(e -> e.port()).orElse(0),
                ps.metric())).toList();
    }

    /**
     * TCP paths are part of the multipath work still in progress: refuse them by name before
     * anything starts, rather than run without them.
     */
    static List<String> unsupported(TunnelConfig cfg) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < cfg.peers().size(); i++) {
            PeerSection p = cfg.peers().get(i);
            String peer = TunnelConfig.peerLabel(i, cfg.peers().size());
            List<PathSection> paths = p.paths();
            for (int j = 0; j < paths.size(); j++) {
                if (paths.get(j).transport() == Transport.TCP) {
                    problems.add(peer + ".Path[" + (j + 1) + "].Transport invalid: tcp paths are not supported yet (udp only); given tcp");
                }
            }
        }
        return problems;
    }

    String name() { return tun.name(); }
    Tunnel tunnel() { return tunnel; }
    List<String> notes() { return notes; }
    Path controlSocket() { return control.path(); }

    @Override
    public void close() {
        ShellHooks.runQuietly("PreDown", hooks.preDown(), tun.name());
        control.close();
        tunnel.close(); // closes the TUN: the kernel removes the interface, its addresses and routes
        host.close();
        ShellHooks.runQuietly("PostDown", hooks.postDown(), tun.name());
    }
}
