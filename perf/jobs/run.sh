#!/usr/bin/env bash
# Job queue benchmark: ./perf/jobs/run.sh   (from the repository root)
# Needs a PostgreSQL server (default 127.0.0.1:5432, user postgres, trust auth); recreates the
# database keel_jobs_bench. Options as -D system properties in BENCH_OPTS, e.g.
#   BENCH_OPTS="-Dbench.concurrency=128 -Dbench.jobs=50000 -Dbench.server=jdbc:postgresql://host:5432/" ./perf/jobs/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -o -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/perf-classpath.txt -Dmdep.includeScope=test
CP="target/classes:$(cat target/perf-classpath.txt)"
mkdir -p target/perf-classes
javac -q -proc:none -d target/perf-classes -cp "$CP" perf/jobs/JobsBenchmark.java 2>/dev/null || javac -proc:none -d target/perf-classes -cp "$CP" perf/jobs/JobsBenchmark.java
exec java ${BENCH_OPTS:-} -cp "target/perf-classes:$CP" dev.keel.jobs.perf.JobsBenchmark 2>&1 | tee target/jobs-benchmark.log | grep -A200 "==== Keel job queue benchmark"
