#!/bin/bash
# /init of the virgl4j test guest (copied into the initramfs by build-guest.sh).
#
# Kernel command line parameters read here:
#   virgl4j.test=LIST     comma-separated tests, in order; default "all".
#                         dmesg    print the kernel's [drm] lines
#                         eglinfo  EGL/GL strings via the GBM platform (off-screen, no KMS)
#                         kmscube  kmscube -c N on /dev/dri/card0 (needs KMS scanout)
#                         glmark2  glmark2-es2-drm --off-screen, short "build" scene
#                         console  text on the framebuffer console (tty1): 2D only, needs fbdev on
#                         all      = dmesg,eglinfo,kmscube,glmark2
#                         offscreen = dmesg,eglinfo,glmark2 (nothing that sets a scanout)
#                         shell    an interactive shell on the console (debugging)
#   virgl4j.frames=N      kmscube frame count (default 60)
#   virgl4j.duration=S    glmark2 scene duration in seconds (default 2)
#   virgl4j.steptimeout=S per-step timeout in seconds (default 30)
#
# Every line meant for a test harness starts with "VIRGL4J-":
#   VIRGL4J-BOOT uptime=<s> kernel=<release> tests=<list>
#   VIRGL4J-DMESG: <dmesg line containing [drm]>
#   VIRGL4J-<STEP>-BEGIN
#   ... raw program output ...
#   VIRGL4J-<STEP>-END rc=<exit code> seconds=<wall time>
#   VIRGL4J-RESULT <step> PASS|FAIL rc=<rc> seconds=<s>
#   VIRGL4J-EGLINFO-GBM-DRIVER: <EGL driver name on the GBM platform>
#   VIRGL4J-KMSCUBE-RENDERER: <GL_RENDERER>   VIRGL4J-KMSCUBE-FRAMES: <n> frames <s> s <fps> fps
#   VIRGL4J-GLMARK2-RENDERER: <GL_RENDERER>   VIRGL4J-GLMARK2-SURFACE: <WxH ...>
#   VIRGL4J-GLMARK2-SCORE: <n>
#   VIRGL4J-KLOG: <virtio_gpu / drm kernel messages at the end of the run>
#   VIRGL4J-ERROR: <text>
#   VIRGL4J-DONE pass=<n> fail=<n> uptime=<s>
# then the guest powers off (QEMU must run with -no-reboot).

# No "set -e" on purpose: this is PID 1, and an exiting /init panics the kernel
# before the harness sees any result. Every step's status is checked explicitly.
set -uo pipefail

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root XDG_RUNTIME_DIR=/run/user0 MESA_SHADER_CACHE_DISABLE=true

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || true
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -m 0700 "$XDG_RUNTIME_DIR"
exec </dev/console >/dev/console 2>&1

uptime_s() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

finish() {
    echo "VIRGL4J-DONE pass=$PASS fail=$FAIL uptime=$(uptime_s)"
    sync
    # No init system in the image: power off directly (ACPI); fall back to sysrq.
    poweroff -f 2>/dev/null
    echo o > /proc/sysrq-trigger
    sleep 10
}

PASS=0 FAIL=0
TESTS=all FRAMES=60 DURATION=2 STEPTIMEOUT=30
for arg in $(cat /proc/cmdline); do
    case $arg in
        virgl4j.test=*) TESTS=${arg#*=} ;;
        virgl4j.frames=*) FRAMES=${arg#*=} ;;
        virgl4j.duration=*) DURATION=${arg#*=} ;;
        virgl4j.steptimeout=*) STEPTIMEOUT=${arg#*=} ;;
    esac
done
case $TESTS in
    all) TESTS=dmesg,eglinfo,kmscube,glmark2 ;;
    offscreen) TESTS=dmesg,eglinfo,glmark2 ;;
esac

echo "VIRGL4J-BOOT uptime=$(uptime_s) kernel=$(uname -r) tests=$TESTS"

# modprobe reads drm_kms_helper.* / virtio_gpu.* options from /proc/cmdline itself.
for m in virtio_pci virtio_gpu; do
    modprobe "$m" || echo "VIRGL4J-ERROR: modprobe $m failed"
done
for _ in $(seq 1 100); do
    [[ -e /dev/dri/card0 && -e /dev/dri/renderD128 ]] && break
    sleep 0.1
done
if [[ ! -e /dev/dri/card0 ]]; then
    echo "VIRGL4J-ERROR: /dev/dri/card0 did not appear"
fi
echo "VIRGL4J-DRI: $(ls /dev/dri 2>/dev/null | tr '\n' ' ')uptime=$(uptime_s)"

# run_step NAME command...   (output framed by BEGIN/END markers)
run_step() {
    local name=$1 tag t0 t1 rc
    shift
    tag=$(echo "$name" | tr '[:lower:]' '[:upper:]')
    echo "VIRGL4J-$tag-BEGIN"
    t0=$(uptime_s)
    # bash -c so that exported shell functions can be run under timeout(1)
    timeout -k 5 "$STEPTIMEOUT" bash -c '"$@"' "$name" "$@" 2>&1
    rc=$?
    t1=$(uptime_s)
    echo "VIRGL4J-$tag-END rc=$rc seconds=$(elapsed "$t0" "$t1")"
    if [[ $rc -eq 0 ]]; then
        PASS=$((PASS + 1))
        echo "VIRGL4J-RESULT $name PASS rc=$rc seconds=$(elapsed "$t0" "$t1")"
    else
        FAIL=$((FAIL + 1))
        echo "VIRGL4J-RESULT $name FAIL rc=$rc seconds=$(elapsed "$t0" "$t1")"
    fi
    return $rc
}

test_dmesg() {
    local lines
    lines=$(dmesg | grep -F '[drm]')
    if [[ -z $lines ]]; then
        echo "no [drm] lines in dmesg"
        return 1
    fi
    echo "$lines" | sed 's/^/VIRGL4J-DMESG: /'
}

test_eglinfo() {
    # eglinfo (mesa-utils 8.5) probes every platform; keep the summary lines.
    # Pass when the GBM platform (render node, off-screen) initialises on virtio_gpu.
    local out
    out=$(mktemp)
    eglinfo > "$out" 2>&1
    awk '/platform:$|^Device #|EGL (vendor|version) string|EGL driver name|EGL client APIs|eglInitialize failed/' "$out"
    awk '/^GBM platform:/ { gbm = 1; next } /platform:$/ { gbm = 0 }
         gbm && /EGL driver name:/ { print "VIRGL4J-EGLINFO-GBM-DRIVER: " $4; found = ($4 == "virtio_gpu") }
         END { exit found ? 0 : 1 }' "$out"
}

test_kmscube() {
    local out rc r fps
    out=$(mktemp)
    # stdbuf: keep the output even when the step timeout kills a hung program
    stdbuf -oL -eL kmscube -c "$FRAMES" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    r=$(sed -n 's/^ *renderer: "\(.*\)"$/\1/p' "$out" | head -n1)
    fps=$(sed -n 's/^Rendered \([0-9]*\) frames in \([0-9.]*\) sec (\([0-9.]*\) fps).*/\1 frames \2 s \3 fps/p' "$out" | tail -n1)
    [[ -n $r ]] && echo "VIRGL4J-KMSCUBE-RENDERER: $r"
    [[ -n $fps ]] && echo "VIRGL4J-KMSCUBE-FRAMES: $fps"
    [[ $rc -eq 0 && -n $fps ]]
}

test_glmark2() {
    local out rc score r size
    out=$(mktemp)
    # glmark2-es2-drm always uses the connector's largest mode as surface size.
    stdbuf -oL -eL glmark2-es2-drm --off-screen \
        -b "build:use-vbo=true:duration=$DURATION" \
        -b "shading:shading=phong:duration=$DURATION" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    r=$(sed -n 's/^ *GL_RENDERER: *//p' "$out" | head -n1)
    size=$(sed -n 's/^ *Surface Size: *//p' "$out" | head -n1)
    score=$(sed -n 's/.*glmark2 Score: *\([0-9][0-9]*\).*/\1/p' "$out" | tail -n1)
    [[ -n $r ]] && echo "VIRGL4J-GLMARK2-RENDERER: $r"
    [[ -n $size ]] && echo "VIRGL4J-GLMARK2-SURFACE: $size"
    [[ -n $score ]] && echo "VIRGL4J-GLMARK2-SCORE: $score"
    [[ $rc -eq 0 && -n $score ]]
}

test_console() {
    # The fbdev console draws into a 2D dumb buffer (RESOURCE_CREATE_2D, TRANSFER_TO_HOST_2D,
    # RESOURCE_FLUSH): what the 2D test stream in test-streams/ records.
    [[ -e /dev/fb0 && -e /dev/tty1 ]] || { echo "no /dev/fb0 or /dev/tty1 (fbdev emulation off?)"; return 1; }
    {
        printf '\033[2J\033[H\033[1;37;44m virgl4j test guest: framebuffer console \033[0m\n\n'
        uname -a
        echo
        dmesg | grep -F '[drm]' | cut -c1-100
        echo
        for i in 1 2 3 4 5 6 7 8; do printf '\033[3%dm line %d: the quick brown fox jumps over the lazy dog\033[0m\n' "$i" "$i"; done
    } > /dev/tty1
    sleep 1
    echo "VIRGL4J-CONSOLE: text written to tty1"
}

export DURATION FRAMES
export -f test_dmesg test_eglinfo test_kmscube test_glmark2 test_console

IFS=, read -r -a steps <<< "$TESTS"
for step in "${steps[@]}"; do
    case $step in
        dmesg) run_step dmesg test_dmesg ;;
        eglinfo) run_step eglinfo test_eglinfo ;;
        kmscube) run_step kmscube test_kmscube ;;
        glmark2) run_step glmark2 test_glmark2 ;;
        console) run_step console test_console ;;
        shell) echo "VIRGL4J-SHELL (exit to power off)"; setsid -c bash -l ;;
        *) echo "VIRGL4J-ERROR: unknown test '$step'"; FAIL=$((FAIL + 1)) ;;
    esac
done

# Anything the GPU driver complained about during the run.
dmesg | grep -iE 'virtio_gpu|\[drm\].*(error|fail)|\[drm:' | grep -viE 'features|number of|pci: virtio-gpu' \
    | sed 's/^/VIRGL4J-KLOG: /' || true

finish
