package net.braid.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.braid.cli.control.ControlServer;
import net.braid.cli.ipegress.ConnectIpEgress;
import net.braid.cli.proxy.ProxyFile;
import net.braid.cli.proxy.ProxyServer;
import net.braid.cli.proxy.ProxySettings;
import net.braid.cli.proxy.ProxyStatusLines;
import net.braid.config.ConfigLoader;
import net.braid.masque.h3.RequestHandler;
import net.braid.masque.ip.ConnectIpHandler;
import net.braid.masque.udp.AccessTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Run a MASQUE proxy over HTTP/3 in the foreground until SIGINT or SIGTERM:",
                "CONNECT-UDP (RFC 9298) and CONNECT to TCP (RFC 9114 section 4.4), bearer tokens required,",
                "targets in private, loopback and link-local ranges refused unless AllowTarget names them;",
                "with a [ConnectIp] section also CONNECT-IP (RFC 9484) through a TUN, forwarded and masqueraded.",
                "Counters: the control socket DIR/NAME.sock (NAME = the file's name without .conf).",
                "Configuration keys: docs/proxy.md."})
final class ProxyCommand implements Callable<Integer> {
    static final Path DEFAULT_CONTROL_DIR = ControlServer.DEFAULT_DIR.resolve("proxy");

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "configuration file ([Proxy] Listen, Token, ...)")
    Path file;

    @Option(names = "--control-dir", paramLabel = "DIR", description = "where the control socket lives (default: ${DEFAULT-VALUE})")
    Path controlDir = DEFAULT_CONTROL_DIR;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(file)) throw new UserError("proxy: configuration file " + file + " does not exist", UserError.CONFIG);
        ProxySettings settings = ProxyFile.read(file);
        String name = ConfigLoader.defaultName(file);
        PrintWriter out = spec.commandLine().getOut();
        ConnectIp connectIp = connectIp(settings, name, out);
        ProxyServer proxy;
        try {
            proxy = start(settings, connectIp == null ? null : connectIp.handler());
        } catch (Exception e) {
            if (connectIp != null) connectIp.egress().close();
            throw e;
        }
        ControlServer control;
        try {
            control = ControlServer.start(controlDir, name, () -> ProxyStatusLines.of(name, proxy)
                    + (connectIp == null ? "" : connectIp.egress().statusLines(connectIp.handler())));
        } catch (IOException e) {
            proxy.close();
            if (connectIp != null) connectIp.egress().close();
            throw new UserError("proxy: cannot open the control socket in " + controlDir + ": " + e.getMessage()
                    + " (choose another with --control-dir)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            control.close();
            proxy.close();
            if (connectIp != null) connectIp.egress().close(); // after the server: no session writes into a closed TUN
            out.println("braid: proxy " + name + " stopped");
            out.flush();
            stopped.countDown();
        }));
        if (proxy.selfSigned()) out.println("braid: self-signed certificate; clients pin its key with --pin " + proxy.pin());
        out.println("braid: proxy " + name + " listening on UDP " + address(proxy.localAddress())
                + (proxy.tcpAddress() == null ? "" : " and TCP " + address(proxy.tcpAddress()))
                + " (" + (proxy.tcpAddress() == null ? "HTTP/3" : "HTTP/3, HTTP/2") + ": CONNECT, CONNECT-UDP"
                + (connectIp == null ? "" : ", CONNECT-IP through " + connectIp.egress().tunName())
                + "), control socket " + control.path());
        out.flush();
        stopped.await();
        return 0;
    }

    /** The CONNECT-IP egress (RFC 9484) and its handler. */
    private record ConnectIp(ConnectIpEgress egress, ConnectIpHandler handler) {}

    /**
     * What serves requests other than CONNECT and CONNECT-UDP: with a [ConnectIp] section, CONNECT-IP
     * through a TUN of its own; without one such requests are refused.
     */
    private ConnectIp connectIp(ProxySettings settings, String name, PrintWriter out) throws UserError {
        if (settings.connectIp() == null) return null;
        List<String> notes = new ArrayList<>();
        ConnectIpEgress egress;
        try {
            egress = ConnectIpEgress.open(settings.connectIp(), controlDir.resolve(name + ".connect-ip.host"), notes);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("proxy: cannot set up the CONNECT-IP egress on TUN " + settings.connectIp().tun() + ": " + e.getMessage());
        } finally {
            for (String n : notes) out.println("braid: note: " + n);
        }
        var handler = new ConnectIpHandler(egress.config(AccessTokens.of(settings.tokens())), egress);
        egress.start(handler);
        return new ConnectIp(egress, handler);
    }

    private static ProxyServer start(ProxySettings settings, RequestHandler others) throws Exception {
        try {
            return ProxyServer.start(settings, others, settings.listenTcp());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Netty's native bind error ("bind(..) failed with error(-98): Address already in use") arrives unchecked.
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UserError("proxy: cannot listen on UDP " + settings.listen().getAddress().getHostAddress() + ":"
                    + settings.listen().getPort() + (settings.listenTcp() == null ? "" : " or TCP " + settings.listenTcp().getAddress().getHostAddress()
                    + ":" + settings.listenTcp().getPort()) + ": " + reason.replaceFirst("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", ""));
        }
    }

    private static String address(java.net.InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
