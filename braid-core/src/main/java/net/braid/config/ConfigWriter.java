package net.braid.config;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Renders a {@link TunnelConfig} as INI that {@link ConfigLoader} reads back to an equal config.
 * Name and MTU are always written, so the file does not depend on its own name. A peer's
 * {@code [Path]} sections follow it, Transport always written, Metric when not 0.
 */
public final class ConfigWriter {

    private ConfigWriter() {
    }

    public static String render(TunnelConfig config) {
        StringBuilder out = new StringBuilder();
        InterfaceSection iface = config.iface();
        out.append("[Interface]\n");
        line(out, InterfaceReader.NAME, iface.name());
        line(out, InterfaceReader.PRIVATE_KEY, iface.privateKey().toBase64());
        line(out, InterfaceReader.ADDRESS, joined(iface.addresses()));
        line(out, InterfaceReader.LISTEN_PORT, iface.listenPort());
        line(out, InterfaceReader.MTU, String.valueOf(iface.mtu()));
        line(out, InterfaceReader.PERSISTENT_KEEPALIVE, iface.persistentKeepalive());
        host(out, iface.host());
        for (PeerSection peer : config.peers()) {
            out.append("\n[Peer]\n");
            line(out, PeerReader.PUBLIC_KEY, peer.publicKey().toBase64());
            peer.endpoint().ifPresent(e -> line(out, PeerReader.ENDPOINT, e.toString()));
            if (!peer.allowedIps().isEmpty()) {
                line(out, PeerReader.ALLOWED_IPS, joined(peer.allowedIps()));
            }
            line(out, InterfaceReader.PERSISTENT_KEEPALIVE, peer.persistentKeepalive());
            for (PathSection path : peer.declaredPaths()) {
                out.append("\n[Path]\n");
                line(out, PathReader.TRANSPORT, path.transport().toString());
                path.bind().ifPresent(b -> line(out, PathReader.BIND, b.toString()));
                path.endpoint().ifPresent(e -> line(out, PathReader.ENDPOINT, e.toString()));
                if (path.metric() != 0) {
                    line(out, PathReader.METRIC, String.valueOf(path.metric()));
                }
            }
        }
        return out.toString();
    }

    /** The host keys that differ from {@link HostSetup#NONE}; hooks one line per command. */
    private static void host(StringBuilder out, HostSetup host) {
        if (!host.table().equals(HostSetup.Table.AUTO)) line(out, InterfaceReader.TABLE, host.table().toString());
        if (host.fwMark() != 0) line(out, InterfaceReader.FW_MARK, "0x" + Long.toHexString(host.fwMark()));
        if (host.forward()) line(out, InterfaceReader.FORWARD, "on");
        if (host.masquerade()) line(out, InterfaceReader.MASQUERADE, "on");
        if (!host.lend().isEmpty()) line(out, InterfaceReader.LEND_ADDRESS, joined(host.lend()));
        if (!host.keepLocal().equals(HostSetup.DEFAULT_KEEP_LOCAL)) {
            line(out, InterfaceReader.KEEP_LOCAL, host.keepLocal().stream().map(Object::toString).collect(Collectors.joining(", ")));
        }
        host.hooks().preUp().forEach(c -> line(out, InterfaceReader.PRE_UP, c));
        host.hooks().postUp().forEach(c -> line(out, InterfaceReader.POST_UP, c));
        host.hooks().preDown().forEach(c -> line(out, InterfaceReader.PRE_DOWN, c));
        host.hooks().postDown().forEach(c -> line(out, InterfaceReader.POST_DOWN, c));
    }

    /**
     * Writes the rendered config to {@code file}, readable by its owner only where the file
     * system has POSIX permissions (it holds a private key), replacing the file in one step.
     */
    public static void write(TunnelConfig config, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        FileAttribute<?>[] ownerOnly = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly);
        try {
            Files.writeString(temporary, render(config));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String joined(List<IpPrefix> prefixes) {
        return prefixes.stream().map(IpPrefix::toString).collect(Collectors.joining(", "));
    }

    private static void line(StringBuilder out, String key, OptionalInt value) {
        value.ifPresent(v -> line(out, key, String.valueOf(v)));
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(" = ").append(value).append('\n');
    }
}
