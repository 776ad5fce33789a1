#!/usr/bin/env bash
# Liveness throughput and latency: Keel's /up (all of Keel's filters: correlation id, tracing,
# security headers, access log) against a bare Spring Boot /up on the same machine, same JVM, same
# settings, measured back to back in one run. Prints both and the ratio (SPEC §8: >= 80 %, p99 < 5 ms).
#   perf/http/run.sh [seconds=20] [connections=16]
# Needs wrk (apt-get install wrk). Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-20}
CONNECTIONS=${2:-16}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[[ -f target/keel.jar ]] || JAVA_HOME=$JAVA_HOME ./mvnw -B -q -DskipTests package
[[ -f perf/http/bare-boot/target/bare-boot.jar ]] || JAVA_HOME=$JAVA_HOME ./mvnw -B -q -f perf/http/bare-boot/pom.xml -DskipTests package
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

measure() { # name jar port [env...]
	local name=$1 jar=$2 port=$3; shift 3
	(cd "$WORK" && exec env "$@" "$JAVA" -Xmx512m -jar "$jar" --server.port="$port" >"$WORK/$name.log" 2>&1) &
	local pid=$!
	until curl -sf "http://127.0.0.1:$port/up" >/dev/null; do sleep 0.2; done
	wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$port/up" >/dev/null   # warm-up (JIT)
	wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$port/up" >"$WORK/$name.wrk"
	kill "$pid"; wait "$pid" 2>/dev/null || true
	local rps p50 p99
	rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.wrk")
	p50=$(awk '$1=="50%" {print $2}' "$WORK/$name.wrk")
	p99=$(awk '$1=="99%" {print $2}' "$WORK/$name.wrk")
	printf '%-6s requests/s %10s   p50 %8s   p99 %8s\n' "$name" "$rps" "$p50" "$p99"
	echo "$rps" >"$WORK/$name.rps"
}

echo "wrk: 2 threads, $CONNECTIONS connections, ${SECONDS_PER_RUN}s after a 5s warm-up; $(nproc) cores"
measure bare "$PWD/perf/http/bare-boot/target/bare-boot.jar" 18301 SPRING_THREADS_VIRTUAL_ENABLED=true
measure keel "$PWD/target/keel.jar" 18302 PASSWORD_HASH_COST=4 BOOTSTRAP_DEMO_TENANT=false
awk -v k="$(cat "$WORK/keel.rps")" -v b="$(cat "$WORK/bare.rps")" 'BEGIN { printf "keel/bare throughput: %.1f %%\n", 100 * k / b }'
