#!/usr/bin/env bash
# Replay throughput: every stream of test-streams/ (or the given files/directories) replayed
# ROUNDS times (default 3) in one JVM after a warm-up round; prints requests/s, MB/s (requests +
# recorded guest bytes) and frames/s per stream and in total, from the best round of each.
#   bench/replay-throughput.sh [--rounds=N] [STREAM|DIR ...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=3
args=()
for a in "$@"; do
    case $a in
        --rounds=*) ROUNDS=${a#*=} ;;
        *) args+=("$a") ;;
    esac
done
[[ ${#args[@]} -gt 0 ]] || args=("$ROOT/test-streams")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for r in $(seq 0 "$ROUNDS"); do   # round 0 warms the JIT and Mesa's shader cache
    "$ROOT/virgl4j" replay --json --backend=llvmpipe "${args[@]}" > "$out/round-$r.json"
done
python3 - "$out" "$ROUNDS" <<'PY'
import json, sys, os
out, rounds = sys.argv[1], int(sys.argv[2])
best = {}
for r in range(1, rounds + 1):
    for rep in json.load(open(os.path.join(out, f"round-{r}.json"))):
        name = os.path.basename(rep["stream"])
        if name not in best or rep["nanos"] < best[name]["nanos"]:
            best[name] = rep
print(f"{'stream':28} {'requests':>8} {'MB':>6} {'frames':>6} {'s':>6} {'req/s':>8} {'MB/s':>6} {'frames/s':>8}")
tr = tb = tf = tn = 0
for name, rep in sorted(best.items()):
    s = rep["nanos"] / 1e9
    n, b, f = rep["requests"], rep["bytes"] / 1e6, len(rep["frames"])
    tr, tb, tf, tn = tr + n, tb + b, tf + f, tn + s
    print(f"{name:28} {n:8} {b:6.1f} {f:6} {s:6.2f} {n / s:8.0f} {b / s:6.1f} {f / s:8.1f}")
print(f"{'total':28} {tr:8} {tb:6.1f} {tf:6} {tn:6.2f} {tr / tn:8.0f} {tb / tn:6.1f} {tf / tn:8.1f}")
PY
