package net.braid.interpose;

import java.nio.ByteBuffer;

/**
 * The engine's handle on one upstream byte stream (a MASQUE CONNECT stream, a socket, a test
 * double). Every method returns at once and may be called only from the engine's loop; the
 * stream answers through its {@link Events}, from any thread.
 */
public interface TcpUpstream {

    /** Sends {@code data}'s remaining bytes, copied before this returns; {@link Events#written} reports them gone. */
    void write(ByteBuffer data);

    /** Half-closes: no more {@link #write}s, the far end sees end of stream after the bytes. */
    void shutdownOutput();

    /** Aborts the stream both ways. */
    void reset();

    /** Stops (true) or resumes (false) delivering {@link Events#data}: the app's side is full. */
    void pauseReading(boolean paused);

    /** What an upstream stream reports; callable from any thread, in order per stream. */
    interface Events {
        void connected();

        void refused(String reason);

        /** Bytes from the far end; the buffer is handed over to the engine. */
        void data(ByteBuffer data);

        void end();

        void reset();

        /** {@code n} bytes passed to {@link TcpUpstream#write} have left the local buffers. */
        void written(int n);
    }
}
