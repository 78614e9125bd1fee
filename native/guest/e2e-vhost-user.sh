#!/usr/bin/env bash
# e2e-vhost-user.sh — boot the test guest on QEMU 10's vhost-user-gpu-pci with virgl4j as the
# back end, and check what a user would: 3D works in the guest and the scanout reaches us.
#
#   e2e-vhost-user.sh [--test=LIST] [--timeout=S] [--keep=DIR] [--mode=WxH] [--frames=N]
#
#   --test=LIST   guest steps (guest-init.sh); default dmesg,eglinfo,kmscube,glmark2
#   --timeout=S   limit for the QEMU run; default 400 (TCG on few cores is slow)
#   --keep=DIR    keep logs and frames in DIR (default: a temporary directory, printed)
#   --mode=WxH    passed to run-guest.sh; default 1024x768
#   --frames=N    kmscube frame count; default 30
#   --2d          the back end runs --no-virgl (2D only, pixels kept in Java): the checks become
#                 "-virgl" in dmesg and a non-blank console frame; the default test list becomes
#                 dmesg. (QEMU 10's vhost-user-gpu-pci masks RESOURCE_BLOB, so the guest still
#                 uses RESOURCE_CREATE_2D, never guest blobs.)
#
# Checks (each prints PASS/FAIL with the evidence line):
#   1. guest dmesg has "[drm] features: +virgl"
#   2. kmscube's GL_RENDERER is "virgl (LLVMPIPE ...)" and it rendered its frames
#   3. glmark2-es2-drm --off-screen printed a score
#   (the framebuffer console is on: no drm_kms_helper.fbdev_emulation=0 workaround)
#   4. the back end wrote a scanout PNG (--dump-frames) that is not blank (> 1 colour): the
#      most colourful one is reported
#   5. the back end exited by itself after QEMU went away, with its clear message
# The guest scripts (run-guest.sh etc.) are taken from this directory, or $GUEST_SCRIPTS.
# Exit status: 0 when every check passed, 1 otherwise, 2 on bad usage.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GUEST_SCRIPTS=${GUEST_SCRIPTS:-$HERE}
TEST="" TIMEOUT=400 KEEP="" MODE=1024x768 FRAMES=30 TWO_D=""
for arg in "$@"; do
    case $arg in
        --2d) TWO_D=--no-virgl ;;
        --test=*) TEST=${arg#*=} ;;
        --timeout=*) TIMEOUT=${arg#*=} ;;
        --keep=*) KEEP=${arg#*=} ;;
        --mode=*) MODE=${arg#*=} ;;
        --frames=*) FRAMES=${arg#*=} ;;
        *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
[[ -n $TEST ]] || TEST=${TWO_D:+dmesg}
TEST=${TEST:-dmesg,eglinfo,kmscube,glmark2}
[[ -x $GUEST_SCRIPTS/run-guest.sh ]] || { echo "e2e: no run-guest.sh in $GUEST_SCRIPTS (set GUEST_SCRIPTS)" >&2; exit 2; }
log() { echo "e2e: $*" >&2; }

work=${KEEP:-$(mktemp -d /tmp/virgl4j-e2e.XXXXXX)}
mkdir -p "$work/frames"
sock=$work/vgpu.sock
backend_log=$work/backend.log
console=$work/console.log
log "work directory $work"

# Build first, so the socket wait below does not include a Maven build.
"$ROOT/virgl4j" vhost-user --print-capabilities > "$work/capabilities.json"

t0=$SECONDS
"$ROOT/virgl4j" vhost-user --socket-path="$sock" --dump-frames="$work/frames" $TWO_D > "$backend_log" 2>&1 &
backend=$!
cleanup() { kill "$backend" 2>/dev/null || true; wait "$backend" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 300); do
    [[ -S $sock ]] && break
    kill -0 "$backend" 2>/dev/null || { log "back end died at start:"; cat "$backend_log" >&2; exit 1; }
    sleep 0.1
done
[[ -S $sock ]] || { log "back end did not listen within 30 s"; exit 1; }
log "back end pid $backend listening after $((SECONDS - t0)) s"

t1=$SECONDS
set +e
"$GUEST_SCRIPTS/run-guest.sh" --device=vhost-user --socket="$sock" --backend-pid="$backend" \
    --timeout="$TIMEOUT" --test="$TEST" --mode="$MODE" --append="virgl4j.frames=$FRAMES" --fbdev=on \
    --log="$console" > /dev/null 2> "$work/run-guest.err"
guest_rc=$?
set -e
guest_s=$((SECONDS - t1))
# The back end must notice QEMU is gone and exit on its own.
backend_rc=""
for _ in $(seq 1 100); do
    if ! kill -0 "$backend" 2>/dev/null; then
        backend_rc=0; wait "$backend" || backend_rc=$?; break
    fi
    sleep 0.1
done
trap - EXIT
[[ -n $backend_rc ]] || { log "back end still running 10 s after QEMU exited; killing it"; cleanup; backend_rc=none; }

fail=0
check() { # check NAME EVIDENCE  (empty evidence = FAIL)
    if [[ -n $2 ]]; then echo "PASS $1: $2"; else echo "FAIL $1"; fail=1; fi
}
if [[ -n $TWO_D ]]; then
    check "guest dmesg -virgl" "$(grep -m1 -F '[drm] features: -virgl' "$console" || true)"
else
    check "guest dmesg +virgl" "$(grep -m1 -F '[drm] features: +virgl' "$console" || true)"
fi
if [[ ,$TEST, == *,kmscube,* ]]; then
    check "kmscube renderer" "$(grep -m1 -E '^VIRGL4J-KMSCUBE-RENDERER: virgl \(LLVMPIPE' "$console" || true)"
    check "kmscube frames" "$(grep -m1 '^VIRGL4J-KMSCUBE-FRAMES:' "$console" || true)"
fi
if [[ ,$TEST, == *,glmark2,* ]]; then
    check "glmark2 score" "$(grep -m1 '^VIRGL4J-GLMARK2-SCORE:' "$console" || true)"
fi
# The most colourful frame the back end captured: with the framebuffer console on, the first
# and last frames are the (nearly black) console; kmscube's frames are in between.
png=""
stats=""
best=1
for f in "$work"/frames/scanout0-[0-9]*.png; do
    [[ -e $f ]] || continue
    s=$("$HERE/png-stats.py" "$f")
    if [[ $s =~ distinct=([0-9]+) ]] && (( BASH_REMATCH[1] > best )); then
        best=${BASH_REMATCH[1]}; png=$f; stats=$s
    fi
done
if [[ ,$TEST, == *,kmscube,* || -n $TWO_D ]]; then
    check "scanout frame non-blank" "${stats:+$(basename "$png") $stats ($(ls "$work"/frames/scanout0-[0-9]*.png | wc -l) PNGs)}"
fi
check "back end exit" "$(grep -m1 'virgl4j vhost-user: exiting' "$backend_log" | sed "s/\$/ (rc=$backend_rc)/" || true)"
echo "guest: run-guest.sh rc=$guest_rc after ${guest_s} s; $(grep -m1 '^VIRGL4J-DONE' "$console" || echo 'no VIRGL4J-DONE')"
grep -E '^VIRGL4J-(RESULT|GLMARK2|KMSCUBE|EGLINFO-GBM)' "$console" || true
echo "logs: $work"
exit $fail
