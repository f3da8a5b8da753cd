package net.braid.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MultipathBenchTest {

    /** iperf3 3.12's -J layout, shortened: two streams' entries, then the interval sums. */
    private static String report(double... mbps) {
        StringBuilder b = new StringBuilder("{\"start\":{},\"intervals\":[");
        for (int i = 0; i < mbps.length; i++) {
            double s = i / 10.0, e = (i + 1) / 10.0;
            long bytes = Math.round(mbps[i] * 1e6 / 8 / 10);
            if (i > 0) b.append(',');
            b.append("{\"streams\":[{\"socket\":5,\"start\":").append(s).append(",\"end\":").append(e)
                    .append(",\"seconds\":0.1,\"bytes\":999,\"bits_per_second\":1}],")
                    .append("\"sum\":{\"start\":").append(s).append(",\n\t\t\"end\":").append(e)
                    .append(",\"seconds\":0.1,\"bytes\":").append(bytes).append(",\"bits_per_second\":1,\"sender\":false}}");
        }
        return b.append("],\"end\":{\"sum\":{\"start\":0,\"end\":9,\"seconds\":9,\"bytes\":1}}}").toString();
    }

    @Test
    void readsTheIntervalSumsNotTheStreamsOrTheEndSummary() {
        var t = MultipathTimeline.parse(report(80, 80, 10, 20, 45, 46, 47, 48), 0.2, 0.6);
        assertThat(t.start()).hasSize(8);
        assertThat(t.mbps()[0]).isCloseTo(80, within(0.01));
        assertThat(t.mbps()[2]).isCloseTo(10, within(0.01));
        assertThat(t.mean(0.2, 0.6)).isCloseTo((10 + 20 + 45 + 46) / 4.0, within(0.01));
    }

    @Test
    void timeToReachALevelNeedsThreeIntervalsOnAverage() {
        // one 50 Mbit/s spike at 0.3 s does not count; 45, 46, 47 from 0.5 s does
        var t = MultipathTimeline.parse(report(80, 80, 10, 50, 0, 45, 46, 47, 48, 48), 0.2, 0.9);
        assertThat(t.secondsToReach(0.2, 0.9, 42)).isCloseTo(0.3, within(1e-9));
        assertThat(t.secondsToReach(0.2, 0.9, 60)).isNaN();
    }

    @Test
    void pingQuantilesByNearestRank() {
        String out = """
                64 bytes from 198.19.200.2: icmp_seq=1 ttl=64 time=3.10 ms
                64 bytes from 198.19.200.2: icmp_seq=2 ttl=64 time=1.00 ms
                64 bytes from 198.19.200.2: icmp_seq=3 ttl=64 time=2.00 ms
                64 bytes from 198.19.200.2: icmp_seq=4 ttl=64 time=40.5 ms

                --- 198.19.200.2 ping statistics ---
                5 packets transmitted, 4 received, 20% packet loss, time 401ms
                """;
        var r = MultipathRtt.parse(out);
        assertThat(r.transmitted()).isEqualTo(5);
        assertThat(r.received()).isEqualTo(4);
        assertThat(r.median()).isEqualTo(2.0);
        assertThat(r.quantile(0.95)).isEqualTo(40.5);
        assertThat(MultipathRtt.parse("").median()).isNaN();
    }

    @Test
    void plotsADecodablePngWithTheThroughputLine() throws Exception {
        var t = MultipathTimeline.parse(report(90, 90, 10, 45, 46, 47, 90, 92), 0.2, 0.6);
        BufferedImage img = MultipathPlot.draw(t, 47, 94, "test");
        var bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "png", bytes)).isTrue();
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(back.getWidth()).isEqualTo(MultipathPlot.WIDTH);
        long blue = 0;
        for (int x = 0; x < back.getWidth(); x++) {
            for (int y = 0; y < back.getHeight(); y++) if ((back.getRGB(x, y) & 0xffffff) == 0x1e50c8) blue++;
        }
        assertThat(blue).as("pixels of the throughput line").isGreaterThan(100);
    }
}
