# Sourced by ./kaskade and .ci/run: exports JAVA_HOME of a JDK >= 21, or fails clearly.
kaskade_java_major() {
  # A JDK's release file names its version; reading it costs nothing, where asking each candidate
  # JVM cost ~0.1 s apiece on every `kaskade` command. Old-style "1.8.0_..." reads as 1.
  local version=""
  [ -f "$1/release" ] && version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1)"
  if [ -z "$version" ]; then
    version="$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)"
  fi
  echo "$version"
}
kaskade_select_jdk() {
  local candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(kaskade_java_major "$candidate")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "error: Kaskade needs a JDK 21 or newer; none found in JAVA_HOME, /usr/lib/jvm or on PATH." >&2
    echo "       Install one (e.g. Temurin 21+) and set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export KASKADE_JAVA_MAJOR="$best_major"
  export PATH="$JAVA_HOME/bin:$PATH"
}
