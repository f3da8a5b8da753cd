package net.braid.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.braid.cli.control.ControlServer;
import net.braid.config.ConfigLoader;
import net.braid.config.TunnelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Bring a tunnel up from a configuration file and run it in the foreground until SIGINT or SIGTERM,",
                "then remove its TUN. The TUN is named after the file (wg0.conf -> wg0) unless [Interface] Name says otherwise.",
                "Needs CAP_NET_ADMIN (root) and /dev/net/tun."})
final class UpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "configuration file in WireGuard's INI style")
    Path file;

    @Option(names = "--control-dir", paramLabel = "DIR", description = "where the control socket lives (default: ${DEFAULT-VALUE})")
    Path controlDir = ControlServer.DEFAULT_DIR;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(file)) throw new UserError("up: configuration file " + file + " does not exist", UserError.CONFIG);
        TunnelConfig cfg = ConfigLoader.load(file);
        var unsupported = Portal.unsupported(cfg);
        if (!unsupported.isEmpty()) {
            throw new UserError("configuration has errors:\n" + String.join("\n", unsupported).indent(2).stripTrailing(),
                    UserError.CONFIG);
        }
        PrintWriter out = spec.commandLine().getOut();
        Portal portal = Portal.start(cfg, controlDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            portal.close();
            out.println("braid: " + portal.name() + " down");
            out.flush();
            stopped.countDown();
        }));
        for (String note : portal.notes()) out.println("braid: note: " + note);
        out.println("braid: " + portal.name() + " up, UDP port " + portal.tunnel().listenPort()
                + ", public key " + portal.tunnel().publicKeyBase64());
        out.flush();
        stopped.await();
        return 0;
    }
}
