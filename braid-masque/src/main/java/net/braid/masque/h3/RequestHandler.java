package net.braid.masque.h3;

/**
 * The server application: called on the connection's event loop, over HTTP/3 or HTTP/2, once a request's HEADERS arrive.
 * It answers through {@link MasqueStream#respond} (now or later) and returns the listener for what
 * follows on the stream.
 */
@FunctionalInterface
public interface RequestHandler {
    StreamListener onRequest(RequestHead request, MasqueStream stream);
}
