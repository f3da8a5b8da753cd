package net.braid.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import net.braid.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code braid} command. */
@Command(name = "braid",
        mixinStandardHelpOptions = true,
        versionProvider = Braid.Version.class,
        description = "Multipath layer-3 tunnel and MASQUE proxy.",
        subcommands = {UpCommand.class, ShowCommand.class, GenKeyCommand.class, PubKeyCommand.class,
                DemoCommand.class, ForwardCommand.class, ProxyCommand.class, net.braid.cli.vpn.VpnCommand.class, net.braid.cli.interpose.InterposeCommand.class,
                CommandLine.HelpCommand.class})
public final class Braid implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(args, out, err);
        // Auto-flush covers println only; what a command print()ed must not die with System.exit.
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line; errors the user can fix print as one clear message, never a stack trace. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Braid());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            switch (e) {
                case UserError u -> {
                    err.println("braid: " + u.getMessage());
                    return u.exitCode();
                }
                case ConfigException c -> {
                    err.println("braid: configuration has errors:");
                    err.println(c.getMessage().indent(2).stripTrailing());
                    return UserError.CONFIG;
                }
                case IOException io -> {
                    err.println("braid: " + io.getMessage());
                    return UserError.RUNTIME;
                }
                default -> {
                    err.println("braid: internal error: " + e);
                    e.printStackTrace(err);
                    return 70; // EX_SOFTWARE: a bug, not the user's fault
                }
            }
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Braid.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            }
            return new String[] {"braid " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ")"};
        }
    }
}
