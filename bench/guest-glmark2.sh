#!/usr/bin/env bash
# One run, three GPUs for the same guest (native/guest): glmark2-es2-drm --off-screen inside a
# Debian guest under QEMU 10 (TCG), alternately through
#   virgl4j   ./virgl4j vhost-user        (vhost-user-gpu-pci)
#   C         /usr/lib/qemu/vhost-user-gpu --virgl --render-node=/dev/null (QEMU's C back end)
#   built-in  -device virtio-gpu-gl-pci -display egl-headless,rendernode=/dev/null
# and prints each score per round and the ratios measured in this run.
#   bench/guest-glmark2.sh [--rounds=N]
# The vhost-user guests boot with fbdev off here so QEMU's C back end (which dies at the first
# SET_SCANOUT on llvmpipe) can run; the test is off-screen only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
G="$ROOT/native/guest"
ROUNDS=2
for arg in "$@"; do
  case "$arg" in --rounds=*) ROUNDS="${arg#*=}" ;; *) echo "unknown option $arg" >&2; exit 2 ;; esac
done
"$G/install-qemu10.sh" >/dev/null
"$G/build-guest.sh" >/dev/null
WORK=$(mktemp -d /run/virgl4j-guestbench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

score_of() { grep -m1 '^VIRGL4J-GLMARK2-SCORE:' "$1" | grep -o '[0-9]*$' || echo 0; }

run_vhost() { # NAME COMMAND...: starts a back end on a fresh socket, boots the guest
  local name=$1; shift
  local sock="$WORK/$name.sock"
  rm -f "$sock"
  env -u GALLIUM_DRIVER "$@" --socket-path="$sock" >"$WORK/$name.backend.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 150); do [ -S "$sock" ] && break; sleep 0.2; done
  "$G/run-guest.sh" --device=vhost-user --socket="$sock" --backend-pid="$pid" --test=glmark2 \
      --fbdev=off --log="$WORK/$name.console" >/dev/null 2>&1 || true
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  score_of "$WORK/$name.console"
}

run_builtin() {
  "$G/run-guest.sh" --device=gl --test=glmark2 --log="$WORK/$1.console" >/dev/null 2>&1 || true
  score_of "$WORK/$1.console"
}

declare -A total=([virgl4j]=0 [c]=0 [builtin]=0)
printf '%-6s %8s %8s %9s\n' round virgl4j C built-in
for r in $(seq 1 "$ROUNDS"); do
  v=$(run_vhost "v4j-$r" "$ROOT/virgl4j" vhost-user)
  c=$(run_vhost "c-$r" /usr/lib/qemu/vhost-user-gpu --virgl --render-node=/dev/null)
  b=$(run_builtin "gl-$r")
  printf '%-6s %8s %8s %9s\n' "$r" "$v" "$c" "$b"
  total[virgl4j]=$((total[virgl4j] + v)); total[c]=$((total[c] + c)); total[builtin]=$((total[builtin] + b))
done
awk -v v="${total[virgl4j]}" -v c="${total[c]}" -v b="${total[builtin]}" -v n="$ROUNDS" 'BEGIN {
  printf "mean score: virgl4j %.0f, C back end %.0f, built-in %.0f\n", v / n, c / n, b / n
  printf "ratio virgl4j/C back end: %s   virgl4j/built-in: %s\n", (c > 0 ? sprintf("%.2f", v / c) : "n/a"),
         (b > 0 ? sprintf("%.2f", v / b) : "n/a") }'
