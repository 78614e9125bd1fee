#!/usr/bin/env bash
# install-qemu10.sh — make QEMU >= 10 (from bookworm-backports) available.
#
# Why: QEMU 7.2 (bookworm) refuses vhost-user-gpu-pci under TCG ("requires kvm");
# QEMU 10 accepts it.
#
# Packages installed (all from bookworm-backports, version 1:10.x~bpo12):
#   qemu-system-x86             qemu-system-x86_64 (pulls qemu-system-common, -data)
#   qemu-system-modules-opengl  hw-display-virtio-gpu-gl*.so, ui-egl-headless.so, ui-opengl.so
#   qemu-system-gui             /usr/lib/qemu/vhost-user-gpu (QEMU's C vhost-user-gpu backend)
#
# The apt source for bookworm-backports is added as
# /etc/apt/sources.list.d/virgl4j-bookworm-backports.sources, reusing the mirror
# host that the existing Debian sources already use.
#
# Idempotent: does nothing (no apt calls) when everything is already there.
# Output: the last line on stdout is the absolute path of qemu-system-x86_64.
# All progress messages go to stderr.
set -euo pipefail

QEMU_BIN=/usr/bin/qemu-system-x86_64
VUGPU_BIN=/usr/lib/qemu/vhost-user-gpu
MODDIR=/usr/lib/x86_64-linux-gnu/qemu
SRC_FILE=/etc/apt/sources.list.d/virgl4j-bookworm-backports.sources
PKGS=(qemu-system-x86 qemu-system-modules-opengl qemu-system-gui)

log() { echo "install-qemu10: $*" >&2; }

qemu_major() {
    [[ -x $QEMU_BIN ]] || { echo 0; return; }
    "$QEMU_BIN" --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p' | head -n1
}

all_present() {
    local major
    major=$(qemu_major)
    [[ -n $major && $major -ge 10 ]] || return 1
    [[ -x $VUGPU_BIN ]] || return 1
    [[ -f $MODDIR/ui-egl-headless.so && -f $MODDIR/hw-display-virtio-gpu-pci-gl.so ]] || return 1
    return 0
}

# Print the Debian (non-security) mirror URI already configured, e.g. http://deb.debian.org/debian
debian_mirror() {
    local uri=""
    shopt -s nullglob
    local f
    # deb822 files: "URIs: ..." lines
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ $f == "$SRC_FILE" ]] && continue
        uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$f")
        [[ -n $uri ]] && break
    done
    # one-line format: "deb [opts] URI suite comps"
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

have_backports_source() {
    grep -rqsE '(^Suites:.*[[:space:]]bookworm-backports([[:space:]]|$))|(^deb[[:space:]].*[[:space:]]bookworm-backports[[:space:]])' \
        /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

backports_candidate() {
    # Version of qemu-system-x86 that bookworm-backports offers ('' if unknown to apt)
    apt-cache madison qemu-system-x86 2>/dev/null | awk -F'|' '$3 ~ /bookworm-backports/ { gsub(/ /, "", $2); print $2; exit }'
}

if all_present; then
    log "QEMU $(qemu_major) with OpenGL modules and vhost-user-gpu already installed"
    echo "$QEMU_BIN"
    exit 0
fi

[[ $(id -u) -eq 0 ]] || { log "must run as root to install packages"; exit 1; }

if ! have_backports_source; then
    mirror=$(debian_mirror)
    log "adding bookworm-backports source ($mirror) as $SRC_FILE"
    cat > "$SRC_FILE" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi

if [[ -z $(backports_candidate) ]]; then
    log "apt-get update"
    apt-get update -qq >&2
fi
[[ -n $(backports_candidate) ]] || { log "bookworm-backports offers no qemu-system-x86"; exit 1; }

log "installing ${PKGS[*]} from bookworm-backports"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports "${PKGS[@]}" >&2

all_present || { log "installation finished but QEMU >= 10 / modules / vhost-user-gpu still missing"; exit 1; }
log "installed: $("$QEMU_BIN" --version | head -n1)"
echo "$QEMU_BIN"
