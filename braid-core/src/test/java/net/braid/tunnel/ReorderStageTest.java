package net.braid.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.braid.multipath.reorder.ReorderBufferSink;
import org.junit.jupiter.api.Test;

class ReorderStageTest {
    private static final long MS = 1_000_000L;

    private final ReorderStage stage = new ReorderStage(1500);
    private final List<Long> released = new ArrayList<>();
    private final ReorderBufferSink<ByteBuffer> sink = (counter, packet) -> {
        if (packet != ReorderStage.SKIP) released.add(counter);
    };

    private ByteBuffer packet() {
        ByteBuffer b = stage.take();
        b.clear();
        b.put(new byte[100]).flip();
        return b;
    }

    @Test
    void aPacketLaterThanItsGapsTimeoutIsReleasedOutOfOrderNotDropped() {
        stage.buffer.reset(0, sink);
        stage.accept(0, packet(), 0, sink);
        stage.accept(2, packet(), MS, sink); // 1 is missing: 2 waits
        assertThat(released).containsExactly(0L);
        long timeout = stage.timeout.nanos();
        stage.buffer.poll(MS + timeout, sink); // the gap is given up on
        assertThat(released).containsExactly(0L, 2L);

        stage.accept(1, packet(), MS + timeout + MS, sink); // the straggler
        assertThat(released).containsExactly(0L, 2L, 1L);
        assertThat(stage.lateReleased()).isEqualTo(1);
        assertThat(stage.buffer.droppedLate()).isEqualTo(1);
    }

    @Test
    void aLateControlMessageReleasesNothing() {
        stage.buffer.reset(0, sink);
        stage.accept(1, packet(), 0, sink);
        stage.buffer.poll(stage.timeout.nanos() + MS, sink);
        stage.accept(0, ReorderStage.SKIP, 2 * stage.timeout.nanos(), sink);
        assertThat(released).containsExactly(1L);
        assertThat(stage.lateReleased()).isZero();
    }
}
