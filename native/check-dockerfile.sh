#!/usr/bin/env bash
# Builds the repository's Dockerfile without a Docker daemon and runs the image's demo.
#
#   native/check-dockerfile.sh [--require] [--refresh-base] [--out=DIR]
#
# 1. base image: `debootstrap --variant=minbase bookworm`, cached as a tarball under
#    $VIRGL4J_DOCKER_CACHE (default /var/cache/virgl4j-docker) and imported once as
#    localhost/virgl4j-bookworm; --refresh-base (or a tarball older than 30 days) makes a new one.
# 2. `buildah bud --isolation chroot --storage-driver vfs --layers --jobs 2` (the two stages'
#    package installs run in parallel) on the Dockerfile with
#    --build-arg BASE=localhost/virgl4j-bookworm, tagged localhost/virgl4j. --layers and the
#    Dockerfile's Maven cache mount make a rebuild after a source change re-run only `mvn install`.
# 3. runs the image's own ENTRYPOINT + CMD (the demo) with `buildah run --isolation chroot`,
#    /out bind-mounted to DIR (default $CACHE/demo-out), and checks that PNG frames came out.
#
# buildah's storage lives in $CACHE/storage (vfs), apart from any system podman/buildah storage
# that may use another driver. To use the image elsewhere:
#   buildah --root /var/cache/virgl4j-docker/storage --storage-driver vfs \
#       push localhost/virgl4j docker-archive:/tmp/virgl4j.tar:virgl4j:latest  # then docker load
#
# Without buildah or debootstrap (or not as root) it says how to get them and exits 0, unless
# --require is given (then 1). The chroot isolation shares the host's network, so apt and Maven
# inside the build reach the Debian mirror and Maven Central directly: no --network flag needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${VIRGL4J_DOCKER_CACHE:-/var/cache/virgl4j-docker}"
MIRROR="${VIRGL4J_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE_IMAGE=localhost/virgl4j-bookworm
IMAGE=localhost/virgl4j
require=0
refresh=0
out=""

for arg in "$@"; do
  case "$arg" in
    --require) require=1 ;;
    --refresh-base) refresh=1 ;;
    --out=*) out="${arg#--out=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--require] [--refresh-base] [--out=DIR]" >&2; exit 2 ;;
  esac
done
out="${out:-$CACHE/demo-out}"

skip() {
  echo "check-dockerfile: SKIPPED: $1" >&2
  [ -n "${2:-}" ] && echo "  $2" >&2
  [ "$require" -eq 1 ] && exit 1
  exit 0
}

[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, and buildah's chroot isolation with vfs storage)." \
  "Run it as root: sudo $0 $*"
missing=()
command -v buildah >/dev/null 2>&1 || missing+=(buildah)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
[ ${#missing[@]} -eq 0 ] || skip "${missing[*]} not installed." \
  "Install with: apt-get install -y ${missing[*]}   (Debian 12 / Ubuntu 22.04+), then re-run."

# runroot (locks, mount state) on tmpfs, one per cache directory.
B=(buildah --root "$CACHE/storage" --runroot "/run/virgl4j-buildah/$(printf %s "$CACHE" | sha256sum | cut -c1-12)" --storage-driver vfs)
mkdir -p "$CACHE"
t_start=$(date +%s)
phase_start=$t_start
timings=()
phase_done() {
  local now; now=$(date +%s)
  timings+=("$(printf '%-24s %4d s' "$1" $((now - phase_start)))")
  phase_start=$now
}

# --- 1. base image ---------------------------------------------------------------------------
tarball="$CACHE/bookworm-minbase.tar"
if [ "$refresh" -eq 1 ] || [ ! -s "$tarball" ] || [ -n "$(find "$tarball" -mtime +30 2>/dev/null)" ]; then
  echo "check-dockerfile: debootstrap --variant=minbase bookworm ($MIRROR) ..." >&2
  rootfs="$CACHE/rootfs.tmp"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log" >&2; echo "check-dockerfile: debootstrap failed (log: $CACHE/debootstrap.log)" >&2; exit 1; }
  # The same apt sources as the official debian:bookworm image, and no downloaded .debs.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$rootfs"
  refresh=1
fi
# Certificates the host added itself (/usr/local/share/ca-certificates: a company CA, a
# TLS-intercepting proxy) go into the local base image too, as a company's base image would have
# them; ca-certificates installs them when the Dockerfile pulls it in, and Maven in the build then
# trusts what the host's Maven trusts. The pristine tarball stays as debootstrap made it.
# VIRGL4J_HOST_CA=0 leaves them out.
host_ca=()
if [ "${VIRGL4J_HOST_CA:-1}" != 0 ]; then
  while IFS= read -r -d '' f; do host_ca+=("$f"); done \
    < <(find /usr/local/share/ca-certificates -name '*.crt' -type f -print0 2>/dev/null | sort -z)
fi
# The base image is re-imported when the tarball, the host's certificates or this recipe change.
recipe=2
[ -s "$tarball.sha256" ] && [ "$refresh" -eq 0 ] || sha256sum <"$tarball" | cut -c1-64 >"$tarball.sha256"
base_sum=$({ echo "$recipe"; cat "$tarball.sha256"; [ ${#host_ca[@]} -eq 0 ] || cat "${host_ca[@]}"; } | sha256sum | cut -c1-16)
have_sum=$("${B[@]}" inspect --type image --format '{{index .OCIv1.Config.Labels "virgl4j.base-sum"}}' "$BASE_IMAGE" 2>/dev/null || true)
if [ "$refresh" -eq 1 ] || [ "$have_sum" != "$base_sum" ]; then
  echo "check-dockerfile: importing $tarball as $BASE_IMAGE (+ ${#host_ca[@]} host CA certificate(s)) ..." >&2
  ctr=$("${B[@]}" from scratch)
  mnt=$("${B[@]}" mount "$ctr")
  tar -C "$mnt" --numeric-owner -xpf "$tarball"
  # What the official image (debuerreotype) sets: dpkg without fsync (unpacking is ~2x faster),
  # apt keeps no downloaded .debs.
  echo force-unsafe-io >"$mnt/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  cat >"$mnt/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  if [ ${#host_ca[@]} -gt 0 ]; then
    mkdir -p "$mnt/usr/local/share/ca-certificates"
    cp "${host_ca[@]}" "$mnt/usr/local/share/ca-certificates/"
  fi
  "${B[@]}" umount "$ctr" >/dev/null
  "${B[@]}" config --cmd /bin/bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label virgl4j.base-sum="$base_sum" "$ctr"
  "${B[@]}" commit -q "$ctr" "$BASE_IMAGE" >/dev/null
  "${B[@]}" rm "$ctr" >/dev/null
fi
phase_done "base image"

# --- 2. the Dockerfile ---------------------------------------------------------------------------
echo "check-dockerfile: buildah bud $ROOT/Dockerfile (log: $CACHE/build.log) ..." >&2
# Each log line gets the time, to see which step is slow.
if ! "${B[@]}" bud --isolation chroot --layers --jobs 2 --build-arg BASE="$BASE_IMAGE" \
     -f "$ROOT/Dockerfile" -t "$IMAGE" "$ROOT" 2>&1 \
     | while IFS= read -r line; do printf '%(%H:%M:%S)T %s\n' -1 "$line"; done >"$CACHE/build.log"; then
  tail -40 "$CACHE/build.log" >&2
  echo "check-dockerfile: FAILED: buildah bud (full log: $CACHE/build.log)" >&2
  exit 1
fi
phase_done "buildah bud"

# With vfs every layer is a full copy of the file system (~0.2-1 GB), so the images of earlier
# builds that this one no longer uses are deleted: kept are the base image and the layers this
# build used or made (its "--> id" lines), which are the cache for the next run.
keep=" $(sed -n 's/.*--> \(Using cache \)\{0,1\}\([0-9a-f]\{11,64\}\)$/\2/p' "$CACHE/build.log" | cut -c1-11 | tr '\n' ' ')"
for img in "$BASE_IMAGE" "$IMAGE"; do
  keep+="$("${B[@]}" inspect --type image --format '{{.FromImageID}}' "$img" | cut -c1-11) "
done
"${B[@]}" rm --all >/dev/null 2>&1 || true
for id in $("${B[@]}" images --all --noheading --format '{{.ID}}'); do
  case "$keep" in *" ${id:0:11} "*) ;; *) "${B[@]}" rmi -f "$id" >/dev/null 2>&1 || true ;; esac
done
phase_done "prune old layers"

# --- 3. the image's default command ---------------------------------------------------------------
mapfile -t entrypoint < <("${B[@]}" inspect --type image --format '{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}' "$IMAGE" | sed '/^$/d')
mapfile -t cmd < <("${B[@]}" inspect --type image --format '{{range .OCIv1.Config.Cmd}}{{println .}}{{end}}' "$IMAGE" | sed '/^$/d')
rm -rf "$out"
mkdir -p "$out"
ctr=$("${B[@]}" from -q "$IMAGE")
trap '"${B[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
echo "check-dockerfile: running the image's default command: ${entrypoint[*]} ${cmd[*]}" >&2
if ! "${B[@]}" run --isolation chroot --volume "$out:/out" "$ctr" -- "${entrypoint[@]}" "${cmd[@]}" \
     >"$CACHE/run.log" 2>&1; then
  cat "$CACHE/run.log" >&2
  echo "check-dockerfile: FAILED: the demo did not run in the image" >&2
  exit 1
fi
phase_done "demo in the image"
cat "$CACHE/run.log"

pngs=("$out"/frame-*.png)
if [ ! -s "${pngs[0]}" ] || [ "$(head -c 8 "${pngs[0]}" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
  echo "check-dockerfile: FAILED: no PNG frames in $out" >&2
  exit 1
fi

size=$("${B[@]}" images --format '{{.Size}}' "$IMAGE" | head -1)
echo "check-dockerfile: OK: ${#pngs[@]} PNG frames in $out; image $IMAGE ($size)"
for t in "${timings[@]}"; do echo "  $t"; done
echo "  $(printf '%-24s %4d s' total $(( $(date +%s) - t_start )))"
