package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import net.braid.testbed.impair.RelayCommand.Change;
import net.braid.testbed.impair.RelayCommand.Setting;
import org.junit.jupiter.api.Test;

class RelayCommandTest {
    private static final Set<Direction> BOTH = Set.of(Direction.UP, Direction.DOWN);

    @Test
    void cutAndRestoreWithAndWithoutDirection() {
        assertThat(RelayCommand.parse("cut")).isEqualTo(new RelayCommand.Cut(BOTH));
        assertThat(RelayCommand.parse("  UP cut  ")).isEqualTo(new RelayCommand.Cut(Set.of(Direction.UP)));
        assertThat(RelayCommand.parse("down restore")).isEqualTo(new RelayCommand.Restore(Set.of(Direction.DOWN)));
        assertThat(RelayCommand.parse("both restore # link back")).isEqualTo(new RelayCommand.Restore(BOTH));
    }

    @Test
    void settingsWithUnits() {
        assertThat(RelayCommand.parse("delay 40ms")).isEqualTo(new Change(BOTH, new Setting.Delay(Duration.ofMillis(40))));
        assertThat(RelayCommand.parse("up delay 1.5ms")).isEqualTo(new Change(Set.of(Direction.UP), new Setting.Delay(Duration.ofNanos(1_500_000))));
        assertThat(RelayCommand.parse("delay 250us")).isEqualTo(new Change(BOTH, new Setting.Delay(Duration.ofNanos(250_000))));
        assertThat(RelayCommand.parse("delay 2s")).isEqualTo(new Change(BOTH, new Setting.Delay(Duration.ofSeconds(2))));
        assertThat(RelayCommand.parse("jitter 5ms")).isEqualTo(new Change(BOTH, new Setting.Jitter(Duration.ofMillis(5), null)));
        assertThat(RelayCommand.parse("jitter 5ms normal"))
                .isEqualTo(new Change(BOTH, new Setting.Jitter(Duration.ofMillis(5), Impairment.JitterShape.NORMAL)));
        assertThat(RelayCommand.parse("reorder on")).isEqualTo(new Change(BOTH, new Setting.Reorder(true)));
        assertThat(RelayCommand.parse("rate 10mbit")).isEqualTo(new Change(BOTH, new Setting.Rate(10_000_000)));
        assertThat(RelayCommand.parse("rate 1.5gbit")).isEqualTo(new Change(BOTH, new Setting.Rate(1_500_000_000)));
        assertThat(RelayCommand.parse("rate 500kbit")).isEqualTo(new Change(BOTH, new Setting.Rate(500_000)));
        assertThat(RelayCommand.parse("rate off")).isEqualTo(new Change(BOTH, new Setting.Rate(0)));
        assertThat(RelayCommand.parse("queue 64kb")).isEqualTo(new Change(BOTH, new Setting.Queue(65_536)));
        assertThat(RelayCommand.parse("queue 3000b")).isEqualTo(new Change(BOTH, new Setting.Queue(3000)));
        assertThat(RelayCommand.parse("duplicate 0.5%")).isEqualTo(new Change(BOTH, new Setting.Duplicate(0.5)));
        assertThat(RelayCommand.parse("loss 2%")).isEqualTo(new Change(BOTH, new Setting.Loss(new LossModel.Random(2))));
        assertThat(RelayCommand.parse("loss 0%")).isEqualTo(new Change(BOTH, new Setting.Loss(LossModel.NONE)));
        assertThat(RelayCommand.parse("down loss gemodel 1% 25%"))
                .isEqualTo(new Change(Set.of(Direction.DOWN), new Setting.Loss(new LossModel.GilbertElliott(1, 25))));
        assertThat(RelayCommand.parse("stats")).isEqualTo(new RelayCommand.Stats());
        assertThat(RelayCommand.parse("show")).isEqualTo(new RelayCommand.Show());
    }

    @Test
    void settingsChangeOnlyTheirParameter() {
        Impairment start = Impairment.NONE.withDelay(Duration.ofMillis(7)).withJitter(Duration.ofMillis(1), Impairment.JitterShape.NORMAL);
        Change jitter = (Change) RelayCommand.parse("jitter 3ms");
        assertThat(jitter.setting().applyTo(start)).isEqualTo(start.withJitter(Duration.ofMillis(3)));
        Change rate = (Change) RelayCommand.parse("rate 50mbit");
        assertThat(rate.setting().applyTo(start)).isEqualTo(start.withRate(50_000_000));
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> RelayCommand.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> RelayCommand.parse("up")).hasMessageContaining("missing command");
        assertThatThrownBy(() -> RelayCommand.parse("teleport")).hasMessageContaining("unknown command: teleport");
        assertThatThrownBy(() -> RelayCommand.parse("delay 40")).hasMessageContaining("unknown time unit");
        assertThatThrownBy(() -> RelayCommand.parse("delay")).hasMessageContaining("delay takes one value");
        assertThatThrownBy(() -> RelayCommand.parse("delay -4ms")).hasMessageContaining("not a time");
        assertThatThrownBy(() -> RelayCommand.parse("loss 2")).hasMessageContaining("% sign");
        assertThatThrownBy(() -> RelayCommand.parse("loss 120%")).hasMessageContaining("0-100%");
        assertThatThrownBy(() -> RelayCommand.parse("loss gemodel 1%")).hasMessageContaining("gemodel P% R%");
        assertThatThrownBy(() -> RelayCommand.parse("loss gemodel 1% 0%")).hasMessageContaining("lose everything");
        assertThatThrownBy(() -> RelayCommand.parse("rate 10mbps")).hasMessageContaining("unknown rate unit");
        assertThatThrownBy(() -> RelayCommand.parse("rate 100bit")).hasMessageContaining("below 8 kbit/s");
        assertThatThrownBy(() -> RelayCommand.parse("jitter 1ms gaussian")).hasMessageContaining("uniform or normal");
        assertThatThrownBy(() -> RelayCommand.parse("reorder yes")).hasMessageContaining("on or off");
        assertThatThrownBy(() -> RelayCommand.parse("cut now")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> RelayCommand.parse("up stats")).hasMessageContaining("both directions");
    }

    @Test
    void lossModelsKnowTheirMean() {
        assertThat(new LossModel.Random(3).meanPercent()).isEqualTo(3);
        assertThat(new LossModel.GilbertElliott(1, 24).meanPercent()).isEqualTo(4);
        assertThat(LossModel.NONE.meanPercent()).isZero();
    }

    @Test
    void defaultQueueIsFiftyMillisecondsAtTheRate() {
        assertThat(Impairment.NONE.withRate(80_000_000).effectiveQueueBytes()).isEqualTo(500_000);
        assertThat(Impairment.NONE.withRate(80_000).effectiveQueueBytes()).isEqualTo(3028);
        assertThat(Impairment.NONE.withRate(80_000_000).withQueue(1000).effectiveQueueBytes()).isEqualTo(1000);
    }
}
