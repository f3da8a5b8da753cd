package net.braid.testbed.impair;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs an {@link ImpairmentRelay} as its own process, e.g. inside a test-bed namespace:
 *
 * <pre>
 * java -cp ... net.braid.testbed.impair.ImpairmentRelayMain --listen 198.18.0.2:7000 --target 198.18.1.2:7001 \
 *     --delay 20ms --jitter 5ms --loss 1% --rate 50mbit [--up-delay 30ms] [--schedule "5s cut; 10s restore"]
 * </pre>
 *
 * Every {@link RelayCommand} word is also an option: {@code --NAME VALUES...} applies to both
 * directions, {@code --up-NAME} and {@code --down-NAME} to one. Further options: {@code --seed N},
 * {@code --slots N}, {@code --max-datagram BYTES}. It prints {@code listening ADDR target ADDR}
 * once bound, then reads commands from stdin, one per line, and answers each with exactly one
 * line on stdout: {@code ok ...}, {@code stats up.received=...}, {@code show ...} or
 * {@code error ...}. End of input leaves it running; it stops on SIGTERM.
 */
public final class ImpairmentRelayMain {
    private ImpairmentRelayMain() {}

    /** The parsed command line. */
    record Options(InetSocketAddress listen, InetSocketAddress target, Optional<Long> seed, int slots, int maxDatagram,
            List<String> commands, Schedule schedule) {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        ImpairmentRelay.Builder builder = ImpairmentRelay.listen(options.listen()).target(options.target())
                .slots(options.slots()).maxDatagram(options.maxDatagram());
        options.seed().ifPresent(builder::seed);
        ImpairmentRelay relay = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close));
        for (String command : options.commands()) {
            relay.command(command);
        }
        System.out.println("listening " + SocketAddresses.format(relay.listenAddress()) + " target " + SocketAddresses.format(relay.target()));
        System.out.flush();
        if (!options.schedule().steps().isEmpty()) {
            options.schedule().start(relay);
        }
        serve(relay, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
        Thread.currentThread().join(); // stdin ended (or was never there): keep relaying until killed
    }

    /** Answers every line of {@code in} with one line on {@code out}, until end of input. */
    static void serve(ImpairmentControl relay, BufferedReader in, PrintStream out) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            String command = line.strip();
            if (command.isEmpty() || command.startsWith("#")) {
                continue;
            }
            String answer;
            try {
                answer = relay.command(command);
            } catch (RuntimeException e) {
                answer = "error " + e.getMessage();
            }
            out.println(answer);
            out.flush();
        }
    }

    static Options parse(List<String> args) {
        InetSocketAddress listen = null;
        InetSocketAddress target = null;
        Optional<Long> seed = Optional.empty();
        int slots = 4096;
        int maxDatagram = 2048;
        Schedule schedule = Schedule.empty();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < args.size(); ) {
            String option = args.get(i++);
            if (!option.startsWith("--") || option.length() == 2) {
                throw new IllegalArgumentException("expected an option, got " + option);
            }
            List<String> values = new ArrayList<>();
            while (i < args.size() && !args.get(i).startsWith("--")) {
                values.add(args.get(i++));
            }
            String name = option.substring(2);
            switch (name) {
                case "listen" -> listen = SocketAddresses.parse(single(option, values));
                case "target" -> target = SocketAddresses.parse(single(option, values));
                case "seed" -> seed = Optional.of(Long.parseLong(single(option, values)));
                case "slots" -> slots = Integer.parseInt(single(option, values));
                case "max-datagram" -> maxDatagram = Math.toIntExact(Units.parseSize(single(option, values)));
                case "schedule" -> schedule = Schedule.parse(String.join(" ", values));
                default -> {
                    String command = toCommand(name, values);
                    RelayCommand parsed = RelayCommand.parse(command);
                    if (!(parsed instanceof RelayCommand.Change) && !(parsed instanceof RelayCommand.Cut)) {
                        throw new IllegalArgumentException("not an option: " + option);
                    }
                    commands.add(command);
                }
            }
        }
        if (listen == null || target == null) {
            throw new IllegalArgumentException("--listen ADDR:PORT and --target ADDR:PORT are required");
        }
        return new Options(listen, target, seed, slots, maxDatagram, List.copyOf(commands), schedule);
    }

    /** {@code up-delay [30ms]} becomes {@code up delay 30ms}. */
    private static String toCommand(String name, List<String> values) {
        String words = name;
        for (String direction : List.of("up-", "down-", "both-")) {
            if (name.startsWith(direction)) {
                words = direction.substring(0, direction.length() - 1) + " " + name.substring(direction.length());
            }
        }
        return values.isEmpty() ? words : words + " " + String.join(" ", values);
    }

    private static String single(String option, List<String> values) {
        if (values.size() != 1) {
            throw new IllegalArgumentException(option + " takes one value, got " + values);
        }
        return values.getFirst();
    }
}
