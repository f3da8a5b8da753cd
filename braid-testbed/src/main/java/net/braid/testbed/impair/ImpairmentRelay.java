package net.braid.testbed.impair;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A UDP relay that impairs what it carries: datagrams arriving on the listen address go to a
 * fixed target, and the target's answers go back to the last client heard from (one client per
 * relay; a braid path is one UDP flow). Each {@link Direction} has its own {@link Impairment}
 * (delay, jitter, loss, rate with a bounded queue, duplication), can be cut and restored, and
 * counts what it did. Every setter is safe to call while traffic flows.
 *
 * <pre>{@code
 * try (ImpairmentRelay relay = ImpairmentRelay.listen(new InetSocketAddress(loopback, 0))
 *         .target(echo).impairment(Impairment.NONE.withDelay(Duration.ofMillis(20))).start()) {
 *     send to relay.listenAddress() ...
 *     relay.cut(); relay.restore(); relay.counters();
 * }
 * }</pre>
 *
 * It binds in the network namespace of the JVM; to run it inside a test-bed namespace, start
 * {@link ImpairmentRelayMain} there ({@link ImpairedPath} does).
 */
public final class ImpairmentRelay implements ImpairmentControl, AutoCloseable {
    private final DatagramChannel listen;
    private final DatagramChannel upstream;
    private final InetSocketAddress target;
    private final Map<Direction, Lane> lanes = new EnumMap<>(Direction.class);
    private volatile SocketAddress client;
    private boolean closed;

    private ImpairmentRelay(Builder b) throws IOException {
        this.target = b.target;
        DatagramChannel listening = null;
        DatagramChannel connected = null;
        try {
            listening = open(b.listen);
            listening.bind(b.listen);
            connected = open(b.target);
            connected.connect(b.target);
        } catch (IOException | RuntimeException e) {
            closeQuietly(listening);
            closeQuietly(connected);
            throw e;
        }
        this.listen = listening;
        this.upstream = connected;
        lanes.put(Direction.UP, new Lane(Direction.UP, this::receiveFromClient, datagram -> {
            upstream.write(datagram);
            return true;
        }, b.impairments.get(Direction.UP), b.seed, b.slots, b.maxDatagram));
        lanes.put(Direction.DOWN, new Lane(Direction.DOWN, datagram -> upstream.read(datagram) > 0, datagram -> {
            SocketAddress to = client;
            return to != null && listen.send(datagram, to) > 0;
        }, b.impairments.get(Direction.DOWN), b.seed + 1, b.slots, b.maxDatagram));
        lanes.values().forEach(Lane::start);
    }

    /** Starts building a relay that listens on {@code address} (port 0 picks a free port). */
    public static Builder listen(InetSocketAddress address) {
        return new Builder(address);
    }

    private boolean receiveFromClient(ByteBuffer into) throws IOException {
        SocketAddress from = listen.receive(into);
        if (from == null) {
            return false;
        }
        if (!from.equals(client)) {
            client = from;
        }
        return true;
    }

    /** The bound listen address, with the real port if 0 was asked for. */
    public InetSocketAddress listenAddress() {
        try {
            return (InetSocketAddress) listen.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress target() {
        return target;
    }

    /** The client answers go to: whoever sent to the listen address last. */
    public Optional<SocketAddress> client() {
        return Optional.ofNullable(client);
    }

    public Impairment impairment(Direction direction) {
        return lanes.get(direction).impairment();
    }

    public ImpairmentRelay set(Direction direction, Impairment impairment) {
        lanes.get(direction).impairment(Objects.requireNonNull(impairment));
        return this;
    }

    /** Sets both directions alike. */
    public ImpairmentRelay set(Impairment impairment) {
        for (Direction d : Direction.values()) {
            set(d, impairment);
        }
        return this;
    }

    /** Changes one direction's impairment, e.g. {@code update(UP, i -> i.withRate(10_000_000))}. */
    public synchronized ImpairmentRelay update(Direction direction, UnaryOperator<Impairment> change) {
        // synchronized so two updates of different parameters cannot lose one another
        return set(direction, change.apply(impairment(direction)));
    }

    public ImpairmentRelay update(UnaryOperator<Impairment> change) {
        for (Direction d : Direction.values()) {
            update(d, change);
        }
        return this;
    }

    @Override
    public void cut() {
        lanes.values().forEach(lane -> lane.cut(true));
    }

    @Override
    public void restore() {
        lanes.values().forEach(lane -> lane.cut(false));
    }

    public void cut(Direction direction) {
        lanes.get(direction).cut(true);
    }

    public void restore(Direction direction) {
        lanes.get(direction).cut(false);
    }

    public boolean isCut(Direction direction) {
        return lanes.get(direction).isCut();
    }

    @Override
    public RelayCounters counters() {
        return new RelayCounters(lanes.get(Direction.UP).counters(), lanes.get(Direction.DOWN).counters());
    }

    /** Datagrams of {@code direction} admitted and not yet sent (waiting out delay or rate). */
    public int waiting(Direction direction) {
        return lanes.get(direction).waiting();
    }

    @Override
    public String command(String line) {
        return apply(RelayCommand.parse(line), line.strip());
    }

    /** Applies a parsed command; the answer starts with {@code ok}, {@code stats} or {@code show}. */
    public String apply(RelayCommand command, String echo) {
        switch (command) {
            case RelayCommand.Cut cut -> cut.directions().forEach(this::cut);
            case RelayCommand.Restore restore -> restore.directions().forEach(this::restore);
            case RelayCommand.Change change -> change.directions().forEach(d -> update(d, change.setting()::applyTo));
            case RelayCommand.Stats stats -> {
                return "stats " + counters().format();
            }
            case RelayCommand.Show show -> {
                return "show up: " + describe(Direction.UP) + " | down: " + describe(Direction.DOWN);
            }
        }
        return "ok " + echo;
    }

    private String describe(Direction direction) {
        return impairment(direction) + (isCut(direction) ? " cut" : "");
    }

    /** Stops both directions and closes the sockets; what is still waiting is dropped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        lanes.values().forEach(Lane::stop);
        closeQuietly(listen);
        closeQuietly(upstream);
        try {
            for (Lane lane : lanes.values()) {
                lane.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DatagramChannel open(InetSocketAddress address) throws IOException {
        ProtocolFamily family = address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel channel = DatagramChannel.open(family);
        // Large buffers, so bursts wait in the relay's queue (where they are counted), not the kernel's.
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        return channel;
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing to stop; nothing left to do
            }
        }
    }

    @Override
    public String toString() {
        return "ImpairmentRelay[" + listenAddress() + " -> " + target + ", up: " + describe(Direction.UP) + ", down: " + describe(Direction.DOWN) + "]";
    }

    /** Settings for {@link ImpairmentRelay#listen}. */
    public static final class Builder {
        private final InetSocketAddress listen;
        private InetSocketAddress target;
        private final Map<Direction, Impairment> impairments = new EnumMap<>(Direction.class);
        private long seed = System.nanoTime();
        private int slots = 4096;
        private int maxDatagram = 2048;

        private Builder(InetSocketAddress listen) {
            this.listen = Objects.requireNonNull(listen, "listen");
            impairments.put(Direction.UP, Impairment.NONE);
            impairments.put(Direction.DOWN, Impairment.NONE);
        }

        public Builder target(InetSocketAddress target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** Both directions. */
        public Builder impairment(Impairment impairment) {
            impairments.put(Direction.UP, Objects.requireNonNull(impairment));
            impairments.put(Direction.DOWN, impairment);
            return this;
        }

        public Builder impairment(Direction direction, Impairment impairment) {
            impairments.put(direction, Objects.requireNonNull(impairment));
            return this;
        }

        /** Seeds loss, jitter and duplication, for a run that can be repeated. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How many datagrams each direction can hold at once (default 4096); more are dropped as queue drops. */
        public Builder slots(int slots) {
            this.slots = slots;
            return this;
        }

        /** The largest datagram carried (default 2048 bytes); larger ones count as errors. */
        public Builder maxDatagram(int bytes) {
            this.maxDatagram = bytes;
            return this;
        }

        public ImpairmentRelay start() throws IOException {
            if (target == null) {
                throw new IllegalStateException("no target set");
            }
            if (maxDatagram < 1 || maxDatagram > 65535) {
                throw new IllegalArgumentException("max datagram must be 1-65535 bytes: " + maxDatagram);
            }
            return new ImpairmentRelay(this);
        }
    }
}
