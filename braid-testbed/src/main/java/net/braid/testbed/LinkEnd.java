package net.braid.testbed;

import java.net.Inet4Address;
import java.net.Inet6Address;

/** One side of a {@link Link}: the host, its veth device name there, and the addresses on it. */
public record LinkEnd(Host host, String device, Inet4Address v4, Inet6Address v6) {}
