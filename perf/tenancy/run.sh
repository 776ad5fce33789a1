#!/usr/bin/env bash
# Keel tenancy benchmark: RLS on vs off for a tenant-scoped read endpoint, and login throughput.
#   perf/tenancy/run.sh            (from the repository root; builds target/keel.jar if missing)
# Needs Java 21+: uses $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH.
# Environment: PORT (default 18181), RATE (500), BENCH_SECONDS (10), PASSWORD_HASH_COST (12, Keel's default).
# Starts its own Keel with a fresh embedded database under target/perf-tenancy-db and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${PORT:-18181}"
RATE="${RATE:-500}"
SECONDS_PER_PHASE="${BENCH_SECONDS:-10}"
COST="${PASSWORD_HASH_COST:-12}"
ADMIN_EMAIL="zz-admin@bench.local"
ADMIN_PASSWORD="Bench-platform-admin-1"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f target/keel.jar ] || ./mvnw -B -q -o package -DskipTests
PGJAR="$(find ~/.m2/repository/org/postgresql/postgresql -name 'postgresql-*.jar' | sort | tail -1)"
LOG=target/perf-tenancy.log
PORT="$PORT" APP_ENV=dev PASSWORD_HASH_COST="$COST" BOOTSTRAP_ADMIN_EMAIL="$ADMIN_EMAIL" BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  BOOTSTRAP_DEMO_TENANT=false RATE_LIMIT_MAX_REQUESTS=10000000 AUTH_RATE_LIMIT_MAX=100000 TENANT_RATE_LIMIT_MAX=100000000 \
  LOG_LEVEL=warn "$JAVA" -Dlogging.level.dev.keel.runtime=info -Dkeel.database.embedded-dir=target/perf-tenancy-db -Dkeel.database.embedded-clean=true -jar target/keel.jar > "$LOG" 2>&1 &
KEEL=$!
trap 'kill $KEEL 2>/dev/null; wait $KEEL 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://localhost:$PORT/ready" >/dev/null 2>&1 && break
  kill -0 $KEEL 2>/dev/null || break
  sleep 1
done
curl -fsS "http://localhost:$PORT/ready" >/dev/null || { echo "Keel did not become ready; see $LOG" >&2; exit 1; }
PGPORT="$(grep -o 'embedded PostgreSQL on port [0-9]*' "$LOG" | head -1 | grep -o '[0-9]*$')"
echo "Keel on :$PORT (pid $KEEL), embedded PostgreSQL on :$PGPORT, bcrypt cost $COST, $(nproc) cores"
"$JAVA" -cp "$PGJAR" perf/tenancy/TenancyBench.java "http://localhost:$PORT" "$PGPORT" "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$RATE" "$SECONDS_PER_PHASE"
