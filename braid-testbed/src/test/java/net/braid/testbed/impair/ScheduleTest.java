package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    /** Records each command and when it came, relative to construction. */
    private static final class Recorder implements ImpairmentControl {
        final long start = System.nanoTime();
        final List<String> commands = new CopyOnWriteArrayList<>();
        final List<Long> atNanos = new CopyOnWriteArrayList<>();

        @Override
        public String command(String line) {
            atNanos.add(System.nanoTime() - start);
            commands.add(line);
            return "ok " + line;
        }

        @Override
        public RelayCounters counters() {
            return new RelayCounters(DirectionCounters.ZERO, DirectionCounters.ZERO);
        }
    }

    @Test
    void parsesStepsInOffsetOrder() {
        Schedule schedule = Schedule.parse("5s cut; 3s rate 10mbit\n10s restore ;");
        assertThat(schedule.steps()).extracting(Schedule.Step::command).containsExactly("rate 10mbit", "cut", "restore");
        assertThat(schedule.length()).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.toString()).isEqualTo("3000ms rate 10mbit; 5000ms cut; 10000ms restore");
        assertThat(Schedule.parse(schedule.toString())).isEqualTo(schedule);
    }

    @Test
    void equalOffsetsKeepTheirOrder() {
        Schedule schedule = Schedule.empty().at(Duration.ofMillis(5), "up cut").at(Duration.ZERO, "delay 1ms").at(Duration.ofMillis(5), "down cut");
        assertThat(schedule.steps()).extracting(Schedule.Step::command).containsExactly("delay 1ms", "up cut", "down cut");
    }

    @Test
    void refusesBadCommandsWhenBuilt() {
        assertThatThrownBy(() -> Schedule.parse("5s cutt")).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> Schedule.parse("cut")).hasMessageContaining("offset and a command");
        assertThatThrownBy(() -> Schedule.parse("5 cut")).hasMessageContaining("time unit");
    }

    @Test
    void appliesEachStepAtItsOffset() throws Exception {
        Recorder recorder = new Recorder();
        Schedule schedule = Schedule.parse("50ms cut; 150ms restore; 150ms stats");
        try (ScheduleRun run = schedule.start(recorder)) {
            assertThat(run.await(Duration.ofSeconds(5))).isTrue();
            assertThat(recorder.commands).containsExactly("cut", "restore", "stats");
            // Never early; how late depends on the machine's load, so only a loose upper bound.
            assertThat(recorder.atNanos.get(0)).isBetween(50_000_000L, 2_000_000_000L);
            assertThat(recorder.atNanos.get(1)).isBetween(150_000_000L, 2_100_000_000L);
            assertThat(run.applied()).extracting(ScheduleRun.Applied::answer).containsExactly("ok cut", "ok restore", "ok stats");
            assertThat(run.applied().get(1).at()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(run.failure()).isEmpty();
        }
    }

    @Test
    void closeStopsTheStepsNotYetApplied() throws Exception {
        Recorder recorder = new Recorder();
        ScheduleRun run = Schedule.parse("0s cut; 10s restore").start(recorder);
        Thread.sleep(100);
        run.close();
        assertThat(run.isDone()).isTrue();
        assertThat(recorder.commands).containsExactly("cut");
    }

    @Test
    void cutsAndRestoresARealRelay() throws Exception {
        try (UdpEcho echo = UdpEcho.start(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                ImpairmentRelay relay = ImpairmentRelay.listen(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))
                        .target(echo.address()).start();
                ScheduleRun run = Schedule.parse("0s rate 10mbit; 0s cut; 300ms restore").start(relay)) {
            Thread.sleep(100);
            assertThat(relay.isCut(Direction.UP)).isTrue();
            assertThat(relay.impairment(Direction.DOWN).rateBitsPerSecond()).isEqualTo(10_000_000);
            assertThat(UdpEcho.probe(relay.listenAddress(), 1, Duration.ZERO, Duration.ofMillis(50)).received()).isZero();
            assertThat(run.await(Duration.ofSeconds(2))).isTrue();
            assertThat(UdpEcho.probe(relay.listenAddress(), 3, Duration.ofMillis(1), Duration.ofSeconds(1)).received()).isEqualTo(3);
        }
    }
}
