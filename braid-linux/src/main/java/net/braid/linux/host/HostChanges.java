package net.braid.linux.host;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.braid.linux.HostCommand;

/**
 * Applies a {@link HostPlan} and takes it back. Each change's inverse is written to a journal
 * (and forced to disk) before the change is made, so whatever a crash or {@code kill -9} leaves
 * behind is undone by {@link #recover} on the next start.
 *
 * <p>Journal lines: {@code ip ARGS...}, {@code nft delete table FAMILY NAME} or
 * {@code sysctl KEY VALUE}, space separated (braid's own arguments never hold spaces).
 */
public final class HostChanges implements AutoCloseable {
    private static final String IP = HostCommand.locate("ip");
    private static final String NFT = HostCommand.locate("nft");

    private final Path journal;
    private final List<String> undo;
    private boolean closed;

    private HostChanges(Path journal, List<String> undo) {
        this.journal = journal;
        this.undo = undo;
    }

    /**
     * Undoes what an earlier run left in {@code journal}, if anything, and removes it.
     *
     * @return one line per change taken back, and per inverse that failed (it may never have been made)
     */
    public static List<String> recover(Path journal) throws IOException {
        if (!Files.exists(journal)) return List.of();
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        List<String> report = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            try {
                undoLine(line);
                report.add("undid: " + line);
            } catch (IOException e) {
                report.add("could not undo (" + line + "): " + e.getMessage());
            }
        }
        Files.delete(journal);
        return report;
    }

    /** Applies {@code plan}; on a failure, takes back what was applied and rethrows. */
    public static HostChanges apply(HostPlan plan, Path journal) throws IOException {
        Files.createDirectories(journal.toAbsolutePath().getParent());
        Files.deleteIfExists(journal);
        HostChanges done = new HostChanges(journal, new ArrayList<>());
        try (FileChannel out = FileChannel.open(journal, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (HostChange change : plan.changes()) {
                String inverse = switch (change) {
                    case HostChange.Ip ip -> "ip " + String.join(" ", ip.undo());
                    case HostChange.NftTable t -> "nft delete table " + t.family() + " " + t.name();
                    case HostChange.Sysctl s -> "sysctl " + s.key() + " " + readSysctl(s.key());
                };
                out.write(StandardCharsets.UTF_8.encode(inverse + "\n"));
                out.force(false);
                try {
                    make(change);
                } catch (IOException e) {
                    throw new IOException("setting up the host failed at " + change + ": " + e.getMessage(), e);
                }
                done.undo.add(inverse); // in the journal already, in case we die before this line
            }
        } catch (IOException | RuntimeException e) {
            done.close();
            throw e;
        }
        return done;
    }

    private static void make(HostChange change) throws IOException {
        switch (change) {
            case HostChange.Ip ip -> HostCommand.run(withTool(IP, ip.apply()));
            case HostChange.NftTable t -> HostCommand.run(List.of(NFT, "-f", "-"), t.script());
            case HostChange.Sysctl s -> writeSysctl(s.key(), s.value());
        }
    }

    private static void undoLine(String line) throws IOException {
        List<String> words = Arrays.asList(line.split(" +"));
        switch (words.getFirst()) {
            case "ip" -> HostCommand.run(withTool(IP, words.subList(1, words.size())));
            case "nft" -> HostCommand.run(withTool(NFT, words.subList(1, words.size())));
            case "sysctl" -> {
                if (words.size() != 3) throw new IOException("malformed journal line");
                writeSysctl(words.get(1), words.get(2));
            }
            default -> throw new IOException("unknown journal line");
        }
    }

    private static List<String> withTool(String tool, List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(tool);
        command.addAll(args);
        return command;
    }

    static Path sysctlPath(String key) {
        if (!key.matches("[a-z0-9_]+(\\.[A-Za-z0-9_+=-]+)+")) throw new IllegalArgumentException("not a sysctl key: " + key);
        return Path.of("/proc/sys", key.replace('.', '/'));
    }

    private static String readSysctl(String key) throws IOException {
        return Files.readString(sysctlPath(key)).strip();
    }

    private static void writeSysctl(String key, String value) throws IOException {
        try {
            Files.writeString(sysctlPath(key), value);
        } catch (IOException e) {
            throw new IOException("cannot set " + key + " to " + value + ": " + e.getMessage(), e);
        }
    }

    /** Takes every change back, last first; failures are reported on stderr and do not stop the rest. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (int i = undo.size() - 1; i >= 0; i--) {
            try {
                undoLine(undo.get(i));
            } catch (IOException e) {
                // A route that went with its TUN is already gone; anything else is worth a line.
                if (!undo.get(i).contains(" route del ")) System.err.println("braid: could not undo " + undo.get(i) + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(journal);
        } catch (IOException e) {
            System.err.println("braid: could not remove " + journal + ": " + e.getMessage());
        }
    }
}
