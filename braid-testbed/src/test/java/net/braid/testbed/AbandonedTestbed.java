package net.braid.testbed;

/**
 * A program for {@link TestbedCleanupTest}: builds a small test bed, prints its namespaces and
 * the pid of a process spawned inside, then either exits without close() ("exit", so only the
 * shutdown hook can clean up) or waits to be killed ("hang", so only removeStale can).
 */
public final class AbandonedTestbed {
    private AbandonedTestbed() {}

    public static void main(String[] args) throws InterruptedException {
        Testbed bed = Testbed.create(args[0]);
        Host a = bed.host("a");
        Host b = bed.host("b");
        bed.link(a, b);
        Spawned sleeper = a.spawn("sleep", "600");
        System.out.println("namespaces " + String.join(" ", bed.namespaces()));
        System.out.println("pid " + sleeper.pid());
        System.out.flush();
        if (args[1].equals("exit")) {
            System.exit(0);
        }
        Thread.sleep(60_000);
    }
}
