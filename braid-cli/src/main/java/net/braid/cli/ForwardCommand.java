package net.braid.cli;

import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.braid.forward.ForwardException;
import net.braid.forward.ForwardOptions;
import net.braid.forward.ForwardUrl;
import net.braid.forward.Forwarder;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ServerTrust;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "forward", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forward TCP connections over QUIC, WebSocket or TCP, and back, until SIGINT or SIGTERM.",
                "Ends are URLs: tcp://HOST:PORT, quic://HOST:PORT, ws://HOST:PORT[/PATH], wss://HOST:PORT[/PATH]; any pairing works.",
                "A --to end may also be h3://PROXY:PORT/TARGETHOST:TARGETPORT: an HTTP/3 CONNECT through a MASQUE proxy (braid proxy).",
                "Client: braid forward --listen tcp://127.0.0.1:8080 --to quic://peer:4433 --pin PIN --token T",
                "Server: braid forward --listen quic://0.0.0.0:4433 --to tcp://127.0.0.1:5201 --self-signed peer --token T",
                "Wire format and behaviour: docs/forward.md."})
final class ForwardCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "URL", description = "where connections arrive")
    String listen;

    @Option(names = "--to", required = true, paramLabel = "URL", description = "where each connection is carried")
    String to;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "sent by a quic/ws/wss/h3 --to end (to h3 as a bearer token), required by a quic/ws/wss --listen end")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "read the token from FILE (first line), keeping it out of ps")
    Path tokenFile;

    @Option(names = "--pin", paramLabel = "SPKI", description = "trust a quic/wss/h3 server whose key has this base64 SHA-256 (repeatable)")
    List<String> pins = List.of();

    @Option(names = "--ca", paramLabel = "FILE", description = "trust quic/wss/h3 servers certified by these PEM CAs (the name is checked)")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM certificate chain of a quic/wss listener")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key of a quic/wss listener")
    Path key;

    @Option(names = "--self-signed", paramLabel = "NAME",
            description = "generate a self-signed certificate for NAME (a host name or address) and print its pin; for demos")
    String selfSigned;

    @Option(names = "--max-connections", paramLabel = "N", description = "concurrent forwarded connections (default: ${DEFAULT-VALUE})")
    int maxConnections = ForwardOptions.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "for dialling the --to end (default: ${DEFAULT-VALUE})")
    int connectTimeout = 10;

    @Option(names = "--quic-payload", paramLabel = "BYTES",
            description = "largest QUIC UDP payload, 1200..65527 (default: ${DEFAULT-VALUE}); path MTU discovery probes up to it")
    int quicPayload = 1452;

    @Option(names = "--no-pmtud", description = "send --quic-payload-sized packets from the start instead of probing up from 1200")
    boolean noPmtud;

    @Option(names = "--quic-gso", paramLabel = "N", description = "QUIC packets per sendmsg with UDP GSO, 1 = off (default: ${DEFAULT-VALUE})")
    int quicGso = 16;

    @Option(names = "--gro", description = "ask the kernel to coalesce received QUIC packets (UDP GRO); slower with Netty 4.2.18 here")
    boolean gro;

    @Option(names = "--quic-cc", paramLabel = "ALGORITHM", description = "QUIC congestion control: cubic, bbr or reno (default: ${DEFAULT-VALUE})")
    String quicCc = "cubic";

    @Option(names = "--threads", paramLabel = "N", description = "event-loop threads (default: up to 4)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        ForwardUrl listenUrl = url("--listen", listen);
        ForwardUrl toUrl = url("--to", to);
        if (listenUrl.scheme() == ForwardUrl.Scheme.H3) {
            throw new UserError("forward: --listen " + listenUrl + ": h3:// is only a --to end; braid proxy serves HTTP/3 CONNECT",
                    UserError.CONFIG);
        }
        ForwardOptions options = options(listenUrl, toUrl);
        PrintWriter out = spec.commandLine().getOut();
        if (selfSigned != null) {
            out.println("braid: self-signed certificate for " + selfSigned + "; clients use --pin "
                    + Certificates.spkiSha256(options.identity().leaf()));
        }
        Forwarder forwarder;
        try {
            forwarder = Forwarder.start(listenUrl, toUrl, options);
        } catch (ForwardException e) {
            throw new UserError("forward: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            forwarder.close();
            stopped.countDown();
        }));
        out.println("braid: forwarding " + forwarder.listening() + " -> " + toUrl
                + (Forwarder.onEpoll() ? "" : " (NIO: no UDP GSO/GRO)"));
        out.flush();
        stopped.await();
        return 0;
    }

    private static ForwardUrl url(String option, String value) throws UserError {
        try {
            return ForwardUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UserError("forward: " + option + " '" + value + "': " + e.getMessage(), UserError.CONFIG);
        }
    }

    private ForwardOptions options(ForwardUrl listenUrl, ForwardUrl toUrl) throws UserError {
        ForwardOptions options = ForwardOptions.defaults();
        try {
            options = options.withMaxConnections(maxConnections)
                    .withConnectTimeout(Duration.ofSeconds(connectTimeout))
                    .withQuic(options.quic().withMaxUdpPayload(quicPayload).withDiscoverPmtu(!noPmtud)
                            .withCongestionControl(congestionControl()).withOffloads(quicGso, gro));
            if (threads != null) options = options.withThreads(threads);
            if (connectTimeout < 1) throw new IllegalArgumentException("--connect-timeout must be at least 1 second");
        } catch (IllegalArgumentException e) {
            throw new UserError("forward: " + e.getMessage(), UserError.CONFIG);
        }
        String secret = token;
        if (tokenFile != null) {
            if (token != null) throw new UserError("forward: give --token or --token-file, not both", UserError.CONFIG);
            try {
                secret = Files.readAllLines(tokenFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            } catch (IOException e) {
                throw new UserError("forward: --token-file " + tokenFile + ": cannot read: " + e.getMessage(), UserError.CONFIG);
            }
        }
        try {
            options = options.withToken(secret);
        } catch (IllegalArgumentException e) {
            throw new UserError("forward: --token: " + e.getMessage(), UserError.CONFIG);
        }
        if (listenUrl.scheme().tls()) options = options.withIdentity(identity(listenUrl));
        else if (cert != null || key != null || selfSigned != null) {
            throw new UserError("forward: --cert, --key and --self-signed are for a quic:// or wss:// --listen end", UserError.CONFIG);
        }
        if (toUrl.scheme().tls()) options = options.withTrust(trust(toUrl));
        else if (!pins.isEmpty() || ca != null) {
            throw new UserError("forward: --pin and --ca are for a quic://, wss:// or h3:// --to end", UserError.CONFIG);
        }
        return options;
    }

    private QuicCongestionControlAlgorithm congestionControl() {
        return switch (quicCc.toLowerCase(Locale.ROOT)) {
            case "cubic" -> QuicCongestionControlAlgorithm.CUBIC;
            case "bbr" -> QuicCongestionControlAlgorithm.BBR;
            case "reno" -> QuicCongestionControlAlgorithm.RENO;
            default -> throw new IllegalArgumentException("--quic-cc '" + quicCc + "': expected cubic, bbr or reno");
        };
    }

    private Certificates.Identity identity(ForwardUrl listenUrl) throws UserError {
        if (selfSigned != null) {
            if (cert != null || key != null) throw new UserError("forward: give --self-signed or --cert/--key, not both", UserError.CONFIG);
            try {
                return Certificates.selfSigned(List.of(selfSigned), Duration.ofDays(365));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new UserError("forward: --self-signed '" + selfSigned + "': " + e.getMessage(), UserError.CONFIG);
            }
        }
        if (cert == null || key == null) {
            throw new UserError("forward: --listen " + listenUrl + " needs --cert and --key, or --self-signed NAME", UserError.CONFIG);
        }
        try {
            return Certificates.load(cert, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new UserError("forward: cannot load --cert " + cert + " / --key " + key + ": " + e.getMessage(), UserError.CONFIG);
        }
    }

    private ServerTrust trust(ForwardUrl toUrl) throws UserError {
        if (!pins.isEmpty() && ca != null) throw new UserError("forward: give --pin or --ca, not both", UserError.CONFIG);
        if (!pins.isEmpty()) {
            for (String pin : pins) {
                byte[] raw;
                try {
                    raw = java.util.Base64.getDecoder().decode(pin);
                } catch (IllegalArgumentException e) {
                    raw = new byte[0];
                }
                if (raw.length != 32) {
                    throw new UserError("forward: --pin '" + pin + "': expected the base64 SHA-256 (32 bytes) of the server's public key",
                            UserError.CONFIG);
                }
            }
            return new ServerTrust.PinnedKeys(java.util.Set.copyOf(pins));
        }
        if (ca != null) {
            try {
                return ServerTrust.CertificateAuthorities.fromPem(ca);
            } catch (IOException | GeneralSecurityException e) {
                throw new UserError("forward: cannot load --ca " + ca + ": " + e.getMessage(), UserError.CONFIG);
            }
        }
        throw new UserError("forward: --to " + toUrl + " needs --pin SPKI or --ca FILE to trust the server", UserError.CONFIG);
    }
}
