#!/usr/bin/env bash
# check-reference.sh [--cache=DIR] [--with-scanout] [--keep-logs=DIR]
#
# Proves the reference paths with the test guest and prints a summary:
#   1. gl          built-in virtio-gpu-gl-pci + egl-headless      test=all
#   2. vhost-user  QEMU's C backend /usr/lib/qemu/vhost-user-gpu  test=offscreen
#                  (--virgl --render-node=/dev/null, guest without fbdev)
#   3. (--with-scanout) the C backend with test=kmscube: expected to FAIL on
#      llvmpipe (the backend aborts at the first SET_SCANOUT, see README.md).
# Exit status 0 when 1 and 2 pass (3 is informational).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=/var/cache/virgl4j-guest WITH_SCANOUT=0 KEEP=""
for arg in "$@"; do
    case $arg in
        --cache=*) CACHE=${arg#*=} ;;
        --with-scanout) WITH_SCANOUT=1 ;;
        --keep-logs=*) KEEP=${arg#*=} ;;
        *) echo "usage: $0 [--cache=DIR] [--with-scanout] [--keep-logs=DIR]" >&2; exit 2 ;;
    esac
done
log() { echo "check-reference: $*" >&2; }

"$HERE/install-qemu10.sh" >/dev/null
t0=$SECONDS
"$HERE/build-guest.sh" "$CACHE" >/dev/null
log "guest ready after $((SECONDS - t0)) s"

tmp=$(mktemp -d)
backend=""
stop_backend() {
    [[ -n $backend ]] || return 0
    # The C backend exits by itself when QEMU disconnects; give it a moment.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        kill -0 "$backend" 2>/dev/null || break
        sleep 0.2
    done
    kill "$backend" 2>/dev/null || true
    wait "$backend" 2>/dev/null || true
    backend=""
}
cleanup() { stop_backend; [[ -n $KEEP ]] && mkdir -p "$KEEP" && cp "$tmp"/*.log "$KEEP"/ 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

start_c_backend() {   # $1 = log name
    rm -f "$tmp/vgpu.sock"
    /usr/lib/qemu/vhost-user-gpu --virgl --render-node=/dev/null \
        --socket-path="$tmp/vgpu.sock" > "$tmp/$1-backend.log" 2>&1 &
    backend=$!
    for _ in $(seq 1 50); do
        [[ -S $tmp/vgpu.sock ]] && return 0
        kill -0 "$backend" 2>/dev/null || break
        sleep 0.1
    done
    log "vhost-user-gpu did not create its socket"; cat "$tmp/$1-backend.log" >&2
    return 1
}

declare -A RC SECS
run() {   # $1 = name, rest = run-guest.sh arguments
    local name=$1 s rc
    shift
    s=$SECONDS
    set +e
    "$HERE/run-guest.sh" --cache="$CACHE" --log="$tmp/$name.log" "$@" > /dev/null 2> "$tmp/$name-run.log"
    rc=$?
    set -e
    RC[$name]=$rc SECS[$name]=$((SECONDS - s))
    log "$name: exit $rc after ${SECS[$name]} s"
}

run gl --device=gl --test=all

start_c_backend c-backend
run c-backend --device=vhost-user --socket="$tmp/vgpu.sock" --backend-pid="$backend" --test=offscreen
stop_backend

if ((WITH_SCANOUT)); then
    start_c_backend c-backend-scanout
    run c-backend-scanout --device=vhost-user --socket="$tmp/vgpu.sock" --backend-pid="$backend" \
        --test=kmscube --timeout=90
    stop_backend
fi

summary() {   # $1 = name
    local f=$tmp/$1.log
    echo "== $1: run-guest exit ${RC[$1]}, ${SECS[$1]} s wall"
    [[ -f $f ]] || return 0
    grep -E '^VIRGL4J-(BOOT|DMESG: .*features|DMESG: .*EDID|RESULT|EGLINFO-GBM-DRIVER|KMSCUBE-RENDERER|KMSCUBE-FRAMES|GLMARK2-RENDERER|GLMARK2-SURFACE|GLMARK2-SCORE|ERROR|DONE)' "$f" || true
    grep -h -E 'Assertion|Unexpected end-of-file|BACKEND DIED|TIMEOUT' "$tmp/$1-run.log" "$tmp/$1-backend.log" 2>/dev/null || true
}
summary gl
summary c-backend
((WITH_SCANOUT)) && summary c-backend-scanout

[[ ${RC[gl]} -eq 0 && ${RC[c-backend]} -eq 0 ]]
