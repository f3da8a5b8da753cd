package net.braid.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import net.braid.config.InvalidValueException;
import net.braid.config.X25519Key;
import net.braid.crypto.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pubkey", mixinStandardHelpOptions = true,
        description = "Read a private key (base64) on standard input, print its public key (like wg pubkey).")
final class PubKeyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        if (line == null || line.isBlank()) throw new UserError("pubkey: expected a base64 private key on standard input", 2);
        X25519Key key;
        try {
            key = X25519Key.fromBase64(line.strip());
        } catch (InvalidValueException e) {
            throw new UserError("pubkey: invalid private key: " + e.getMessage(), 2);
        }
        spec.commandLine().getOut().println(KeyPair.fromPrivate(key.bytes()).publicKeyBase64());
        return 0;
    }
}
