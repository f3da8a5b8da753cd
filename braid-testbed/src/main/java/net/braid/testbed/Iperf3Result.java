package net.braid.testbed;

/**
 * The summary of one iperf3 client run, read from its {@code -J} output.
 *
 * @param protocol "TCP" or "UDP"
 * @param receivedBitsPerSecond goodput at the receiver ({@code end.sum_received})
 * @param sentBitsPerSecond rate at the sender ({@code end.sum_sent})
 * @param retransmits TCP retransmissions at the sender; 0 for UDP
 * @param lostPercent UDP datagrams lost; 0 for TCP
 * @param jitterMs UDP jitter; 0 for TCP
 * @param json the whole report, for anything else a benchmark wants
 */
public record Iperf3Result(String protocol, double receivedBitsPerSecond, double sentBitsPerSecond,
                           long retransmits, double lostPercent, double jitterMs, String json) {

    public double receivedMbps() {
        return receivedBitsPerSecond / 1e6;
    }

    /** Parses iperf3's JSON report; throws if iperf3 reported an error or the summary is missing. */
    public static Iperf3Result parse(String json) {
        Object root;
        try {
            root = Json.parse(json.strip());
        } catch (IllegalArgumentException e) {
            throw new TestbedException("iperf3 printed no JSON report: " + abbreviate(json), e);
        }
        var error = Json.string(root, "error");
        if (error.isPresent()) {
            throw new TestbedException("iperf3 failed: " + error.get());
        }
        String protocol = Json.string(root, "start", "test_start", "protocol").orElse("TCP");
        boolean udp = protocol.equals("UDP");
        // iperf3 before 3.11 had only "sum" for UDP; newer ones also give sum_sent/sum_received.
        String receivedKey = Json.at(root, "end", "sum_received").isPresent() ? "sum_received" : "sum";
        String sentKey = Json.at(root, "end", "sum_sent").isPresent() ? "sum_sent" : "sum";
        double received = Json.number(root, "end", receivedKey, "bits_per_second")
                .orElseThrow(() -> new TestbedException("iperf3 report has no end." + receivedKey + ".bits_per_second"));
        double sent = Json.number(root, "end", sentKey, "bits_per_second").orElse(received);
        long retransmits = udp ? 0 : Json.number(root, "end", "sum_sent", "retransmits").orElse(0.0).longValue();
        double lost = udp ? Json.number(root, "end", receivedKey, "lost_percent").orElse(0.0) : 0;
        double jitter = udp ? Json.number(root, "end", receivedKey, "jitter_ms").orElse(0.0) : 0;
        return new Iperf3Result(protocol, received, sent, retransmits, lost, jitter, json);
    }

    private static String abbreviate(String text) {
        String stripped = text.strip();
        return stripped.length() <= 500 ? stripped : stripped.substring(0, 500) + " ...";
    }

    @Override
    public String toString() {
        return String.format("Iperf3Result[%s received %.1f Mbit/s, sent %.1f Mbit/s, retransmits %d, lost %.2f%%, jitter %.3f ms]",
                protocol, receivedBitsPerSecond / 1e6, sentBitsPerSecond / 1e6, retransmits, lostPercent, jitterMs);
    }
}
