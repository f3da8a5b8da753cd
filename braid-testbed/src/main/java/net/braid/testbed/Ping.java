package net.braid.testbed;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** Runs {@code ping -c N -i 0.2 -W 1} from a test host, over IPv4 or IPv6 as the address says. */
public final class Ping {
    private Ping() {}

    public static PingResult run(Host from, InetAddress to) {
        return run(from, to, 3);
    }

    /** Pings and returns the statistics, also when replies were lost; throws if ping itself failed. */
    public static PingResult run(Host from, InetAddress to, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        if (!to.isLoopbackAddress()) {
            TestRanges.require(to);
        }
        Tools.require("ping");
        List<String> command = List.of(Tools.path("ping"), to instanceof Inet6Address ? "-6" : "-4", "-n",
                "-c", Integer.toString(count), "-i", "0.2", "-W", "1", to.getHostAddress());
        ExecResult result = from.exec(Duration.ofMillis(5_000 + 300L * count), command);
        // iputils exits 1 when replies were missing (still a result) and 2 on errors such as no route.
        if (result.exitCode() != 0 && result.exitCode() != 1) {
            throw new CommandFailedException(result);
        }
        return PingResult.parse(result.stdout());
    }
}
