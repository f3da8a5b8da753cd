package net.braid.linux;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs iproute2's {@code ip}, optionally as {@code ip -n NS ...}; failures carry what ip printed. */
final class IpCommand {
    private IpCommand() {}

    private static final String IP = HostCommand.locate("ip");

    /** Runs {@code ip [-n netns] args...}; returns its output. */
    static String run(String netns, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(IP);
        if (netns != null) {
            command.add("-n");
            command.add(netns);
        }
        command.addAll(List.of(args));
        return HostCommand.run(command);
    }
}
