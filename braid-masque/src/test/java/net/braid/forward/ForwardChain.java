package net.braid.forward;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ServerTrust;

/**
 * A client-side forwarder (tcp:// → carrier) and, unless the carrier is tcp, the accepting
 * forwarder (carrier → tcp://target), on loopback.
 */
final class ForwardChain implements AutoCloseable {
    static final Certificates.Identity IDENTITY;

    static {
        try {
            IDENTITY = Certificates.selfSigned(List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Forwarder entry;
    final Forwarder exit;

    ForwardChain(Forwarder entry, Forwarder exit) {
        this.entry = entry;
        this.exit = exit;
    }

    static ForwardOptions clientOptions(String token) {
        return ForwardOptions.defaults().withToken(token)
                .withTrust(ServerTrust.PinnedKeys.of(Certificates.spkiSha256(IDENTITY.leaf())));
    }

    static ForwardOptions serverOptions(String token) {
        return ForwardOptions.defaults().withToken(token).withIdentity(IDENTITY);
    }

    /** tcp → {@code carrier} → tcp://target; {@code carrier} "tcp" means one plain relay. */
    static ForwardChain start(String carrier, InetSocketAddress target, String serverToken, String clientToken)
            throws Exception {
        ForwardUrl to = ForwardUrl.parse("tcp://127.0.0.1:" + target.getPort());
        ForwardUrl entryUrl = ForwardUrl.parse("tcp://127.0.0.1:0");
        if (carrier.equals("tcp")) {
            return new ForwardChain(Forwarder.start(entryUrl, to, ForwardOptions.defaults()), null);
        }
        String path = carrier.startsWith("ws") ? "/tunnel" : "";
        Forwarder exit = Forwarder.start(ForwardUrl.parse(carrier + "://127.0.0.1:0" + path), to, serverOptions(serverToken));
        try {
            Forwarder entry = Forwarder.start(entryUrl, exit.listening(), clientOptions(clientToken));
            return new ForwardChain(entry, exit);
        } catch (Exception e) {
            exit.close();
            throw e;
        }
    }

    InetSocketAddress entryAddress() {
        return entry.listening().socketAddress();
    }

    @Override
    public void close() {
        entry.close();
        if (exit != null) exit.close();
    }
}
