package net.braid.interpose;

import java.time.Duration;
import net.braid.interpose.tcp.TcpConfig;

/**
 * Limits of an {@link InterposeEngine}.
 *
 * @param tcp each TCP endpoint's buffers and timers
 * @param maxTcpFlows connections held at once; a SYN beyond them is reset
 * @param maxUdpFlows datagram flows held at once; datagrams of new flows beyond them are dropped
 * @param udpIdleTimeout a datagram flow silent both ways this long is closed (nanoseconds)
 * @param udpQueue datagrams held per flow while its upstream is still opening
 */
public record InterposeConfig(TcpConfig tcp, int maxTcpFlows, int maxUdpFlows, long udpIdleTimeout, int udpQueue) {

    public InterposeConfig {
        if (maxTcpFlows < 1 || maxUdpFlows < 0 || udpQueue < 0) throw new IllegalArgumentException("flow limits");
        if (udpIdleTimeout <= 0) throw new IllegalArgumentException("UDP idle timeout");
    }

    public static InterposeConfig defaults(int mtu) {
        return new InterposeConfig(TcpConfig.defaults(mtu).withBuffers(256 * 1024, 256 * 1024), 4096, 1024,
                Duration.ofSeconds(60).toNanos(), 16);
    }
}
