package net.braid.masque.udp;

/**
 * A request the proxy turns down: the HTTP status, the Proxy-Status error and a human-readable detail.
 *
 * @param status HTTP status code (usually {@link ProxyError#status()}, 401/407 for missing credentials)
 */
record Refusal(int status, ProxyError error, String details) {
    Refusal(ProxyError error, String details) {
        this(error.status(), error, details);
    }

    String proxyStatus() {
        return ProxyStatus.of(error, details);
    }

    /** Thrown through the asynchronous set-up chain so each stage can name its own refusal. */
    static final class Raised extends RuntimeException {
        final Refusal refusal;

        Raised(Refusal refusal) {
            super(refusal.error().token() + ": " + refusal.details(), null, false, false);
            this.refusal = refusal;
        }
    }

    Raised raise() {
        return new Raised(this);
    }
}
