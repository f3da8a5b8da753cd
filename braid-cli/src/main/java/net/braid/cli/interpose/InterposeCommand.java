package net.braid.cli.interpose;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.braid.cli.UserError;
import net.braid.cli.control.ControlServer;
import net.braid.interpose.FlowInfo;
import net.braid.interpose.InterposeConfig;
import net.braid.interpose.InterposeEngine;
import net.braid.linux.LinkConfig;
import net.braid.linux.Tun;
import net.braid.linux.host.HostChanges;
import net.braid.masque.udp.ProxyEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code braid interpose FILE}: a TUN whose TCP connections and UDP flows are terminated in
 * userspace and carried through a MASQUE proxy, CONNECT per TCP connection and CONNECT-UDP per
 * UDP flow, so neither this host nor the proxy needs CONNECT-IP (seed 000's PseudoTCP, done with
 * retransmission, flow control, half-close and IPv6).
 */
@Command(name = "interpose", mixinStandardHelpOptions = true,
        description = {"Carry a TUN's TCP and UDP flows through a MASQUE proxy, one CONNECT (TCP) or CONNECT-UDP (UDP)",
                "request per flow: any app's traffic rides any MASQUE proxy, no CONNECT-IP needed. Runs until SIGINT or SIGTERM."})
public final class InterposeCommand implements Callable<Integer> {
    static final Path DEFAULT_STATE_DIR = ControlServer.DEFAULT_DIR.resolve("interpose");

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "configuration file ([Interpose] Proxy, Token, PinnedKey, Address, Route, ...)")
    Path file;

    @Option(names = "--control-dir", paramLabel = "DIR",
            description = {"where braid keeps the journal of its host changes and the control socket TUN.sock",
                    "(braid show --control-dir DIR; default: ${DEFAULT-VALUE})"})
    Path controlDir = DEFAULT_STATE_DIR;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(file)) throw new UserError("interpose: configuration file " + file + " does not exist", UserError.CONFIG);
        InterposeSettings s = InterposeFile.read(file);
        PrintWriter out = spec.commandLine().getOut();
        InetAddress proxyAddress;
        try {
            proxyAddress = InetAddress.getByName(s.proxy().host());
        } catch (UnknownHostException e) {
            throw new UserError("interpose: cannot resolve proxy " + s.proxy().host());
        }
        ProxyEndpoint endpoint = ProxyEndpoint.of(new InetSocketAddress(proxyAddress, s.proxy().port()), s.serverName(),
                s.trust(), s.token());
        Path journal = controlDir.resolve(s.tun() + ".host");
        Files.createDirectories(controlDir);
        for (String line : HostChanges.recover(journal)) out.println("braid: note: left by an earlier run, " + line);
        Tun tun;
        try {
            tun = Tun.open(s.tun(), s.mtu());
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("interpose: cannot create TUN " + s.tun() + ": " + e.getMessage());
        }
        HostChanges host;
        try {
            host = HostChanges.apply(InterposeRouting.plan(tun.name(), s.addresses(), s.routes(), proxyAddress, s.table()), journal);
            LinkConfig.inCurrentNamespace().linkUp(tun.name());
        } catch (IOException e) {
            tun.close();
            throw new UserError("interpose: cannot route into " + s.tun() + ": " + e.getMessage());
        }
        var dialer = new MasqueUpstreamDialer(endpoint, s.transport(), out);
        dialer.client(); // connect now, so the first flow does not wait for the handshake
        var base = InterposeConfig.defaults(s.mtu());
        var config = new InterposeConfig(base.tcp(), s.maxTcpFlows(), s.maxUdpFlows(),
                Duration.ofSeconds(s.udpIdleSeconds()).toNanos(), base.udpQueue());
        var engine = new InterposeEngine(tun, dialer, config, new SecureRandom());
        engine.start();
        String proxyText = endpoint.address().getAddress().getHostAddress() + ":" + endpoint.address().getPort();
        ControlServer control;
        try {
            control = ControlServer.start(controlDir, tun.name(), () -> InterposeStatusLines.of(tun.name(), proxyText,
                    dialer.state(), engine.counters(), engine.flows()));
        } catch (IOException e) {
            engine.close();
            dialer.close();
            host.close();
            tun.close();
            throw new UserError("interpose: cannot open the control socket in " + controlDir + ": " + e.getMessage());
        }
        out.println("braid: interposing TUN " + tun.name() + " (routes " + s.routes() + ") through MASQUE proxy "
                + proxyText + ", control socket " + control.path());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            List<FlowInfo> flows = engine.flows();
            control.close();
            engine.close();
            dialer.close();
            host.close();
            tun.close();
            out.println("braid: interpose stopped (" + flows.size() + " flows open, counters " + engine.counters() + ")");
            out.flush();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
