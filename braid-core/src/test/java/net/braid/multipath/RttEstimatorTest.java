package net.braid.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {
    private static final long MS = 1_000_000L;

    @Test
    void initialValuesBeforeAnySample() {
        RttEstimator r = new RttEstimator();
        assertThat(r.hasSample()).isFalse();
        assertThat(r.smoothed()).isEqualTo(RttEstimator.INITIAL_RTT_NANOS);
        assertThat(r.min()).isEqualTo(RttEstimator.INITIAL_RTT_NANOS);
    }

    @Test
    void rfc6298Smoothing() {
        RttEstimator r = new RttEstimator();
        r.onSample(100 * MS, 0, 0);
        assertThat(r.smoothed()).isEqualTo(100 * MS);
        assertThat(r.variance()).isEqualTo(50 * MS);
        assertThat(r.timeout()).isEqualTo(300 * MS);
        r.onSample(180 * MS, 0, 1);
        // RTTVAR = 3/4·50 + 1/4·|100 − 180| = 57.5; SRTT = 7/8·100 + 1/8·180 = 110
        assertThat(r.variance()).isEqualTo(57_500_000L);
        assertThat(r.smoothed()).isEqualTo(110 * MS);
        assertThat(r.latest()).isEqualTo(180 * MS);
        assertThat(r.min()).isEqualTo(100 * MS);
    }

    @Test
    void holdDelayIsRemovedOnlyWhenThatKeepsTheSampleAboveTheMinimum() {
        RttEstimator r = new RttEstimator();
        r.onSample(50 * MS, 0, 0);
        r.onSample(80 * MS, 20 * MS, 1);
        assertThat(r.latest()).isEqualTo(60 * MS);
        r.onSample(60 * MS, 30 * MS, 2); // 30 ms would be below the 50 ms minimum: the hold is not trusted
        assertThat(r.latest()).isEqualTo(60 * MS);
    }

    @Test
    void minimumExpiresAfterItsWindow() {
        RttEstimator r = new RttEstimator(1000 * MS);
        r.onSample(20 * MS, 0, 0);
        r.onSample(40 * MS, 0, 500 * MS);
        assertThat(r.min()).isEqualTo(20 * MS);
        r.onSample(45 * MS, 0, 1200 * MS);
        assertThat(r.min()).isEqualTo(40 * MS);
        r.onSample(50 * MS, 0, 2400 * MS);
        assertThat(r.min()).isEqualTo(50 * MS);
    }

    @Test
    void windowedMaxFollowsTheBestRecentSample() {
        WindowedFilter f = WindowedFilter.max(10);
        assertThat(f.get()).isZero();
        f.update(0, 100);
        f.update(3, 80);
        f.update(6, 90);
        assertThat(f.get()).isEqualTo(100);
        f.update(11, 70); // 100 expired; 90 (round 6) is the best left
        assertThat(f.get()).isEqualTo(90);
        f.update(30, 10);
        assertThat(f.get()).isEqualTo(10);
    }
}
