package net.braid.dist;

import java.nio.file.Path;

/**
 * What braid-dist's package phase built, found through the properties the pom hands to the
 * tests (so the paths follow -Dbraid.buildSuffix).
 */
record Distribution(Path out, Path src, Path repo, String version) {

    static Distribution built() {
        return new Distribution(
                Path.of(System.getProperty("braid.dist.out", "target")).toAbsolutePath(),
                Path.of(System.getProperty("braid.dist.src", "src")).toAbsolutePath(),
                Path.of(System.getProperty("braid.repo", "..")).toAbsolutePath().normalize(),
                System.getProperty("braid.version", "0.1.0-SNAPSHOT"));
    }

    /** Debian sorts '~' first, so 0.1.0~SNAPSHOT comes before the release 0.1.0. */
    String debVersion() {
        return version.replace('-', '~');
    }

    /** The self-contained tree (also packed as the tarball). */
    Path tree() {
        return out.resolve("braid-" + version);
    }

    Path launcher() {
        return tree().resolve("bin/braid");
    }

    Path debRoot() {
        return out.resolve("deb");
    }

    Path deb() {
        return out.resolve("braid_" + debVersion() + "_amd64.deb");
    }

    Path unitSource() {
        return src.resolve("systemd/braid@.service");
    }
}
