package net.braid.masque.udp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/** Turns a target's host into addresses, never on an event loop. */
@FunctionalInterface
public interface HostResolver {

    /**
     * Completes with the host's addresses (at least one), or fails with an {@link UnknownHostException}
     * (possibly wrapped in a {@link CompletionException}).
     */
    CompletableFuture<List<InetAddress>> resolve(String host);

    /** The JDK resolver, one virtual thread per lookup since it blocks. */
    static HostResolver system() {
        Executor lookups = Executors.newVirtualThreadPerTaskExecutor();
        return host -> CompletableFuture.supplyAsync(() -> {
            try {
                return List.of(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        }, lookups);
    }
}
