#!/usr/bin/env bash
# Backup benchmark: Keel's snapshot format vs pg_dump -Fc on the same database, peak RSS of the Keel
# JVM, a small tenant's backup out of many, and the restore of the full backup (RTO).
# Needs: the local PostgreSQL server (default 127.0.0.1:5432, trust auth for postgres) with pg_dump of
# the same major version, target/keel.jar (./mvnw -q package -DskipTests), GNU time.
# Size: TENANTS x ROWS audit rows of ~500 bytes (defaults 200 x 10000 = 2M rows, ~1.2 GB on disk).
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
HOST=${PGHOST:-127.0.0.1}; PORT=${PGPORT:-5432}
TENANTS=${TENANTS:-200}; ROWS=${ROWS:-10000}
HEAP=${HEAP:-256m}
# REUSE_DB=<name> measures an existing generated database; KEEP_DB=1 leaves the generated one behind.
DB=${REUSE_DB:-keel_perf_$(date +%s)}; TARGET=${DB}_restore; PGDUMP_TARGET=${DB}_pgrestore
WORK=$(mktemp -d /tmp/keel-backup-perf.XXXX)
PSQL="psql -h $HOST -p $PORT -U postgres -v ON_ERROR_STOP=1 -q"
cleanup() { for d in $TARGET $PGDUMP_TARGET $([ -z "${KEEP_DB:-}" ] && [ -z "${REUSE_DB:-}" ] && echo $DB); do $PSQL -c "drop database if exists $d with (force)" >/dev/null 2>&1 || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

$PSQL -c "do \$\$ begin if not exists (select 1 from pg_roles where rolname = 'keel_perf_app') then
  create role keel_perf_app login nosuperuser nobypassrls; end if; end \$\$;"
export DATABASE_URL="postgres://keel_perf_app@$HOST:$PORT/$DB" DATABASE_MIGRATION_URL="postgres://postgres@$HOST:$PORT/$DB"
export STORAGE_PATH="$WORK/storage" APP_ENV=dev
if [ -z "${REUSE_DB:-}" ]; then
  $PSQL -c "create database $DB"
  "$JAVA" -jar target/keel.jar migrate >/dev/null
  echo "generating $TENANTS tenants x $ROWS audit rows ..."
  t0=$(date +%s.%N)
  $PSQL -d "$DB" -v tenants="$TENANTS" -v rows="$ROWS" -f perf/backup/generate.sql
  echo "generated in $(echo "$(date +%s.%N) - $t0" | bc) s"
fi
SIZE=$($PSQL -d "$DB" -Atc "select pg_database_size(current_database())")
echo "database size: $((SIZE / 1048576)) MB"

secs() { python3 -c "import json,sys,datetime as d; b=json.load(open(sys.argv[1])); p=lambda s: d.datetime.fromisoformat(s.replace('Z','+00:00')); print('%.2f' % (p(b['completedAt'])-p(b['startedAt'])).total_seconds())" "$1"; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

# 1. Keel's format (pg_dump disabled by pointing BACKUP_PG_DUMP_PATH at nothing), heap capped at $HEAP.
/usr/bin/time -v -o "$WORK/keel.time" env BACKUP_PG_DUMP_PATH=/nonexistent/pg_dump \
  "$JAVA" -Xmx$HEAP -jar target/keel.jar backup create --json | tail -1 > "$WORK/keel.json"
KEEL_S=$(secs "$WORK/keel.json"); KEEL_ID=$(field "$WORK/keel.json" id); KEEL_BYTES=$(field "$WORK/keel.json" sizeBytes)
KEEL_RSS=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/keel.time")
echo "keel format: $(field "$WORK/keel.json" format) ${KEEL_S} s, $((KEEL_BYTES / 1048576)) MB stored, peak RSS $((KEEL_RSS / 1024)) MB (-Xmx$HEAP)"

# 2. Baseline: pg_dump -Fc of the same database, same run.
t0=$(date +%s.%N)
pg_dump -h "$HOST" -p "$PORT" -U postgres -Fc -f "$WORK/baseline.dump" "$DB"
PGD_S=$(echo "$(date +%s.%N) - $t0" | bc)
echo "pg_dump -Fc: ${PGD_S} s, $(( $(stat -c %s "$WORK/baseline.dump") / 1048576 )) MB"

# 3. Keel through pg_dump (the path used when a compatible pg_dump exists and the owner bypasses RLS).
"$JAVA" -Xmx$HEAP -jar target/keel.jar backup create --json | tail -1 > "$WORK/keel-pgdump.json"
echo "keel via pg_dump: $(field "$WORK/keel-pgdump.json" format) $(secs "$WORK/keel-pgdump.json") s"

# 4. One small tenant (100 audit rows + 20 users) out of $TENANTS+1.
SMALL=$($PSQL -d "$DB" -Atc "select id from tenants where slug = 'perf-small'")
BIG=$($PSQL -d "$DB" -Atc "select id from tenants where slug = 'perf-1'")
"$JAVA" -Xmx$HEAP -jar target/keel.jar backup create --type TENANT --tenant "$SMALL" --json | tail -1 > "$WORK/small.json"
"$JAVA" -Xmx$HEAP -jar target/keel.jar backup create --type TENANT --tenant "$BIG" --json | tail -1 > "$WORK/big.json"
echo "tenant backup, small tenant (120 rows): $(secs "$WORK/small.json") s; large tenant ($ROWS+20 rows): $(secs "$WORK/big.json") s"

# 5. Restore the Keel-format full backup into a new database (RTO), and pg_restore as the baseline.
$PSQL -c "create database $TARGET"
t0=$(date +%s.%N)
/usr/bin/time -v -o "$WORK/restore.time" "$JAVA" -Xmx$HEAP -jar target/keel.jar backup restore "$KEEL_ID" --confirm "$KEEL_ID" \
  --target-url "postgres://postgres@$HOST:$PORT/$TARGET" --json | tail -1 > "$WORK/restore.json"
RESTORE_S=$(echo "$(date +%s.%N) - $t0" | bc)
RESTORE_RSS=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/restore.time")
$PSQL -c "create database $PGDUMP_TARGET"
t0=$(date +%s.%N)
pg_restore -h "$HOST" -p "$PORT" -U postgres --single-transaction -d "$PGDUMP_TARGET" "$WORK/baseline.dump"
PGR_S=$(echo "$(date +%s.%N) - $t0" | bc)
ROWS_BACK=$($PSQL -d "$TARGET" -Atc "select count(*) from audit_events")
RESTORE_IN=$(python3 -c "import json,sys; print('%.2f' % (json.load(open(sys.argv[1]))['durationMillis'] / 1000))" "$WORK/restore.json")
echo "restore keel format: ${RESTORE_S} s with JVM start, migrations and the checks; ${RESTORE_IN} s migrations + data; peak RSS $((RESTORE_RSS / 1024)) MB, audit rows restored: $ROWS_BACK"
echo "pg_restore --single-transaction: ${PGR_S} s"

MB=$((SIZE / 1048576))
echo
echo "SUMMARY db=${MB}MB tenants=$TENANTS rows=$((TENANTS * ROWS))"
echo "  keel-format full backup: ${KEEL_S}s $(echo "scale=1; $MB / $KEEL_S" | bc) MB/s, peak RSS $((KEEL_RSS / 1024))MB"
echo "  pg_dump -Fc baseline   : ${PGD_S}s $(echo "scale=1; $MB / $PGD_S" | bc) MB/s"
echo "  tenant backup small/large: $(secs "$WORK/small.json")s / $(secs "$WORK/big.json")s"
echo "  restore (RTO) keel (whole command / restore itself) vs pg_restore: ${RESTORE_S}s / ${RESTORE_IN}s / ${PGR_S}s"
