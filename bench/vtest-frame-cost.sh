#!/usr/bin/env bash
# What serving one glmark2 --off-screen frame's requests costs each vtest server, without the
# frame's GPU work: VtestFrameCost sends Mesa virpipe's per-frame requests (RESOURCE_UNREF,
# SUBMIT_CMD, RESOURCE_CREATE2 + fd, BUSY_WAIT) with a 64x64 clear as the only drawing, to
# virgl_test_server --use-egl-surfaceless and to ./virgl4j vtest in turn, and reads each server's
# threads' CPU time from /proc. Prints per round and the medians: frames/s, the server thread's
# CPU per frame (virgl_test_server's forked client process main thread; virgl4j's render thread)
# and all the server process's threads together (virgl4j: also its JIT and GC threads).
#   bench/vtest-frame-cost.sh [ROUNDS=5] [FRAMES=20000] [WARMUP=20000]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=${1:-5}; FRAMES=${2:-20000}; WARMUP=${3:-20000}
mvn -B -q -f "$ROOT/pom.xml" -DskipTests install >/dev/null
mvn -B -q -f "$ROOT/java/pom.xml" test-compile >/dev/null
CP="$ROOT/java/target/test-classes:$ROOT/java/target/classes:$(ls "$ROOT"/java/target/lib/*.jar | tr '\n' ':')"
WORK=$(mktemp -d /run/virgl4j-frame-cost.XXXXXX)
export MESA_SHADER_CACHE_DIR="$WORK/mesa-cache"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
env -u GALLIUM_DRIVER virgl_test_server --use-egl-surfaceless --socket-path="$WORK/ref.sock" >"$WORK/ref.log" 2>&1 & REF=$!; PIDS+=($REF)
env -u GALLIUM_DRIVER "$ROOT/virgl4j" vtest --socket-path="$WORK/v4j.sock" >"$WORK/v4j.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 150); do [ -S "$WORK/ref.sock" ] && [ -S "$WORK/v4j.sock" ] && break; sleep 0.2; done
V4J=$(pgrep -n -f "java.*$WORK/v4j.sock")

# run NAME: one client against NAME's server; prints "fps thread-us all-us"
run() {
  local out
  if [ "$1" = ref ]; then
    out=$(java -cp "$CP" io.github.virgl4j.transport.vtest.VtestFrameCost "$WORK/ref.sock" "$WARMUP" "$FRAMES" "children-of:$REF")
    thread=virgl_test_serv
  else
    out=$(java -cp "$CP" io.github.virgl4j.transport.vtest.VtestFrameCost "$WORK/v4j.sock" "$WARMUP" "$FRAMES" "$V4J")
    thread=virgl4j-render
  fi
  echo "$out" | awk -v t="$thread" '/frames\/s/ { f = $(NF - 1) } $0 ~ "cpu " t "/" { th = $(NF - 1) }
    /\(all threads\)/ { a = $(NF - 1) } END { print f, th, a }'
}

printf '%-6s %12s %12s %14s %12s %12s %14s\n' round 'ref fps' 'ref thr us' 'ref all us' 'v4j fps' 'v4j thr us' 'v4j all us'
: > "$WORK/rows"
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then a=$(run ref); b=$(run v4j); else b=$(run v4j); a=$(run ref); fi
  echo "$a $b" >> "$WORK/rows"
  read -r af at aa bf bt ba <<< "$a $b"
  printf '%-6s %12s %12s %14s %12s %12s %14s\n' "$r" "$af" "$at" "$aa" "$bf" "$bt" "$ba"
done
# medians of the per-round ratios
awk '{ f[NR] = $4 / $1; t[NR] = $5 / $2; a[NR] = $6 / $3 }
  function med(x, n,   i, j, s) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] < x[i]) { s = x[i]; x[i] = x[j]; x[j] = s }
    return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2 }
  END { printf "median ratios virgl4j/virgl_test_server: frames/s %.2f, server thread CPU per frame %.2f, all threads %.2f (%d rounds)\n",
        med(f, NR), med(t, NR), med(a, NR), NR }' "$WORK/rows"
