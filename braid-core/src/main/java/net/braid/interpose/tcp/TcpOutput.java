package net.braid.interpose.tcp;

import java.nio.ByteBuffer;

/**
 * What a {@link TcpEndpoint} asks of its surroundings, called synchronously from its event
 * methods. Buffers passed in are the endpoint's (or the caller's) and valid only during the call.
 */
public interface TcpOutput {

    /** An IP packet for the device toward the app, between position and limit. */
    void toApp(ByteBuffer packet);

    /** Open the upstream stream to the app's destination; answer with {@link TcpEndpoint#upstreamConnected} or {@link TcpEndpoint#upstreamRefused}. */
    void connectUpstream();

    /**
     * In-order bytes from the app, to write upstream. They count against the endpoint's receive
     * window until the upstream reports them written with {@link TcpEndpoint#upstreamConsumed}.
     */
    void toUpstream(ByteBuffer data);

    /** The app sent FIN: half-close the upstream stream. */
    void upstreamEndOfStream();

    /** The app reset the connection, or the endpoint gave up on it: reset the upstream stream. */
    void resetUpstream();

    /** The send buffer has room again after {@link TcpEndpoint#upstreamData} took less than offered. */
    void appWritable();

    /** The connection is over (CLOSED); forget it. Called once. */
    void closed();
}
