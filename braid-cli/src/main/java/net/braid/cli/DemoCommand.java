package net.braid.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import net.braid.cli.control.ControlStatus;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Ping;
import net.braid.testbed.PingResult;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Make two network namespaces, bring a braid tunnel up between them, ping across it (IPv4 and IPv6),",
                "run a short iperf3 through it and print the results; then remove everything.",
                "Needs root, iproute2, iperf3 and ping. Touches nothing outside the namespaces it makes."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--seconds", description = "iperf3 duration per direction (default: ${DEFAULT-VALUE})")
    int seconds = 5;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        var unavailable = Testbed.available();
        if (unavailable.isPresent()) throw new UserError("demo: " + unavailable.get());
        try {
            Tools.require("ip", "iperf3", "ping");
        } catch (RuntimeException e) {
            throw new UserError("demo: " + e.getMessage());
        }
        Testbed.removeStale("demo");
        try (PortalPair pair = PortalPair.create("demo")) {
            out.printf("namespaces %s and %s joined by a veth link (%s <-> %s)%n", pair.left().namespace(),
                    pair.right().namespace(), pair.link().v4(pair.left()).getHostAddress(), pair.link().v4(pair.right()).getHostAddress());
            pair.start();
            out.printf("braid up in both; tunnel addresses %s <-> %s and %s <-> %s%n",
                    PortalPair.LEFT_V4, PortalPair.RIGHT_V4, PortalPair.LEFT_V6, PortalPair.RIGHT_V6);
            out.flush();
            boolean ok = true;
            PingResult p4 = Ping.run(pair.left(), PortalPair.addr(PortalPair.RIGHT_V4), 5);
            out.printf("ping  IPv4 %-18s %d/%d received, avg %.3f ms%n", PortalPair.RIGHT_V4, p4.received(), p4.transmitted(), p4.rttAvgMs());
            PingResult p6 = Ping.run(pair.left(), PortalPair.addr(PortalPair.RIGHT_V6), 5);
            out.printf("ping  IPv6 %-18s %d/%d received, avg %.3f ms%n", PortalPair.RIGHT_V6, p6.received(), p6.transmitted(), p6.rttAvgMs());
            ok &= p4.received() > 0 && p6.received() > 0;
            out.flush();
            try (Iperf3.Server server = Iperf3.server(pair.right(), PortalPair.addr(PortalPair.RIGHT_V4))) {
                Iperf3Result up = Iperf3.client(pair.left(), server).seconds(seconds).run();
                out.printf("iperf3 TCP left -> right through the tunnel: %.0f Mbit/s%n", up.receivedMbps());
                out.flush();
            }
            try (Iperf3.Server server = Iperf3.server(pair.right(), PortalPair.addr(PortalPair.RIGHT_V4))) {
                Iperf3Result down = Iperf3.client(pair.left(), server).seconds(seconds).reverse().run();
                out.printf("iperf3 TCP right -> left through the tunnel: %.0f Mbit/s%n", down.receivedMbps());
            }
            out.println();
            out.print(ControlStatus.render(pair.show(pair.left()), Instant.now()));
            out.println();
            pair.stop(pair.left());
            pair.stop(pair.right());
            out.println(ok ? "demo: OK" : "demo: FAILED (no ping replies)");
            return ok ? 0 : 1;
        }
    }
}
