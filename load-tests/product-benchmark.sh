#!/usr/bin/env bash
# Issue #15's benchmark of the product as shipped: `./kaskade up` (default settings, payload logging
# on) measured from separate processes, with its baselines (embedded broker cold start, Kafka floor,
# direct Vert.x + ONNX Runtime server, worker alone) in the same run. Writes
# docs/benchmarks/product-benchmark.md and the SVG charts next to it.
#
# Usage (from anywhere): load-tests/product-benchmark.sh [--duration 15s] [--warmup 5s]
#   [--rates 100,1000] [--connections 64] [--peak-connections 256] [--outstanding 1000] [--idle 20s] [--settle 30s]
#   [--base-port 18000]
#   [--worker-requests 50000] [--parts broker,direct,worker,kaskade]
#   [--protocols v1,v2,v2-binary,grpc,async] [--out-dir docs/benchmarks] [--tmp-prefix P]
# See load-tests/README.md ("Product benchmark").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. "$root/.ci/select-jdk.sh"
kaskade_select_jdk
# hey (Debian package) runs the V2 REST closed loop a second time, as a cheaper generator than the
# load tool's JVM; without it those steps are skipped.
if ! command -v hey >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo -n"
  { $sudo_cmd apt-get install -y -qq hey >/dev/null 2>&1; } || echo "hey not installed: its steps are skipped" >&2
fi
# Builds and installs every module when sources changed since the last build (not timed).
./kaskade version >/dev/null
work="$root/load-tests/target/product-benchmark"
mkdir -p "$work"
./mvnw -q -B -pl load-tests compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath.txt" >&2
# ONNX Runtime's native start crashes a JVM whose command line holds an argument over ~4 KB
# (load-tests/README.md), so the class path goes into a manifest-only jar.
{
  echo "Manifest-Version: 1.0"
  echo "Main-Class: dev.kaskade.loadtests.product.ProductBenchmark"
  echo "Class-Path: file://$root/load-tests/target/classes/ "
  tr ':' '\n' <"$work/classpath.txt" | sed 's/ /%20/g; s|^| file://|; s|$| |'
  echo   # a manifest header counts only once its line is ended
} >"$work/MANIFEST.MF"
rm -f "$work/product-benchmark.jar"
mkdir -p "$work/empty"
"$JAVA_HOME/bin/jar" --create --file "$work/product-benchmark.jar" --manifest "$work/MANIFEST.MF" -C "$work/empty" .
exec "$JAVA_HOME/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED \
  -jar "$work/product-benchmark.jar" --repo "$root" --command "load-tests/product-benchmark.sh $*" "$@"
