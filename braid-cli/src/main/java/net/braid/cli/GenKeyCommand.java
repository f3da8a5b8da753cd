package net.braid.cli;

import java.util.concurrent.Callable;
import net.braid.crypto.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "genkey", mixinStandardHelpOptions = true,
        description = "Print a new X25519 private key in base64 (like wg genkey).")
final class GenKeyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(KeyPair.generate().privateKeyBase64());
        return 0;
    }
}
