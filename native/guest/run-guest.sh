#!/usr/bin/env bash
# shellcheck disable=SC2054  # commas inside QEMU option values are intended
# run-guest.sh — boot the virgl4j test guest under QEMU (TCG) and print its
# serial console on stdout.
#
#   run-guest.sh --device=gl|vhost-user [--socket=PATH] [--test=LIST] [--timeout=S]
#                [--cache=DIR] [--append=ARGS] [--fbdev=on|off] [--log=FILE]
#                [--display=SPEC] [--mode=WxH|native] [--backend-pid=PID]
#
#   --device=gl          QEMU's built-in virtio-gpu-gl-pci, rendered by QEMU's own
#                        virglrenderer in an egl-headless display (rendernode=/dev/null:
#                        Mesa then falls back to llvmpipe). The reference path.
#   --device=vhost-user  vhost-user-gpu-pci connected to --socket=PATH; a backend
#                        (ours, or /usr/lib/qemu/vhost-user-gpu) must already listen there.
#   --test=LIST          value of virgl4j.test= (see guest-init.sh); default all
#   --timeout=S          hard limit on the whole QEMU run; default 90 (a test=all run
#                        takes 25-45 s on 2 cores; the margin is for a loaded host)
#   --cache=DIR          where build-guest.sh put the images; default /var/cache/virgl4j-guest
#   --append=ARGS        extra kernel command line (e.g. virgl4j.frames=30)
#   --fbdev=on|off       drm_kms_helper.fbdev_emulation; default on for gl, off for
#                        vhost-user (a backend that cannot scan out would otherwise be
#                        hit by SET_SCANOUT from the fbdev console at boot)
#   --display=SPEC       QEMU -display value; default egl-headless,rendernode=/dev/null
#                        for gl, none for vhost-user
#   --mode=WxH|native    display mode list the guest sees; default 1024x768. Any
#                        of 800x600 1024x768 1280x1024 1600x1200 1680x1050 1920x1080
#                        loads the kernel's built-in EDID of that size
#                        (drm.edid_firmware=edid/WxH.bin), so glmark2-es2-drm,
#                        which always renders at the largest mode, gets a
#                        reproducible surface. It only takes effect when the
#                        device offers VIRTIO_GPU_F_EDID (+edid in dmesg); without
#                        EDID (or with "native") the modes come from the device.
#   --backend-pid=PID    (vhost-user) stop QEMU 3 s after process PID, the backend,
#                        has gone, instead of waiting for the timeout: a dead backend
#                        leaves the guest blocked on its virtqueues. Exit status 3.
#   --log=FILE           also keep the console output in FILE
#
# Builds the guest (build-guest.sh) and installs QEMU 10 (install-qemu10.sh) first
# when needed; both are no-ops once done. QEMU's binary can be forced with $QEMU.
#
# Exit status: 0 when the guest printed "VIRGL4J-DONE ... fail=0"; 124 when the
# timeout hit; 3 when the backend died (--backend-pid); 4 when QEMU itself crashed
# before the guest's /init ran (seen rarely with multi-threaded TCG: an assertion in
# iotlb_to_section; worth one retry, with a fresh backend); 2 on bad usage; 1 otherwise. No process is left behind (timeout(1) kills QEMU).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEVICE="" SOCKET="" TEST=all TIMEOUT=90 CACHE=/var/cache/virgl4j-guest APPEND="" FBDEV="" LOG="" DISPLAY_SPEC="" MODE=1024x768 BACKEND_PID=""

usage() { sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
for arg in "$@"; do
    case $arg in
        --device=*) DEVICE=${arg#*=} ;;
        --socket=*) SOCKET=${arg#*=} ;;
        --test=*) TEST=${arg#*=} ;;
        --timeout=*) TIMEOUT=${arg#*=} ;;
        --cache=*) CACHE=${arg#*=} ;;
        --append=*) APPEND=${arg#*=} ;;
        --fbdev=*) FBDEV=${arg#*=} ;;
        --display=*) DISPLAY_SPEC=${arg#*=} ;;
        --log=*) LOG=${arg#*=} ;;
        --mode=*) MODE=${arg#*=} ;;
        --backend-pid=*) BACKEND_PID=${arg#*=} ;;
        -h|--help) usage ;;
        *) echo "run-guest: unknown argument $arg" >&2; usage ;;
    esac
done
log() { echo "run-guest: $*" >&2; }

case $DEVICE in
    gl)
        : "${FBDEV:=on}" "${DISPLAY_SPEC:=egl-headless,rendernode=/dev/null}"
        dev_args=(-m 2G -device virtio-gpu-gl-pci)
        ;;
    vhost-user)
        [[ -n $SOCKET ]] || { log "--device=vhost-user needs --socket=PATH"; exit 2; }
        [[ -S $SOCKET ]] || { log "$SOCKET is not a listening socket (start the backend first)"; exit 2; }
        : "${FBDEV:=off}" "${DISPLAY_SPEC:=none}"
        # vhost-user needs guest RAM in a shareable fd.
        dev_args=(-m 2G
                  -object memory-backend-memfd,id=mem,size=2G,share=on
                  -machine memory-backend=mem
                  -chardev "socket,id=vgpu,path=$SOCKET"
                  -device vhost-user-gpu-pci,chardev=vgpu)
        ;;
    *) log "--device=gl|vhost-user is required"; usage ;;
esac
case $FBDEV in on) fbdev=1 ;; off) fbdev=0 ;; *) log "--fbdev=on|off"; exit 2 ;; esac
case $MODE in
    native) edid_arg="" ;;
    800x600|1024x768|1280x1024|1600x1200|1680x1050|1920x1080) edid_arg="drm.edid_firmware=edid/$MODE.bin" ;;
    *) log "--mode must be native or one of the kernel's built-in EDID sizes"; exit 2 ;;
esac
[[ $TIMEOUT =~ ^[0-9]+$ ]] || { log "--timeout must be whole seconds"; exit 2; }
if [[ -n $BACKEND_PID ]]; then
    [[ $BACKEND_PID =~ ^[0-9]+$ ]] && kill -0 "$BACKEND_PID" 2>/dev/null \
        || { log "--backend-pid=$BACKEND_PID is not a running process"; exit 2; }
fi

if [[ -z ${QEMU:-} ]]; then
    QEMU=$("$HERE/install-qemu10.sh" | tail -n1)
fi
"$HERE/build-guest.sh" "$CACHE" >/dev/null

cmdline="console=ttyS0 quiet panic=-1 drm_kms_helper.fbdev_emulation=$fbdev $edid_arg virgl4j.test=$TEST $APPEND"

qemu_cmd=(timeout -k 5 "$TIMEOUT" "$QEMU"
          -accel tcg,thread=multi -cpu max -smp 2
          -nodefaults -no-user-config -no-reboot
          -display "$DISPLAY_SPEC"
          -monitor none -serial stdio
          "${dev_args[@]}"
          -kernel "$CACHE/vmlinuz" -initrd "$CACHE/initramfs.img"
          -append "$cmdline")

tmp=$(mktemp -d)
out=$tmp/console.log
watcher=""
cleanup() {
    if [[ -n $watcher ]]; then
        kill "$watcher" 2>/dev/null || true
        wait "$watcher" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
log "$(printf '%q ' "${qemu_cmd[@]}")"
start=$SECONDS
stdin=/dev/null
[[ $TEST == *shell* && -t 0 ]] && stdin=/dev/stdin

# Watch the backend: when it is gone, give QEMU 3 s to finish on its own, then
# stop it (SIGTERM to timeout(1), which passes it on to QEMU).
if [[ -n $BACKEND_PID ]]; then
    (
        sp=""
        trap 'kill $sp 2>/dev/null; exit 0' TERM
        while kill -0 "$BACKEND_PID" 2>/dev/null; do sleep 0.5 & sp=$!; wait $sp; done
        sleep 3 & sp=$!; wait $sp
        if [[ -s $tmp/qemu.pid ]] && kill -0 "$(cat "$tmp/qemu.pid")" 2>/dev/null; then
            : > "$tmp/backend-died"
            kill -TERM "$(cat "$tmp/qemu.pid")" 2>/dev/null || true
        fi
    ) &
    watcher=$!
fi

set +e
( echo "$BASHPID" > "$tmp/qemu.pid"; exec "${qemu_cmd[@]}" ) < "$stdin" 2>&1 | sed -u 's/\r$//' | tee "$out"
rc=${PIPESTATUS[0]}
set -e
log "QEMU exited with $rc after $((SECONDS - start)) s"
[[ -n $LOG ]] && cp "$out" "$LOG"

if [[ -e $tmp/backend-died ]]; then
    log "BACKEND DIED: process $BACKEND_PID exited while the guest was running; QEMU stopped"
    exit 3
fi
if [[ $rc -ge 128 && $rc -ne 137 ]] && ! grep -q '^VIRGL4J-BOOT' "$out"; then
    log "QEMU CRASHED (exit $rc, signal $((rc - 128))) before the guest's /init ran"
    exit 4
fi
if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    log "TIMEOUT after ${TIMEOUT} s"
    exit 124
fi
if grep -q '^VIRGL4J-DONE .*fail=0' "$out"; then
    exit 0
fi
grep -q '^VIRGL4J-DONE' "$out" || log "guest did not reach VIRGL4J-DONE"
exit 1
