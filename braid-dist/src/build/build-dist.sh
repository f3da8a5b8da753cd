#!/usr/bin/env bash
# Builds braid's distribution from the jars in --lib (run by Maven in braid-dist's package phase):
#   OUT/runtime/                          a jlink image with the JDK modules braid needs
#   OUT/braid-VERSION/                    self-contained tree: bin/braid, runtime/, lib/, share/
#   OUT/braid-VERSION-linux-x64.tar.gz    that tree, packed
#   OUT/deb/                              the .deb's root: /usr/lib/braid, /usr/bin/braid, unit, /etc/braid
#   OUT/braid_DEBVERSION_amd64.deb        built with dpkg-deb (skipped, with the reason, without it)
# Offline: only the JDK, coreutils, tar and dpkg-deb. The runtime is relinked only when the JDK or
# the module list changes, so a rebuild takes a few seconds.
set -euo pipefail

for arg in "$@"; do
  case "$arg" in
    --jdk=*) jdk=${arg#*=} ;;
    --version=*) version=${arg#*=} ;;
    --lib=*) lib=${arg#*=} ;;
    --src=*) src=${arg#*=} ;;
    --docs=*) repo=${arg#*=} ;;
    --out=*) out=${arg#*=} ;;
    --base-modules=*) base_modules=${arg#*=} ;;
    *) echo "build-dist: unknown argument $arg" >&2; exit 2 ;;
  esac
done
: "${jdk:?--jdk}" "${version:?--version}" "${lib:?--lib}" "${src:?--src}" "${repo:?--docs}" "${out:?--out}"
: "${base_modules:=java.base}"
umask 022
say() { echo "[braid-dist] $*"; }

# Debian orders '~' before anything, so 0.1.0~SNAPSHOT < 0.1.0 as a snapshot should be.
deb_version=${version//-/\~}
jars=("$lib"/*.jar)
[ -e "${jars[0]}" ] || { echo "build-dist: no jars in $lib" >&2; exit 1; }

# 1. The JDK modules: what jdeps sees in the jars, plus the base list (reflection it cannot see).
found=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 \
  --class-path "$lib/*" "${jars[@]}" 2>/dev/null | tail -1)
[ -n "$found" ] || { echo "build-dist: jdeps found no modules" >&2; exit 1; }
modules=$(printf '%s\n' ${found//,/ } ${base_modules//,/ } | sort -u | paste -sd, -)
say "JDK modules: $modules (jdeps: $found)"

# 2. The runtime image, relinked only when the JDK or the modules changed.
runtime="$out/runtime"
stamp="$("$jdk/bin/java" -version 2>&1 | tr '\n' ' ') modules=$modules"
if [ -x "$runtime/bin/java" ] && [ "$(cat "$out/runtime.stamp" 2>/dev/null)" = "$stamp" ]; then
  say "runtime image up to date"
else
  rm -rf "$runtime" "$out/runtime.stamp"
  # --generate-cds-archive: the image's class-data archive cuts `braid --version` from ~350 to
  # ~270 ms. Its twin for heaps over 32 GB (no compressed oops) is 14 MB that braid never uses.
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --generate-cds-archive --output "$runtime" >/dev/null
  rm -f "$runtime/lib/server/classes_nocoops.jsa"
  echo "$stamp" > "$out/runtime.stamp"
  say "runtime image linked: $(du -sh "$runtime" | cut -f1)"
fi

# 3. The self-contained tree. The launcher finds the runtime and jars beside itself, so the same
#    script serves the tarball and /usr/lib/braid (where /usr/bin/braid links to it).
copy_app() {  # $1 = destination app root
  mkdir -p "$1/bin" "$1/lib"
  cp -a "$runtime" "$1/runtime"
  cp "${jars[@]}" "$1/lib/"
  install -m 0755 "$src/deb/braid" "$1/bin/braid"
}
docs() {  # $1 = destination doc folder
  mkdir -p "$1/examples"
  cp "$repo/README.md" "$1/README.md"
  cp "$repo/docs/packaging.md" "$1/packaging.md"
  cp "$src/deb/copyright" "$1/copyright"
  cp "$src/deb/braid0.conf.example" "$1/examples/braid0.conf"
}

tree="$out/braid-$version"
rm -rf "$tree"
copy_app "$tree"
mkdir -p "$tree/share/systemd"
cp "$src/systemd/braid@.service" "$tree/share/systemd/"
docs "$tree/share/doc"
tar -C "$out" -cf - "braid-$version" | gzip -1 > "$out/braid-$version-linux-x64.tar.gz"
say "tarball: $out/braid-$version-linux-x64.tar.gz ($(du -h "$out/braid-$version-linux-x64.tar.gz" | cut -f1))"

# 4. The .deb root.
root="$out/deb"
rm -rf "$root"
copy_app "$root/usr/lib/braid"
mkdir -p "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/braid" "$root/DEBIAN"
ln -s ../lib/braid/bin/braid "$root/usr/bin/braid"
install -m 0644 "$src/systemd/braid@.service" "$root/lib/systemd/system/braid@.service"
docs "$root/usr/share/doc/braid"
chmod -R u+rwX,go+rX,go-w "$root"
chmod 0700 "$root/etc/braid"   # configurations hold private keys
installed_kib=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@INSTALLED_SIZE@/$installed_kib/" \
  "$src/deb/control" > "$root/DEBIAN/control"
install -m 0755 "$src/deb/postinst" "$src/deb/postrm" "$root/DEBIAN/"

# 5. The .deb itself.
deb="$out/braid_${deb_version}_amd64.deb"
rm -f "$deb"
if ! command -v dpkg-deb >/dev/null 2>&1; then
  say "skipping the .deb: dpkg-deb is not installed (apt-get install dpkg); the tree is in $root"
  exit 0
fi
# gzip -1: the jlink image is already compressed, and this runs in every test build. Measured on
# 2 cores: -z1 2 s and 28.8 MB, default -z9 ~10 s and 27 MB, xz ~45 s and 22.7 MB.
dpkg-deb --build --root-owner-group -Zgzip -z1 "$root" "$deb" >/dev/null
say "package: $deb ($(du -h "$deb" | cut -f1))"
