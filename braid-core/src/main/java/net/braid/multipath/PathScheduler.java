package net.braid.multipath;

import java.util.List;

/**
 * Picks the path for the packet at the head of the shared queue (seed 003's greedy design: a
 * path takes packets while its window allows), by expected delivery time, as ECF (Lim et al.,
 * CoNEXT 2017) and BLEST (Ferlin et al., IFIP Networking 2016) do for MPTCP.
 *
 * <p>Only paths that carry traffic and have the lowest metric among those are candidates. For
 * each, the packet could leave at {@code ready} (now, or when pacing allows, or — without window
 * room — when enough of the window drains, at a window per SRTT) and arrive at
 * {@code ready + RTT/2 + size/rate}, RTT being the propagation RTT plus what is in flight at the
 * path's rate, at most SRTT ({@link #expectedRtt}). If the path with the earliest arrival can send now, it
 * gets the packet. If it cannot, a slower path that can send now gets the packet only when it
 * would deliver no later than the fast path would finish delivering the whole queue
 * ({@code queuedBytes}): with a short queue it is better to wait for the fast path than to put
 * the packet on a slow one where it arrives after packets sent later on the fast path and holds
 * up a single flow's in-order delivery; with a long queue the fast path alone cannot keep up and
 * the slow path adds throughput. The scheduler allocates nothing.
 */
public final class PathScheduler {

    /**
     * @param packetBytes  size of the packet at the head of the queue
     * @param queuedBytes  bytes waiting in the shared queue, this packet included
     */
    public SchedulerDecision pick(List<? extends SchedulerPath> paths, int packetBytes, long queuedBytes, long nowNanos,
            SchedulerDecision out) {
        int metric = lowestLiveMetric(paths);
        if (metric == Integer.MAX_VALUE) return out.none();
        int best = -1;
        long bestDelivery = Long.MAX_VALUE;
        long bestReady = 0;
        int bestNow = -1;
        long bestNowDelivery = Long.MAX_VALUE;
        for (int i = 0; i < paths.size(); i++) {
            SchedulerPath p = paths.get(i);
            if (!candidate(p, metric)) continue;
            long ready = readyAt(p, packetBytes, nowNanos);
            long delivery = ready + expectedRtt(p) / 2 + transmit(p, packetBytes);
            if (delivery < bestDelivery) {
                best = i;
                bestDelivery = delivery;
                bestReady = ready;
            }
            if (ready <= nowNanos && delivery < bestNowDelivery) {
                bestNow = i;
                bestNowDelivery = delivery;
            }
        }
        if (bestReady <= nowNanos) return out.send(best, bestDelivery);
        if (bestNow >= 0) {
            SchedulerPath fast = paths.get(best);
            long fastDrains = bestReady + expectedRtt(fast) / 2 + transmit(fast, Math.max(queuedBytes, packetBytes));
            if (bestNowDelivery <= fastDrains) return out.send(bestNow, bestNowDelivery);
        }
        return out.waitUntil(bestReady);
    }

    /**
     * For a small latency-sensitive packet sent twice (the replay window drops the second copy):
     * fills {@code into} with the indices of up to two paths that can send now, earliest
     * arrival first, and returns how many.
     */
    public int pickRedundant(List<? extends SchedulerPath> paths, int packetBytes, long nowNanos, int[] into) {
        int metric = lowestLiveMetric(paths);
        int first = -1;
        int second = -1;
        long firstAt = Long.MAX_VALUE;
        long secondAt = Long.MAX_VALUE;
        for (int i = 0; i < paths.size() && metric != Integer.MAX_VALUE; i++) {
            SchedulerPath p = paths.get(i);
            if (!candidate(p, metric) || readyAt(p, packetBytes, nowNanos) > nowNanos) continue;
            long at = nowNanos + expectedRtt(p) / 2 + transmit(p, packetBytes);
            if (at < firstAt) {
                second = first;
                secondAt = firstAt;
                first = i;
                firstAt = at;
            } else if (at < secondAt) {
                second = i;
                secondAt = at;
            }
        }
        int n = 0;
        if (first >= 0) into[n++] = first;
        if (second >= 0) into[n++] = second;
        return n;
    }

    private static int lowestLiveMetric(List<? extends SchedulerPath> paths) {
        int metric = Integer.MAX_VALUE;
        for (int i = 0; i < paths.size(); i++) {
            SchedulerPath p = paths.get(i);
            if (p.status().carriesTraffic()) metric = Math.min(metric, p.metric());
        }
        return metric;
    }

    private static boolean candidate(SchedulerPath p, int metric) {
        return p.status().carriesTraffic() && p.metric() == metric;
    }

    /** When the path could put this packet on the wire. */
    static long readyAt(SchedulerPath p, int bytes, long now) {
        long paced = Math.max(now, p.nextSendTime());
        long cwnd = Math.max(p.congestionWindow(), 1);
        long excess = p.bytesInFlight() + bytes - cwnd;
        if (excess <= 0 || p.bytesInFlight() == 0) return paced;
        // Feedback frees about a window per SRTT.
        long drain = (long) ((double) p.smoothedRttNanos() * excess / cwnd);
        return Math.max(paced, now + Math.max(drain, 1));
    }

    /**
     * The RTT a packet sent now would see: the propagation RTT plus the time the path needs to
     * deliver what is already in flight, never more than SRTT. SRTT alone misjudges a path that
     * carried little: its few samples (the first ones taken while the portals were still
     * starting) decay by 1/8 per sample, and a path with nothing in flight has no queue. The
     * netns test saw an idle 0.3 ms path scheduled as if it took 46 ms, so it never carried data.
     */
    public static long expectedRtt(SchedulerPath p) {
        long srtt = p.smoothedRttNanos();
        long min = p.minRttNanos();
        if (min <= 0 || min >= srtt) return srtt;
        long queued = (long) (p.bytesInFlight() * 1e9 / rate(p, min));
        return Math.min(srtt, min + queued);
    }

    private static long transmit(SchedulerPath p, long bytes) {
        return (long) (bytes * 1e9 / rate(p, expectedRtt(p)));
    }

    private static long rate(SchedulerPath p, long rttNanos) {
        // A path that has carried only probes has a delivery-rate estimate of a few kbit/s, so
        // by that estimate alone it would never be chosen and never learn better. Half the
        // window per RTT (BBR keeps cwnd at 2 BDP) is what the controller is willing to send.
        long windowRate = (long) (p.congestionWindow() * 1e9 / 2 / Math.max(rttNanos, 1));
        return Math.max(1, Math.max(p.deliveryRate(), windowRate));
    }
}
