#!/usr/bin/env bash
# Object storage benchmark: ./perf/storage/run.sh   (from the repository root)
# Starts s3proxy in this JVM (objects in a temporary directory) and prints put/get throughput and
# peak heap growth of a 64 MB stream. Options as -D system properties in BENCH_OPTS, e.g.
#   BENCH_OPTS="-Dbench.sizeMb=256 -Dbench.rounds=5 -Xmx256m" ./perf/storage/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -o -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/perf-classpath.txt -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/perf-classpath.txt)"
mkdir -p target/perf-classes
javac -proc:none -nowarn -d target/perf-classes -cp "$CP" perf/storage/StorageBenchmark.java
exec java -Xmx160m ${BENCH_OPTS:-} -cp "target/perf-classes:$CP" dev.keel.storage.StorageBenchmark 2>&1 | tee target/storage-benchmark.log | grep -A20 "==== Keel storage benchmark"
