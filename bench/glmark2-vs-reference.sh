#!/usr/bin/env bash
# Runs the same glmark2 scenes alternately against virgl_test_server (the C reference) and
# ./virgl4j vtest, several rounds, under Xvfb, and prints per-scene FPS and the score ratio
# virgl4j / reference measured in this one run; also glmark2 on native llvmpipe (no forwarding).
#
#   bench/glmark2-vs-reference.sh [--rounds=N] [--size=WxH] [--duration=S] [--scenes=a,b,c] [--warmup=S]
#                                 [--windowed]
#
# glmark2 runs --off-screen (it renders into a framebuffer object; nothing is read back for a
# window). --windowed runs it in an Xvfb window instead, as this script did before: then every
# frame is also read back through the server (TRANSFER_GET2, a BGRA->RGBA copy in Mesa) and
# drawn by Xvfb, which is the same fixed cost for both servers and dilutes the difference.
#
# Fair to both: an unscored warm-up pass (--warmup=S seconds per scene, default 2; 0 for none)
# runs against both servers first, one connection per scene like the scored runs, so neither
# pays alone for filling the shared Mesa shader cache (the server's llvmpipe shaders are the same
# for both) and virgl4j's JIT is warm. Scored runs
# are one glmark2 run (one connection) per scene, the two servers back to back for each scene,
# who goes first alternating by scene and by round: this machine's own speed drifts by up to 10%
# within a minute, so comparing whole passes run a minute apart measured mostly that drift.
#
# Each client runs in a private mount namespace with /tmp/.virgl_test pointing at its server
# (Mesa 22.3 ignores VTEST_SOCKET_NAME). Needs root (unshare), Xvfb, virgl-server, glmark2-x11.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=3
SIZE=800x600
DURATION=3
WARMUP=2
MODE=--off-screen
SCENES=build,texture,shading,bump,effect2d,pulsar,desktop,buffer,ideas,jellyfish,terrain,shadow,refract,conditionals,function,loop
for arg in "$@"; do
  case "$arg" in
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --size=*) SIZE="${arg#*=}" ;;
    --duration=*) DURATION="${arg#*=}" ;;
    --scenes=*) SCENES="${arg#*=}" ;;
    --warmup=*) WARMUP="${arg#*=}" ;;
    --windowed) MODE= ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d /run/virgl4j-bench.XXXXXX)
export MESA_SHADER_CACHE_DIR="$WORK/mesa-cache"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

Xvfb :91 -nolisten tcp -screen 0 1280x1024x24 >"$WORK/xvfb.log" 2>&1 & PIDS+=($!)
sleep 1

wait_socket() { for _ in $(seq 1 100); do [ -S "$1" ] && return 0; sleep 0.2; done; echo "no socket $1" >&2; return 1; }

IFS=, read -r -a scene_list <<< "$SCENES"
# one_scene SCENE [SECONDS]: the glmark2 arguments for one scene's run (default --duration)
one_scene() { args=($MODE -s "$SIZE" -b "$1:duration=${2:-$DURATION}"); }

# client NAME SOCKET|native: runs glmark2 and writes its output to $WORK/NAME.out
client() {
  local name=$1 sock=$2
  if [ "$sock" = native ]; then
    env -u GALLIUM_DRIVER DISPLAY=:91 glmark2 "${args[@]}" >"$WORK/$name.out" 2>&1 || true
  else
    unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /tmp && ln -s "$0" /tmp/.virgl_test && exec "$@"' \
      "$sock" env DISPLAY=:91 GALLIUM_DRIVER=virpipe MESA_SHADER_CACHE_DIR="$MESA_SHADER_CACHE_DIR" \
      glmark2 "${args[@]}" >"$WORK/$name.out" 2>&1 || true
  fi
}

# Both servers stay up for the whole run; their environment has no GALLIUM_DRIVER.
env -u GALLIUM_DRIVER virgl_test_server --use-egl-surfaceless --socket-path="$WORK/ref.sock" >"$WORK/ref.log" 2>&1 & PIDS+=($!)
env -u GALLIUM_DRIVER "$ROOT/virgl4j" vtest --socket-path="$WORK/v4j.sock" >"$WORK/v4j.log" 2>&1 & PIDS+=($!)
wait_socket "$WORK/ref.sock"; wait_socket "$WORK/v4j.sock"

# The warm-up is shaped like the scored runs, one connection per scene: virgl4j's JIT goes on
# compiling for several connections after one long one (measured after a 16-scene warm-up in one
# connection: 560, 210, 180, 80 ms of C2 time in the next four 3-s scene runs; after 16 one-scene
# connections: 150, 95, then 0-20 ms), and on two cores that time is taken from llvmpipe.
if [ "$WARMUP" != 0 ]; then
  echo "warm-up (unscored: one connection per scene, ${WARMUP} s each, for both servers) ..." >&2
  for s in "${scene_list[@]}"; do
    one_scene "$s" "$WARMUP"
    client warm-ref "$WORK/ref.sock"; client warm-v4j "$WORK/v4j.sock"
  done
fi
# Scored runs: one glmark2 run per scene, the two servers back to back for each scene (who goes
# first alternates by scene and by round), so both see the machine at nearly the same moment:
# this machine's speed drifts by up to 10% over a minute, more than the difference measured.
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS ..." >&2
  i=0
  for s in "${scene_list[@]}"; do
    one_scene "$s"
    if [ $(((r + i) % 2)) = 1 ]; then
      client "ref-$r-$s" "$WORK/ref.sock"; client "v4j-$r-$s" "$WORK/v4j.sock"
    else
      client "v4j-$r-$s" "$WORK/v4j.sock"; client "ref-$r-$s" "$WORK/ref.sock"
    fi
    i=$((i + 1))
  done
done
for s in "${scene_list[@]}"; do one_scene "$s"; client "native-$s" native; done

# fps FILE SCENE: the scene's FPS in one glmark2 output (0 if it did not run)
fps() { { grep -o "^\[$2\][^F]*FPS: [0-9]*" "$1" 2>/dev/null || true; } | head -1 | grep -o '[0-9]*$' || echo 0; }
# score PREFIX: glmark2's score (the mean of the scenes' FPS) of one server's runs in a round
score() { local t=0; for s in "${scene_list[@]}"; do t=$((t + $(fps "$WORK/$1-$s.out" "$s"))); done; echo $((t / ${#scene_list[@]})); }

printf '%-14s %10s %10s %8s\n' scene reference virgl4j ratio
for s in "${scene_list[@]}"; do
  ref=0; v=0
  for r in $(seq 1 "$ROUNDS"); do
    ref=$((ref + $(fps "$WORK/ref-$r-$s.out" "$s"))); v=$((v + $(fps "$WORK/v4j-$r-$s.out" "$s")))
  done
  ratio=$(awk -v a="$v" -v b="$ref" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
  printf '%-14s %10.1f %10.1f %8s\n' "$s" "$(awk -v x=$ref -v n=$ROUNDS 'BEGIN{print x/n}')" \
    "$(awk -v x=$v -v n=$ROUNDS 'BEGIN{print x/n}')" "$ratio"
done
refscore=0; vscore=0
for r in $(seq 1 "$ROUNDS"); do
  a=$(score "v4j-$r"); b=$(score "ref-$r")
  refscore=$((refscore + b)); vscore=$((vscore + a))
  awk -v r="$r" -v a="$a" -v b="$b" 'BEGIN { printf "round %d: reference %d, virgl4j %d, ratio %.2f\n", r, b, a, (b > 0 ? a / b : 0) }'
done
native=$(score native)
echo "glmark2 score (mean of $ROUNDS rounds, $SIZE, ${MODE:-windowed}): reference $((refscore / ROUNDS)), virgl4j $((vscore / ROUNDS)), native llvmpipe $native"
awk -v a="$vscore" -v b="$refscore" -v n="$native" -v r="$ROUNDS" 'BEGIN {
  printf "ratio virgl4j/virgl_test_server: %.2f   virgl4j/native llvmpipe: %.2f\n", a / b, (a / r) / n }'
# The paired runs' ratios (one per scene and round): their geometric mean and its 95% interval say
# how sure one run is; the score ratio above weighs fast scenes most, as glmark2's score does.
for r in $(seq 1 "$ROUNDS"); do for s in "${scene_list[@]}"; do
  echo "$(fps "$WORK/v4j-$r-$s.out" "$s") $(fps "$WORK/ref-$r-$s.out" "$s")"
done; done | awk '$1 > 0 && $2 > 0 { x = log($1 / $2); n++; sum += x; sq += x * x }
  END { if (n < 2) exit; m = sum / n; se = sqrt((sq - n * m * m) / (n - 1) / n)
        printf "paired runs: geometric mean ratio %.3f (95%% interval %.3f-%.3f, %d pairs)\n", exp(m), exp(m - 1.96 * se), exp(m + 1.96 * se), n }'
