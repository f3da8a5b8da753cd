package net.braid.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the CPU offers for AES-GCM, read from /proc/cpuinfo: the JDK turns AES-GCM into AES-NI
 * and carry-less multiply instructions (x86 aes + pclmulqdq, arm64 aes + pmull) when they exist;
 * without them ChaCha20-Poly1305 is the faster cipher.
 */
public final class CpuFeatures {
    private static final Pattern FLAGS = Pattern.compile("(?m)^(?:flags|Features)\\s*:\\s*(.*)$");

    private CpuFeatures() {}

    public static boolean aesGcmAccelerated() {
        try {
            return aesGcmAccelerated(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean aesGcmAccelerated(String cpuinfo) {
        var m = FLAGS.matcher(cpuinfo);
        if (!m.find()) return false;
        Set<String> flags = Set.of(m.group(1).trim().split("\\s+"));
        return flags.contains("aes") && (flags.contains("pclmulqdq") || flags.contains("pmull"));
    }
}
