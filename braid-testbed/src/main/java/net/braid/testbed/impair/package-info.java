/**
 * Delay, jitter, loss, rate limits, duplication and cuts for UDP paths, where the kernel has no
 * netem: {@link net.braid.testbed.impair.ImpairmentRelay} relays one UDP flow and impairs each
 * direction by its {@link net.braid.testbed.impair.Impairment}; it runs in this JVM or, through
 * {@link net.braid.testbed.impair.ImpairedPath}, as a process in the middle namespace of
 * client—middle—server, driven by {@link net.braid.testbed.impair.RelayCommand} lines and
 * {@link net.braid.testbed.impair.Schedule}s. See docs/testbed.md.
 */
package net.braid.testbed.impair;
