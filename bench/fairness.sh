#!/usr/bin/env bash
# Fairness of the shared render thread (see FairnessBenchmark): a light guest's frame latency
# alone and while another guest floods SUBMIT_3D, and their ratio.
#   bench/fairness.sh [FRAMES] [FLOOD_SIZE]   (the flood: full-screen clears of FLOOD_SIZE², default 2048)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn -B -q -f "$ROOT/pom.xml" -DskipTests install >/dev/null
mvn -B -q -f "$ROOT/java/pom.xml" test-compile >/dev/null
CP="$ROOT/java/target/test-classes:$ROOT/java/target/classes:$(ls "$ROOT"/java/target/lib/*.jar | tr '\n' ':')"
export MESA_SHADER_CACHE_DIR="${MESA_SHADER_CACHE_DIR:-$ROOT/java/target/mesa-shader-cache}"
# VIRGL4J_JAVA_OPTS=-Dvirgl4j.contextFences=true compares per-context fences.
exec java ${VIRGL4J_JAVA_OPTS:-} -cp "$CP" io.github.virgl4j.bench.FairnessBenchmark "$@"
