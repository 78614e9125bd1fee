#!/usr/bin/env bash
# run-guest.sh — boot the virgl4j test guest under QEMU (TCG) and print its
# serial console on stdout.
#
#   run-guest.sh --device=gl|vhost-user [--socket=PATH] [--test=LIST] [--timeout=S]
#                [--cache=DIR] [--append=ARGS] [--fbdev=on|off] [--log=FILE]
#                [--display=SPEC] [--mode=WxH|native]
#
#   --device=gl          QEMU's built-in virtio-gpu-gl-pci, rendered by QEMU's own
#                        virglrenderer in an egl-headless display (rendernode=/dev/null:
#                        Mesa then falls back to llvmpipe). The reference path.
#   --device=vhost-user  vhost-user-gpu-pci connected to --socket=PATH; a backend
#                        (ours, or /usr/lib/qemu/vhost-user-gpu) must already listen there.
#   --test=LIST          value of virgl4j.test= (see guest-init.sh); default all
#   --timeout=S          hard limit on the whole QEMU run; default 60
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
#   --log=FILE           also keep the console output in FILE
#
# Builds the guest (build-guest.sh) and installs QEMU 10 (install-qemu10.sh) first
# when needed; both are no-ops once done. QEMU's binary can be forced with $QEMU.
#
# Exit status: 0 when the guest printed "VIRGL4J-DONE ... fail=0"; 124 when the
# timeout hit; 1 otherwise. No process is left behind (timeout(1) kills QEMU).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEVICE="" SOCKET="" TEST=all TIMEOUT=60 CACHE=/var/cache/virgl4j-guest APPEND="" FBDEV="" LOG="" DISPLAY_SPEC="" MODE=1024x768

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
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

out=$(mktemp)
trap 'rm -f "$out"' EXIT
log "$(printf '%q ' "${qemu_cmd[@]}")"
start=$SECONDS
stdin=/dev/null
[[ $TEST == *shell* && -t 0 ]] && stdin=/dev/stdin
set +e
"${qemu_cmd[@]}" < "$stdin" 2>&1 | sed -u 's/\r$//' | tee "$out"
rc=${PIPESTATUS[0]}
set -e
log "QEMU exited with $rc after $((SECONDS - start)) s"
[[ -n $LOG ]] && cp "$out" "$LOG"

if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    log "TIMEOUT after ${TIMEOUT} s"
    exit 124
fi
if grep -q '^VIRGL4J-DONE .*fail=0' "$out"; then
    exit 0
fi
grep -q '^VIRGL4J-DONE' "$out" || log "guest did not reach VIRGL4J-DONE"
exit 1
