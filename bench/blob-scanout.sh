#!/usr/bin/env bash
# A 1024x768 frame from a 2D resource (transfer + flush) vs from a GUEST blob over the same guest
# pages (flush reads them in place), no renderer, in one run (see BlobScanoutBenchmark).
#   bench/blob-scanout.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn -B -q -f "$ROOT/pom.xml" -DskipTests install >/dev/null
mvn -B -q -f "$ROOT/java/pom.xml" test-compile >/dev/null
CP="$ROOT/java/target/test-classes:$ROOT/java/target/classes:$(ls "$ROOT"/java/target/lib/*.jar | tr '\n' ':')"
exec java -cp "$CP" io.github.virgl4j.bench.BlobScanoutBenchmark "$@"
