package net.braid.bench;

/** What carries the traffic between the two namespaces. */
enum Subject {
    VETH("direct veth"),
    WIREGUARD_GO("wireguard-go"),
    BRAID("braid");

    private final String label;

    Subject(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
