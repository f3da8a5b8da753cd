package net.braid.masque.h3;

/**
 * The server application: called on the connection's event loop once a request's HEADERS arrive.
 * It answers through {@link H3Stream#respond} (now or later) and returns the listener for what
 * follows on the stream.
 */
@FunctionalInterface
public interface RequestHandler {
    StreamListener onRequest(RequestHead request, H3Stream stream);
}
