#!/usr/bin/env bash
# Long coverage-guided fuzzing runs of virgl4j's Jazzer fuzz targets (README "Fuzzing").
#
#   native/fuzz-long.sh [SECONDS] [TARGET...]
#
#   SECONDS  per target (default 600); TARGET one of: device virtqueue decoder vtest vhostuser stream (default: all,
#            one after the other, each in its own JVM: Jazzer fuzzes one target per JVM).
#   FUZZ_DIR where corpora and findings live (default java/target/fuzz-long; set it outside
#            target/ to keep the corpus across `mvn clean`). MVN_ARGS extra Maven arguments (-o).
#
# Runs Jazzer's standalone driver on the @FuzzTest methods (the same targets the normal suite
# fuzzes for 30 s each) with -max_total_time=SECONDS, a persistent corpus in
# $FUZZ_DIR/<target>/corpus and findings in $FUZZ_DIR/<target>/: crash-*/timeout-* inputs from
# libFuzzer, hs_err_pid*.log when native code killed the JVM. After such a JVM crash the requests
# of the input that did it (the crash witness) are printed, written as a seed file and replayed
# in a fresh JVM to confirm. Ends with the report table; exit status 0 only without findings.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECS="${1:-600}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(device virtqueue decoder vtest vhostuser stream)
FUZZ_DIR="${FUZZ_DIR:-$ROOT/java/target/fuzz-long}"
read -r -a MVN_EXTRA <<< "${MVN_ARGS:-}"
export MESA_SHADER_CACHE_DIR="$ROOT/java/target/mesa-shader-cache"

declare -A CLASS=([device]=DeviceFuzzTest [virtqueue]=VirtqueueFuzzTest [decoder]=DecoderFuzzTest
                 [vtest]=VtestFuzzTest [vhostuser]=VhostUserFuzzTest [stream]=StreamFuzzTest)
declare -A METHOD=([device]=controlQueue [virtqueue]=splitRing [decoder]=decode [vtest]=stream [vhostuser]=message [stream]=stream)
for t in "${TARGETS[@]}"; do
  [ -n "${CLASS[$t]:-}" ] || { echo "fuzz-long: unknown target '$t' (device, virtqueue, decoder, vtest, vhostuser, stream)" >&2; exit 2; }
done

mkdir -p "$FUZZ_DIR/report"
echo "fuzz-long: building (mvn install -DskipTests) ..." >&2
mvn -B -q "${MVN_EXTRA[@]}" -f "$ROOT/pom.xml" install -DskipTests
mvn -B -q "${MVN_EXTRA[@]}" -f "$ROOT/java/pom.xml" dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$FUZZ_DIR/classpath.txt" >/dev/null
CP="$ROOT/java/target/test-classes:$ROOT/java/target/classes:$(cat "$FUZZ_DIR/classpath.txt")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

status=0
for t in "${TARGETS[@]}"; do
  dir="$FUZZ_DIR/$t"
  mkdir -p "$dir/corpus"
  # Findings of an earlier run would count again: keep them aside.
  old=$(find "$dir" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'slow-unit-*' -o -name 'oom-*' \
        -o -name 'leak-*' -o -name 'hs_err*' \) | wc -l)
  if [ "$old" -gt 0 ]; then
    keep="$dir/previous-$(date +%Y%m%d-%H%M%S)"
    mkdir -p "$keep"
    find "$dir" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'slow-unit-*' -o -name 'oom-*' \
        -o -name 'leak-*' -o -name 'hs_err*' \) -exec mv {} "$keep/" \;
    echo "fuzz-long: $t: $old earlier findings moved to $keep" >&2
  fi
  echo "fuzz-long: $t: fuzzing ${CLASS[$t]}.${METHOD[$t]} for ${SECS}s; log $dir/fuzz.log" >&2
  set +e
  (cd "$dir" && "$JAVA" -Xmx2g -XX:-OmitStackTraceInFastThrow -cp "$CP" \
      -Dvirgl4j.fuzz.reportDir="$FUZZ_DIR/report" -Dvirgl4j.fuzz.witnessDir="$dir" \
      com.code_intelligence.jazzer.Jazzer \
      --target_class="io.github.virgl4j.fuzz.${CLASS[$t]}" --target_method="${METHOD[$t]}" \
      -max_total_time="$SECS" -artifact_prefix="$dir/" "$dir/corpus") 2>&1 \
    | tee "$dir/fuzz.log" | grep --line-buffered -E 'pulse|DONE|Done [0-9]+ runs|ERROR|FuzzerSecurityIssue|Exception|artifact_prefix'
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne 0 ]; then
    status=1
    if ls "$dir"/hs_err_pid*.log >/dev/null 2>&1; then
      echo "fuzz-long: $t: the JVM crashed (exit $rc, $(ls "$dir"/hs_err_pid*.log | head -1))" >&2
      grep -m3 -E '^# (Problematic frame|C  \[)|^C  \[' "$dir"/hs_err_pid*.log >&2 || true
      if [ "$t" = device ]; then
        echo "fuzz-long: replaying the crash witness in a fresh JVM ..." >&2
        set +e
        "$JAVA" -cp "$CP" io.github.virgl4j.fuzz.ReplayWitness "$dir/device.witness" 2>&1 | tee "$dir/replay.log"
        echo "fuzz-long: replay exit status ${PIPESTATUS[0]} (non-zero: reproduced)" >&2
        set -e
      fi
    else
      echo "fuzz-long: $t: Jazzer exit $rc: findings: $(ls "$dir" | grep -E '^(crash|timeout|slow-unit|oom|leak)-' | tr '\n' ' ')" >&2
    fi
  fi
done

"$JAVA" -cp "$CP" io.github.virgl4j.fuzz.FuzzReport "$FUZZ_DIR" "$FUZZ_DIR/report" "${TARGETS[@]}" || status=1
exit $status
