package net.braid.cli.vpn;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.braid.cli.UserError;
import net.braid.cli.control.ControlServer;
import net.braid.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "vpn", mixinStandardHelpOptions = true,
        description = {"Run a VPN client through a MASQUE proxy (CONNECT-IP, RFC 9484) in the foreground until SIGINT or SIGTERM:",
                "a TUN with the addresses the proxy assigns and the routes it advertises; reconnects by itself.",
                "Configuration keys and what is routed: docs/vpn.md."})
public final class VpnCommand implements Callable<Integer> {
    static final Path DEFAULT_STATE_DIR = ControlServer.DEFAULT_DIR.resolve("vpn");

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "configuration file ([Vpn] Proxy, Token, PinnedKey, ...)")
    Path file;

    @Option(names = "--control-dir", paramLabel = "DIR",
            description = "where braid keeps the journal of its host changes (default: ${DEFAULT-VALUE})")
    Path controlDir = DEFAULT_STATE_DIR;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(file)) throw new UserError("vpn: configuration file " + file + " does not exist", UserError.CONFIG);
        VpnSettings settings = VpnFile.read(file);
        String name = ConfigLoader.defaultName(file);
        PrintWriter out = spec.commandLine().getOut();
        List<String> notes = new ArrayList<>();
        VpnTunnel tunnel;
        try {
            tunnel = VpnTunnel.open(settings, name, controlDir.resolve(name + ".host"), out, notes);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new UserError("vpn: cannot create TUN " + settings.tun() + ": " + e.getMessage());
        }
        for (String n : notes) out.println("braid: note: " + n);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            tunnel.close();
            out.println("braid: vpn " + name + " stopped (" + tunnel.summary() + ")");
            out.flush();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            tunnel.run(); // returns once the hook closes the tunnel
            return 0;
        } catch (VpnTunnel.Unrecoverable r) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook closes the tunnel
            }
            tunnel.close();
            throw new UserError("vpn: " + r.getMessage());
        }
    }
}
