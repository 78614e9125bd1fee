#!/usr/bin/env bash
# Where one glmark2 --off-screen frame's CPU goes in each vtest server: runs one scene against
# virgl_test_server --use-egl-surfaceless (it forks a process per client), virgl_test_server
# --no-fork (one long-lived process, like virgl4j) and ./virgl4j vtest, several rounds, the order
# of the servers rotating through every permutation, and reads their threads' CPU time over the middle of every
# run from /proc/PID/task/TID/schedstat. Prints per run the FPS and the CPU per frame of the
# llvmpipe rasterizer threads, the main (render) thread, vrend's fence thread and (virgl4j) the
# JIT compilers; then, paired by round, the geometric mean ratio to the reference and its 95%
# interval for each.
#
#   bench/glmark2-thread-cost.sh [--scene=texture] [--rounds=6] [--duration=4] [--warmup=16]
#                                [--jvm-in-reference] [--alt-java-opts="OPTS"] [--alt-root=DIR]
#
# --jvm-in-reference adds a fourth server, "jvmref": virgl_test_server --no-fork with an idle JVM
# started inside it (bench/jvm-in-process.c, built here with gcc against this JDK's libjvm and
# LD_PRELOADed), to tell what any JVM in the process costs from what virgl4j does; the server
# order then rotates through all permutations, one per round.
#
# --alt-java-opts="OPTS" and/or --alt-root=DIR add "v4jalt": a second virgl4j vtest, started with
# VIRGL4J_JAVA_OPTS=OPTS and/or from another checkout's DIR/virgl4j (built there first, e.g. a
# `git worktree` of the commit before a change), to measure a JVM option or a change against
# this build in the same run (e.g. --alt-java-opts="-XX:UseAVX=2").
#
# --warmup=N: N unscored 2-s connections per server first (bump, texture, shading, pulsar in
# turn), so virgl4j's JIT has mostly finished (its C2 compiles settle after ~15 short
# connections; the "jit" column shows what is left). Needs root (unshare), Xvfb, virgl-server,
# glmark2-x11.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCENE=texture; ROUNDS=6; DURATION=4; WARMUP=16; JVMREF=0; ALT_OPTS=""; ALT_ROOT=""
for arg in "$@"; do
  case "$arg" in
    --scene=*) SCENE="${arg#*=}" ;;
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --duration=*) DURATION="${arg#*=}" ;;
    --warmup=*) WARMUP="${arg#*=}" ;;
    --jvm-in-reference) JVMREF=1 ;;
    --alt-java-opts=*) ALT_OPTS="${arg#*=}" ;;
    --alt-root=*) ALT_ROOT="$(cd "${arg#*=}" && pwd)" ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
[ "$DURATION" -ge 4 ] || { echo "--duration must be at least 4 (2 s are measured from 1.5 s after glmark2 starts, which takes ~0.5 s to begin its scene)" >&2; exit 2; }

WORK=$(mktemp -d /run/virgl4j-thread-cost.XXXXXX)
export MESA_SHADER_CACHE_DIR="$WORK/mesa-cache"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

Xvfb :92 -nolisten tcp -screen 0 1280x1024x24 >"$WORK/xvfb.log" 2>&1 & PIDS+=($!)
# Servers never see GALLIUM_DRIVER (their own Mesa would connect back to themselves).
env -u GALLIUM_DRIVER virgl_test_server --use-egl-surfaceless --socket-path="$WORK/ref.sock" >"$WORK/ref.log" 2>&1 & REF=$!; PIDS+=($REF)
env -u GALLIUM_DRIVER virgl_test_server --use-egl-surfaceless --no-fork --socket-path="$WORK/nofork.sock" >"$WORK/nofork.log" 2>&1 & NOFORK=$!; PIDS+=($NOFORK)
env -u GALLIUM_DRIVER "$ROOT/virgl4j" vtest --socket-path="$WORK/virgl4j.sock" >"$WORK/virgl4j.log" 2>&1 & PIDS+=($!)
SERVERS=(ref nofork virgl4j)
if [ "$JVMREF" = 1 ]; then
  JAVA_HOME_DIR="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
  gcc -O2 -shared -fPIC -I"$JAVA_HOME_DIR/include" -I"$JAVA_HOME_DIR/include/linux" -o "$WORK/jvm-in-process.so" \
    "$ROOT/bench/jvm-in-process.c" -L"$JAVA_HOME_DIR/lib/server" -ljvm -Wl,-rpath,"$JAVA_HOME_DIR/lib/server"
  env -u GALLIUM_DRIVER VIRGL4J_BENCH_JVM= LD_PRELOAD="$WORK/jvm-in-process.so" \
    virgl_test_server --use-egl-surfaceless --no-fork --socket-path="$WORK/jvmref.sock" >"$WORK/jvmref.log" 2>&1 & JVMREF_PID=$!; PIDS+=($JVMREF_PID)
  SERVERS+=(jvmref)
fi
if [ -n "$ALT_OPTS$ALT_ROOT" ]; then
  env -u GALLIUM_DRIVER VIRGL4J_JAVA_OPTS="$ALT_OPTS" "${ALT_ROOT:-$ROOT}/virgl4j" vtest --socket-path="$WORK/v4jalt.sock" >"$WORK/v4jalt.log" 2>&1 & PIDS+=($!)
  SERVERS+=(v4jalt)
fi
for _ in $(seq 1 150); do
  missing=0; for s in "${SERVERS[@]}"; do [ -S "$WORK/$s.sock" ] || missing=1; done
  [ $missing = 0 ] && break; sleep 0.2
done
V4J=$(pgrep -n -f "java.*$WORK/virgl4j.sock")
V4JALT=$(pgrep -n -f "java.*$WORK/v4jalt.sock" || true)

# client NAME SECONDS SCENE: glmark2 against NAME's socket in a private /tmp; output in $WORK/NAME.out
client() {
  unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /tmp && ln -s "$0" /tmp/.virgl_test && exec "$@"' \
    "$WORK/$1.sock" env DISPLAY=:92 GALLIUM_DRIVER=virpipe MESA_SHADER_CACHE_DIR="$MESA_SHADER_CACHE_DIR" \
    glmark2 --off-screen -s 800x600 -b "$3:duration=$2" >"$WORK/$1.out" 2>&1 || true
}
# The process doing the rendering: the reference's newest forked child, the others themselves.
server_pid() {
  case $1 in
    ref) pgrep -n -P "$REF" || echo "$REF" ;;
    nofork) echo "$NOFORK" ;;
    virgl4j) echo "$V4J" ;;
    jvmref) echo "$JVMREF_PID" ;;
    v4jalt) echo "$V4JALT" ;;
  esac
}
# snap PID: "tid comm run-ns wait-ns" per thread
snap() { for t in /proc/"$1"/task/*; do echo "$(basename "$t") $(tr ' ' _ < "$t/comm") $(cut -d' ' -f1,2 "$t/schedstat")"; done 2>/dev/null; }

# measure NAME: one scored run; appends "NAME fps F rasterizers R main M sync S jit J" to results
measure() {
  client "$1" "$DURATION" "$SCENE" & local c=$!
  sleep 1.5
  local pid; pid=$(server_pid "$1")
  snap "$pid" | sort >"$WORK/a"; sleep 2; snap "$pid" | sort >"$WORK/b"
  wait $c
  local fps; fps=$({ grep -o 'FPS: [0-9]*' "$WORK/$1.out" || echo 'FPS: 0'; } | head -1 | grep -o '[0-9]*$')
  join "$WORK/a" "$WORK/b" | awk -v n="$1" -v fps="$fps" '
    { us = ($6 - $3) / 1000 / (fps * 2)
      if ($2 ~ /^llvmpipe/) r += us; else if ($2 ~ /^vrend-sync/) s += us
      else if ($2 ~ /^C[12]_Compiler/) j += us; else if (us > m) m = us }
    END { if (fps == 0) { print n, "fps", 0; exit }
          printf "%s fps %d rasterizers %.1f main %.1f sync %.1f jit %.1f\n", n, fps, r, m, s, j }' \
    | tee -a "$WORK/results"
}

if [ "$WARMUP" -gt 0 ]; then
  echo "warm-up: $WARMUP unscored 2-s connections per server ..." >&2
  scenes=(bump texture shading pulsar)
  for i in $(seq 0 $((WARMUP - 1))); do
    for s in "${SERVERS[@]}"; do client "$s" 2 "${scenes[$((i % 4))]}"; done
  done
fi
echo "scene $SCENE, $ROUNDS rounds; CPU per frame in µs, over the middle 2 s of each ${DURATION}-s run:"
# Server orders: every permutation in turn (so no server always follows the same one); stepping by 7,
# which has no factor in common with 6, 24 or 120 (3 to 5 servers), reaches them all.
mapfile -t ORDERS < <(python3 -c 'import itertools, sys; [print(" ".join(p)) for p in itertools.permutations(sys.argv[1:])]' "${SERVERS[@]}")
for r in $(seq 1 "$ROUNDS"); do
  for s in ${ORDERS[$(((r - 1) * 7 % ${#ORDERS[@]}))]}; do measure "$s"; done
done
# Paired by round (one run of each server per round): geometric mean of server/ref and its 95% interval.
awk -v servers="${SERVERS[*]:1}" '{ v[$1, ++n[$1]] = $0 }
  END {
    split("fps rasterizers main sync", cols, " ")
    ns = split(servers, others, " ")
    for (si = 1; si <= ns; si++) {
      s = others[si]
      for (ci = 1; ci <= 4; ci++) {
        c = cols[ci]; k = 0; sum = 0; sq = 0
        for (i = 1; i <= n["ref"]; i++) {
          split(v["ref", i], a, " "); split(v[s, i], b, " ")
          x = y = 0
          for (f = 2; f < 12; f += 2) { if (a[f] == c) x = a[f + 1]; if (b[f] == c) y = b[f + 1] }
          if (x > 0 && y > 0) { d = log(y / x); k++; sum += d; sq += d * d }
        }
        if (k < 2) continue
        m = sum / k; se = sqrt((sq - k * m * m) / (k - 1) / k)
        printf "%-8s/ref %-12s %.3f (95%% interval %.3f-%.3f, %d rounds)\n", s, c, exp(m), exp(m - 1.96 * se), exp(m + 1.96 * se), k
      }
    }
  }' "$WORK/results"
