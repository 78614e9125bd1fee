#!/usr/bin/env bash
# Re-records the streams in test-streams/ from real programs (run as root on Debian 12):
#   glmark2-<scene>.vgs  glmark2 (Mesa's virpipe driver under Xvfb) through ./virgl4j vtest --record
#   glxgears.vgs         glxgears, the same way
#   console-2d.vgs       a Linux guest's framebuffer console (2D only) under QEMU through
#                        ./virgl4j vhost-user --record (needs native/guest; --with-guest)
#
#   test-streams/record.sh [--only=NAME,...] [--duration=S] [--size=WxH] [--with-guest] [--out=DIR]
#
# Each client runs in a private mount namespace with its own /tmp (Mesa 22.3 always connects to
# /tmp/.virgl_test); the server gets no GALLIUM_DRIVER (its own Mesa would connect to itself).
# The expected hashes in each manifest are those of this machine's Mesa: commit the streams
# together with a note of the Mesa they were recorded with (README "Test streams").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/test-streams
DURATION=1.0
SIZE=320x240
ONLY=
GUEST=0
for arg in "$@"; do
    case $arg in
        --only=*) ONLY=${arg#*=} ;;
        --duration=*) DURATION=${arg#*=} ;;
        --size=*) SIZE=${arg#*=} ;;
        --with-guest) GUEST=1 ;;
        --out=*) OUT=${arg#*=} ;;
        *) echo "usage: $0 [--only=NAME,...] [--duration=S] [--size=WxH] [--with-guest] [--out=DIR]" >&2; exit 2 ;;
    esac
done
SCENES="build texture shading bump effect2d pulsar desktop buffer ideas jellyfish terrain shadow refract conditionals function loop"
mkdir -p "$OUT"
# outside /tmp: every client gets a fresh tmpfs there
export MESA_SHADER_CACHE_DIR=${MESA_SHADER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/virgl4j/record-shader-cache}
mkdir -p "$MESA_SHADER_CACHE_DIR"
"$ROOT/virgl4j" info > /dev/null   # builds once, before any timing matters

wanted() { [[ -z $ONLY || ",$ONLY," == *",$1,"* ]]; }

# record NAME LABEL CLIENT-COMMAND...: one vtest client recorded to $OUT/NAME.vgs
record() {
    local name=$1 label=$2
    shift 2
    local log=$OUT/.record-$name.log
    unshare --mount --propagation private bash -s "$OUT/$name.vgs" "$label" "$log" "$@" <<'INNER'
set -euo pipefail
file=$1 label=$2 log=$3
shift 3
mount -t tmpfs tmpfs /tmp
env -u GALLIUM_DRIVER ./virgl4j vtest --record="$file" --record-label="$label" --no-loop-or-fork > "$log" 2>&1 &
server=$!
for _ in $(seq 1 300); do [[ -S /tmp/.virgl_test ]] && break; sleep 0.1; done
Xvfb :7 -screen 0 1024x768x24 -nolisten tcp > /dev/null 2>&1 &
xvfb=$!
for _ in $(seq 1 100); do [[ -S /tmp/.X11-unix/X7 ]] && break; sleep 0.1; done
DISPLAY=:7 GALLIUM_DRIVER=virpipe "$@" >> "$log" 2>&1 || true
wait "$server" || true
kill "$xvfb" 2>/dev/null || true
INNER
    if [[ -f $OUT/$name.vgs ]]; then
        echo "record: $name.vgs $(du -h "$OUT/$name.vgs" | cut -f1) ($(grep -o 'recorded .*frames' "$log" || true))"
        rm -f "$log"
    else
        echo "record: $name FAILED, see $log" >&2
        return 1
    fi
}

for scene in $SCENES; do
    wanted "glmark2-$scene" || continue
    record "glmark2-$scene" "glmark2 -s $SIZE -b $scene:duration=$DURATION (Mesa virpipe under Xvfb)" \
        timeout 120 glmark2 -s "$SIZE" -b "$scene:duration=$DURATION"
done
if wanted glxgears; then
    # glxgears runs until killed; the client's disconnect finishes the recording.
    record glxgears "glxgears, 2.5 s (Mesa virpipe under Xvfb)" timeout -s INT 2.5 glxgears
fi
if [[ $GUEST == 1 ]] && wanted console-2d; then
    native/guest/install-qemu10.sh > /dev/null
    native/guest/build-guest.sh > /dev/null
    work=$(mktemp -d /tmp/virgl4j-record.XXXXXX)
    "$ROOT/virgl4j" vhost-user --socket-path="$work/vgpu.sock" --record="$OUT/console-2d.vgs" \
        --record-label="Linux 6.1 virtio_gpu fbdev console under QEMU 10 (guest-init test=console)" \
        > "$work/backend.log" 2>&1 &
    backend=$!
    for _ in $(seq 1 300); do [[ -S $work/vgpu.sock ]] && break; sleep 0.1; done
    native/guest/run-guest.sh --device=vhost-user --socket="$work/vgpu.sock" --backend-pid="$backend" \
        --timeout=120 --test=console --fbdev=on --log="$work/console.log" > /dev/null 2> "$work/run.err" || true
    wait "$backend" || true
    grep -o 'recorded .*' "$work/backend.log" | sed 's/^/record: console-2d: /' || { echo "record: console-2d FAILED, see $work" >&2; exit 1; }
fi
echo "record: $(du -sh "$OUT" | cut -f1) in $OUT"
