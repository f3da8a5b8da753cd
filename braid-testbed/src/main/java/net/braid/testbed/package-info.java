/**
 * The network-namespace test bed: hosts are namespaces ({@code braid-<label>-<host>-<run>}),
 * joined by veth {@link net.braid.testbed.Link}s addressed from 198.18.0.0/15 and 2001:db8::/32,
 * optionally rate-limited with tc tbf, with {@link net.braid.testbed.Iperf3} and
 * {@link net.braid.testbed.Ping} to measure them. Everything a {@link net.braid.testbed.Testbed}
 * makes is removed on close, by a shutdown hook, or by the next run's stale clean-up; the root
 * namespace is never changed.
 */
package net.braid.testbed;
