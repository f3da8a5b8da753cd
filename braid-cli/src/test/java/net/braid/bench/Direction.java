package net.braid.bench;

/** Which way the bulk data flows between the two namespaces; the iperf3 client is always on the left. */
enum Direction {
    LEFT_TO_RIGHT("left → right", false),
    RIGHT_TO_LEFT("right → left", true);

    private final String label;
    private final boolean reverse;

    Direction(String label, boolean reverse) {
        this.label = label;
        this.reverse = reverse;
    }

    String label() {
        return label;
    }

    /** True when the client must run with {@code -R} so that the server sends. */
    boolean reverse() {
        return reverse;
    }
}
