package net.braid.cli;

import java.util.ArrayList;
import java.util.List;

/** The command line that starts braid again in a child process: this JVM, this class path. */
final class BraidProcess {
    private BraidProcess() {}

    static List<String> command(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=4", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), Braid.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
