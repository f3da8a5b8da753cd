package net.braid.linux;

/** Which kernel offloads a {@link Tun} asks for. */
public enum Offload {
    /** One packet per read and write system call. */
    NONE,
    /**
     * IFF_VNET_HDR with TUN_F_CSUM, TUN_F_TSO4 and TUN_F_TSO6: the kernel hands out TCP
     * super-packets of up to 64 KiB, which the TUN splits (GSO in userspace), and the TUN merges
     * runs of TCP segments it is given into super-packets for the kernel (GRO in userspace).
     */
    TCP
}
