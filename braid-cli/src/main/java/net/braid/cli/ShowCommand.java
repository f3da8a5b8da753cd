package net.braid.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import net.braid.cli.control.ControlClient;
import net.braid.cli.control.ControlServer;
import net.braid.cli.control.ControlStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show running tunnels: peers, endpoints, latest handshake, bytes each way and dropped packets.")
final class ShowCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "interface name (default: all running)")
    String name;

    @Option(names = "--raw", description = "print the control socket's key=value lines, for scripts")
    boolean raw;

    @Option(names = "--control-dir", paramLabel = "DIR", description = "where control sockets live (default: ${DEFAULT-VALUE})")
    Path controlDir = ControlServer.DEFAULT_DIR;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> sockets;
        if (name != null) {
            Path p = ControlServer.socketPath(controlDir, name);
            if (!Files.exists(p)) throw new UserError("show: no running tunnel named " + name + " (no control socket " + p + ")");
            sockets = List.of(p);
        } else {
            if (!Files.isDirectory(controlDir)) {
                out.println("no tunnels running");
                return 0;
            }
            try (Stream<Path> s = Files.list(controlDir)) {
                sockets = s.filter(p -> p.toString().endsWith(".sock")).sorted().toList();
            }
            if (sockets.isEmpty()) {
                out.println("no tunnels running");
                return 0;
            }
        }
        boolean first = true;
        for (Path p : sockets) {
            String text;
            try {
                text = ControlClient.fetch(p);
            } catch (IOException e) {
                throw new UserError("show: cannot read " + p + ": " + e.getMessage() + " (is braid up still running? reading needs root)");
            }
            if (!first) out.println();
            out.print(raw ? text : ControlStatus.render(text, Instant.now()));
            first = false;
        }
        return 0;
    }
}
