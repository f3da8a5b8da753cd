package net.braid.linux.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.braid.config.IpPrefix;
import net.braid.linux.HostCommand;

/** Reads {@link MultihomeAdvice.DeviceFacts} from /proc/sys and iproute2 in the current namespace. */
public final class DeviceFactsReader {
    private static final String IP = HostCommand.locate("ip");

    private DeviceFactsReader() {}

    public static MultihomeAdvice.DeviceFacts read(String device) {
        if (!exists(device)) {
            return new MultihomeAdvice.DeviceFacts(device, false, 0, 0, 0, List.of(), false);
        }
        return new MultihomeAdvice.DeviceFacts(device, true, sysctl(device, "rp_filter"), sysctl(device, "arp_ignore"),
                sysctl(device, "arp_announce"), subnets(device), hasDefaultRoute(device));
    }

    /** Asks iproute2 rather than /sys/class/net, which shows the namespace sysfs was mounted in, not this thread's. */
    private static boolean exists(String device) {
        try {
            HostCommand.run(List.of(IP, "link", "show", "dev", device));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The kernel uses the larger of the "all" and the device's value for these three. */
    private static int sysctl(String device, String key) {
        return Math.max(readInt("all", key), readInt(device, key));
    }

    private static int readInt(String scope, String key) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/conf", scope, key)).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** From {@code ip -o addr show dev D}: "2: eth0    inet 192.0.2.5/24 brd ... scope global eth0". */
    private static List<IpPrefix> subnets(String device) {
        List<IpPrefix> subnets = new ArrayList<>();
        try {
            for (String line : HostCommand.run(List.of(IP, "-o", "addr", "show", "dev", device)).split("\n")) {
                String[] words = line.trim().split("\\s+");
                for (int i = 0; i + 1 < words.length; i++) {
                    if ((words[i].equals("inet") || words[i].equals("inet6")) && !words[i + 1].startsWith("fe80")) {
                        subnets.add(IpPrefix.parse(words[i + 1]).network());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no addresses known: no shared-subnet advice
        }
        return subnets;
    }

    private static boolean hasDefaultRoute(String device) {
        try {
            return !HostCommand.run(List.of(IP, "-4", "route", "show", "default", "dev", device)).isBlank()
                    || !HostCommand.run(List.of(IP, "-6", "route", "show", "default", "dev", device)).isBlank();
        } catch (IOException e) {
            return true; // unknown: say nothing
        }
    }
}
