# Shared pieces of the bench/ scripts: source it, then call the functions below.
#   bench_require_root NAME               exit unless root (network namespaces need it)
#   bench_install_tools TOOL=PKG ...      apt-get install the packages of missing tools
#   bench_java MAIN_CLASS ARGS...         build if needed, then exec MAIN_CLASS on braid-cli's test class path
# BRAID_BUILD_SUFFIX=-x builds into target-x, so a benchmark can build beside other builds of the tree.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

bench_require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1: needs root to make network namespaces; run it with sudo" >&2
    exit 1
  fi
}

bench_install_tools() {
  local missing=() spec
  for spec in "$@"; do
    command -v "${spec%%=*}" >/dev/null 2>&1 || missing+=("${spec#*=}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# Compiles braid-cli with its test classes (and the modules it needs) when a source or pom is newer
# than the last build, and records the runtime class path next to the classes.
bench_build() {
  local target="$bench_root/braid-cli/target${BRAID_BUILD_SUFFIX:-}"
  bench_classpath_file="$target/bench-classpath.txt"
  if [ -f "$bench_classpath_file" ] && [ -z "$(find "$bench_root" \( -name .git -o -name 'target*' \) -prune -o \
      \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -type f -newer "$bench_classpath_file" -print -quit)" ]; then
    return 0
  fi
  echo "building braid (target${BRAID_BUILD_SUFFIX:-}) ..." >&2
  (cd "$bench_root" && ./mvnw -q -B -DskipTests -Dbraid.buildSuffix="${BRAID_BUILD_SUFFIX:-}" -pl braid-cli -am \
      test-compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$bench_classpath_file.tmp" >&2)
  mv "$bench_classpath_file.tmp" "$bench_classpath_file"
}

bench_java() {
  local main=$1
  shift
  JAVA_HOME=$("$bench_root/bin/java25")
  export JAVA_HOME
  # Maven 3.9 still calls sun.misc.Unsafe; on JDK 25 that prints warnings unless allowed.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  bench_build
  local target="$bench_root/braid-cli/target${BRAID_BUILD_SUFFIX:-}"
  cd "$bench_root"
  # exec: Ctrl-C and SIGTERM reach the JVM, whose shutdown hooks remove namespaces and processes.
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
    -cp "$target/test-classes:$target/classes:$(cat "$bench_classpath_file")" "$main" "$@"
}
