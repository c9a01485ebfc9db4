#!/usr/bin/env bash
# Builds the base image of ghcr.io/kaskade/kaskade without a registry or a Docker daemon:
# a root file system from Debian packages (the C and C++ runtimes that the JVM and ONNX Runtime
# load) plus a Java runtime made by jlink from the JDK that runs the build, written as a
# `docker save`-format tarball that Jib takes as its base (-Dimage.base=tar://…).
#
#   cli/src/image/debian-base.sh OUT_DIR      → OUT_DIR/kaskade-base.tar
#
# Needs apt-get and dpkg-deb (Debian or Ubuntu) with its package mirror reachable, and
# JAVA_HOME (a JDK >= 21 with jlink). The packages are those of the build machine's release
# and architecture. A second run with the same JDK and script reuses the tarball.
set -euo pipefail

out=${1:?usage: debian-base.sh OUT_DIR}
# libc6: the C library and the dynamic loader; libgcc-s1 and libstdc++6: the C++ runtime of ONNX
# Runtime, RocksDB, XGBoost, …; libgomp1: OpenMP, for XGBoost, LightGBM and llama.cpp (ImageIT
# checks every bundled native library against these); zlib1g: the JVM's zip; base-files and
# netbase: /etc/os-release, /etc/services, …
packages=(base-files netbase libc6 libgcc-s1 libstdc++6 libgomp1 zlib1g)
# The JDK's development tools are left out of the runtime; jlink adds what the rest requires.
tool_modules='^(jdk\.(compiler|editpad|graal\..*|hotspot\.agent|internal\.(ed|le|opt|vm\.ci)|jartool|javadoc|jconsole|jdeps|jdi|jdwp\.agent|incubator\..*|jlink|jpackage|jshell|jstatd))$'
uid=10001 # the chart's runAsUser; the image's USER

fail() { echo "debian-base: $*" >&2; exit 2; }
for tool in apt-get dpkg-deb dpkg tar sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found: the base is built from Debian packages (see docs/operations.md, The image)"
done
[ -x "${JAVA_HOME:-}/bin/jlink" ] || fail "JAVA_HOME=${JAVA_HOME:-} has no bin/jlink"

stamp="$(sha256sum "$0" | cut -c1-16) $("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.runtime\.version = //p') $(dpkg --print-architecture)"
if [ -f "$out/kaskade-base.tar" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "debian-base: $out/kaskade-base.tar is up to date"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out/debs" "$out/rootfs"
out=$(cd "$out" && pwd)
root="$out/rootfs"

echo "debian-base: downloading ${packages[*]}"
download() { (cd "$out/debs" && apt-get download -q "${packages[@]}") >>"$out/apt.log" 2>&1; }
if ! download; then
  # A machine whose package lists were never fetched (or were removed) knows no package yet.
  sudo_cmd=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo -n"; fi
  { $sudo_cmd apt-get update -qq >>"$out/apt.log" 2>&1 && download; } \
    || fail "apt-get download failed (is the Debian mirror reachable?): $(tail -n 3 "$out/apt.log")"
fi
for deb in "$out"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done

echo "debian-base: linking a Java runtime from $JAVA_HOME"
modules=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' | grep -Ev "$tool_modules" | paste -sd, -)
"$JAVA_HOME/bin/jlink" --add-modules "java.base,$modules" --strip-debug --no-man-pages \
  --no-header-files --output "$root/opt/java"

# What a container runtime does not add: users, name service, /tmp, the data directory.
mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/kaskade" "$root/usr/share/kaskade"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nkaskade:x:%s:%s:Kaskade:/var/lib/kaskade:/sbin/nologin\n' $uid $uid >"$root/etc/passwd"
printf 'root:x:0:\nkaskade:x:%s:\n' $uid >"$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
# Record what the base holds, so an image says where its files came from.
for deb in "$out"/debs/*.deb; do dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb"; done \
  >"$root/usr/share/kaskade/base-packages.txt"
cp "$root/opt/java/release" "$root/usr/share/kaskade/java-release"
# The loader's cache, as Debian's libc-bin trigger would write it.
# (Without its aux-cache, which records inodes and times: the base stays the same bytes run to run.)
if command -v ldconfig >/dev/null 2>&1; then ldconfig -r "$root" 2>/dev/null || true; fi
rm -rf "$root/var/cache/ldconfig"

# One layer: everything root's but the data directory, which the image's user owns.
layer="$out/layer.tar"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --exclude=./var/lib/kaskade \
  -C "$root" -cf "$layer" .
tar --mtime=@0 --owner=$uid --group=$uid --numeric-owner --no-recursion -C "$root" \
  -rf "$layer" ./var/lib/kaskade
diff_id=$(sha256sum "$layer" | cut -d' ' -f1)
arch=$(dpkg --print-architecture)
case "$arch" in amd64 | arm64) ;; *) fail "unsupported architecture $arch" ;; esac
cat >"$out/config.json" <<JSON
{"architecture":"$arch","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"cli/src/image/debian-base.sh: ${packages[*]} + jlink"}]}
JSON
printf '[{"Config":"config.json","RepoTags":["kaskade-base:local"],"Layers":["layer.tar"]}]\n' \
  >"$out/manifest.json"
tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$out" \
  -cf "$out/kaskade-base.tar" manifest.json config.json layer.tar
rm -rf "$layer" "$root" "$out/debs"
echo "$stamp" >"$out/stamp"
echo "debian-base: wrote $out/kaskade-base.tar ($(du -h "$out/kaskade-base.tar" | cut -f1))"
