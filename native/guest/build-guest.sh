#!/usr/bin/env bash
# build-guest.sh [CACHE_DIR] — build the virgl4j test guest: a Debian bookworm
# kernel plus an initramfs holding a minbase root with Mesa (virgl), kmscube,
# glmark2-es2-drm and mesa-utils, and guest-init.sh as /init.
#
# Output (CACHE_DIR defaults to /var/cache/virgl4j-guest):
#   CACHE_DIR/vmlinuz          the kernel
#   CACHE_DIR/initramfs.img    what QEMU's -initrd gets: the root filesystem cpio
#                              followed by a second small cpio holding /init (the
#                              kernel unpacks concatenated archives in order).
#                              Deliberately UNcompressed (~300 MB): under TCG the
#                              guest kernel needs ~6-8 s more to unpack the zstd one.
#   CACHE_DIR/rootfs.cpio.zst  root filesystem without /init (compressed, the base)
#   CACHE_DIR/kernel-release   e.g. 6.1.0-56-amd64
#   CACHE_DIR/base.stamp       sha256 of this script (vmlinuz + rootfs)
#   CACHE_DIR/stamp            sha256 of this script + guest-init.sh (initramfs.img)
#   CACHE_DIR/debs/            downloaded .debs (debootstrap cache, kernel)
# Idempotent: nothing is rebuilt while the stamps match; editing only guest-init.sh
# repacks /init in about a second. Prints CACHE_DIR on stdout.
# Run as root (debootstrap). Host packages used: debootstrap kmod cpio zstd
# (installed with apt-get when missing). A full build takes about 1.5-2.5 minutes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${1:-/var/cache/virgl4j-guest}
SUITE=bookworm
GUEST_PKGS=(libgl1-mesa-dri libegl-mesa0 libegl1 libgles2 libgbm1 kmscube glmark2-es2-drm mesa-utils kmod)
# Modules loaded by /init (plus whatever they depend on).
GUEST_MODULES=(virtio_pci virtio_gpu)

log() { echo "build-guest: $*" >&2; }

BASE_KEY=$(sha256sum < "$HERE/build-guest.sh" | cut -d' ' -f1)
KEY=$(cat "$HERE/build-guest.sh" "$HERE/guest-init.sh" | sha256sum | cut -d' ' -f1)
stamp_ok() { [[ -f $CACHE_DIR/$1 && $(cat "$CACHE_DIR/$1") == "$2" ]]; }

if stamp_ok stamp "$KEY" && [[ -s $CACHE_DIR/vmlinuz && -s $CACHE_DIR/initramfs.img ]]; then
    log "up to date ($CACHE_DIR, kernel $(cat "$CACHE_DIR/kernel-release"))"
    echo "$CACHE_DIR"
    exit 0
fi

[[ $(id -u) -eq 0 ]] || { log "must run as root (debootstrap, mknod)"; exit 1; }
mkdir -p "$CACHE_DIR"

# /init goes into its own small archive appended to the root filesystem's.
pack_initramfs() {
    local d
    d=$(mktemp -d "$CACHE_DIR/init.XXXXXX")
    install -m 0755 "$HERE/guest-init.sh" "$d/init"
    # GNU cpio pads each archive to 512 bytes, so the second one starts aligned.
    ( cd "$d" && echo init | cpio -o -H newc --quiet --owner=0:0 ) > "$d/init.cpio"
    { zstd -q -dc "$CACHE_DIR/rootfs.cpio.zst"; cat "$d/init.cpio"; } > "$d/initramfs.img"
    mv -f "$d/initramfs.img" "$CACHE_DIR/initramfs.img"
    rm -rf "$d"
    echo "$KEY" > "$CACHE_DIR/stamp"
    log "packed $CACHE_DIR/initramfs.img ($(du -h "$CACHE_DIR/initramfs.img" | cut -f1))"
}

if stamp_ok base.stamp "$BASE_KEY" && [[ -s $CACHE_DIR/vmlinuz && -s $CACHE_DIR/rootfs.cpio.zst ]]; then
    pack_initramfs
    echo "$CACHE_DIR"
    exit 0
fi
rm -f "$CACHE_DIR/stamp" "$CACHE_DIR/base.stamp"

# --- host tools --------------------------------------------------------------
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v depmod >/dev/null || need+=(kmod)
command -v cpio >/dev/null || need+=(cpio)
command -v zstd >/dev/null || need+=(zstd)
if ((${#need[@]})); then
    log "installing host tools: ${need[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
# Put sbin on PATH for depmod/modprobe when run from a plain user PATH.
export PATH=$PATH:/usr/sbin:/sbin

# The Debian mirror the host already uses (first non-security .../debian URI).
debian_mirror() {
    local uri="" f
    shopt -s nullglob
    for f in /etc/apt/sources.list.d/*.sources; do
        uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$f")
        [[ -n $uri ]] && break
    done
    if [[ -z $uri ]]; then
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [[ -f $f ]] || continue
            uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|ftp):\/\/.*\/debian\/?$/) { print $i; exit } }' "$f")
            [[ -n $uri ]] && break
        done
    fi
    shopt -u nullglob
    echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=$(debian_mirror)

mkdir -p "$CACHE_DIR/debs"
WORK=$CACHE_DIR/work
rm -rf "$WORK"
mkdir -p "$WORK"
# Don't leave a half-built tree behind on failure (the .deb cache is kept).
trap 'rm -rf "$WORK"' EXIT

# --- kernel --------------------------------------------------------------------
if [[ -z $(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p') ]]; then
    apt-get update -qq >&2
fi
KPKG=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
[[ -n $KPKG ]] || { log "cannot resolve linux-image-amd64"; exit 1; }
KREL=${KPKG#linux-image-}
log "kernel package $KPKG"
(
    cd "$CACHE_DIR/debs"
    # apt's _apt user may not be able to write here; downloading as root is fine.
    ls "${KPKG}"_*.deb >/dev/null 2>&1 || apt-get download -q "$KPKG" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true
    ls "${KPKG}"_*.deb >/dev/null 2>&1
) || { log "apt-get download $KPKG failed"; exit 1; }
KDEB=$(ls "$CACHE_DIR/debs/${KPKG}"_*.deb | sort -V | tail -n1)
mkdir -p "$WORK/kernel"
dpkg-deb -x "$KDEB" "$WORK/kernel"
VMLINUZ=$WORK/kernel/boot/vmlinuz-$KREL
[[ -f $VMLINUZ ]] || { log "no $VMLINUZ in $KDEB"; exit 1; }
KMODS=$WORK/kernel/lib/modules/$KREL
depmod -b "$WORK/kernel" "$KREL"

# --- root filesystem ---------------------------------------------------------
ROOT=$WORK/root
log "debootstrap --variant=minbase $SUITE from $MIRROR (takes a while)"
t0=$SECONDS
include=$(IFS=,; echo "${GUEST_PKGS[*]}")
if ! debootstrap --variant=minbase --cache-dir="$CACHE_DIR/debs" --include="$include" \
        "$SUITE" "$ROOT" "$MIRROR" > "$WORK/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap.log" >&2
    [[ -f $ROOT/debootstrap/debootstrap.log ]] && tail -n 30 "$ROOT/debootstrap/debootstrap.log" >&2
    log "debootstrap failed"
    exit 1
fi
log "debootstrap took $((SECONDS - t0)) s"

# Kernel modules: only the ones /init loads, with their dependencies.
mapfile -t kos < <(modprobe -a -d "$WORK/kernel" -S "$KREL" --show-depends "${GUEST_MODULES[@]}" \
                   | awk '$1 == "insmod" { print $2 }' | sort -u)
log "modules: $(printf '%s ' "${kos[@]##*/}")"
for ko in "${kos[@]}"; do
    rel=${ko#"$WORK/kernel"}
    mkdir -p "$ROOT$(dirname "$rel")"
    cp "$ko" "$ROOT$rel"
done
cp "$KMODS"/modules.builtin "$KMODS"/modules.builtin.modinfo "$KMODS"/modules.order "$ROOT/lib/modules/$KREL/"
depmod -b "$ROOT" "$KREL"

# Trim what a test guest never reads (nothing runs apt, dpkg or perl in it).
# Every MB costs boot time: the guest kernel unpacks the cpio under TCG.
rm -rf "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* \
       "$ROOT"/usr/share/locale/* "$ROOT"/usr/share/i18n "$ROOT"/usr/share/zoneinfo \
       "$ROOT"/usr/share/common-licenses "$ROOT"/usr/share/lintian "$ROOT"/usr/share/X11 \
       "$ROOT"/usr/share/perl* "$ROOT"/usr/lib/x86_64-linux-gnu/perl* "$ROOT"/usr/bin/perl* \
       "$ROOT"/usr/lib/x86_64-linux-gnu/gconv \
       "$ROOT"/var/cache/apt/* "$ROOT"/var/lib/apt/lists/* \
       "$ROOT"/var/cache/debconf/*-old "$ROOT"/var/log/* "$ROOT"/debootstrap
# The device nodes the kernel needs before /init mounts devtmpfs.
rm -rf "${ROOT:?}/dev"
mkdir -p "$ROOT/dev" "$ROOT/proc" "$ROOT/sys" "$ROOT/run" "$ROOT/tmp"
mknod -m 600 "$ROOT/dev/console" c 5 1
mknod -m 666 "$ROOT/dev/null" c 1 3
echo virgl4j-guest > "$ROOT/etc/hostname"

# --- pack ------------------------------------------------------------------------
log "packing root filesystem ($(du -sh "$ROOT" | cut -f1) uncompressed)"
( cd "$ROOT" && find . -print0 | LC_ALL=C sort -z \
      | cpio --null -o -H newc --quiet | zstd -q -T0 -9 ) > "$WORK/rootfs.cpio.zst"
cp "$VMLINUZ" "$WORK/vmlinuz"

mv -f "$WORK/vmlinuz" "$CACHE_DIR/vmlinuz"
mv -f "$WORK/rootfs.cpio.zst" "$CACHE_DIR/rootfs.cpio.zst"
echo "$KREL" > "$CACHE_DIR/kernel-release"
echo "$BASE_KEY" > "$CACHE_DIR/base.stamp"
log "built $CACHE_DIR: vmlinuz ($KREL), rootfs.cpio.zst $(du -h "$CACHE_DIR/rootfs.cpio.zst" | cut -f1)"
pack_initramfs
echo "$CACHE_DIR"
