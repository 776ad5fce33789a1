#!/usr/bin/env bash
# Upload pipeline: 1 MB JPEG uploads (request latency at a fixed rate, with the image queue paused and
# running; sustained uploads/min in a closed loop; processing is async),
# run once with virus scanning on (a real clamd started here) and once without it as the baseline,
# each against a fresh Keel jar; then the file-process time per image, and heap use while ~24 MB
# PDFs stream through (sampled every 100 ms with jstat).
#   perf/files/run.sh [seconds=30] [concurrency=4]     (RATE=120 uploads/min for the latency run)
# Needs clamd (apt-get install clamav-daemon); traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-30}
CONCURRENCY=${2:-4}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
HEAP=${HEAP:-256m}
[[ -x /usr/sbin/clamd ]] || { echo "clamd is missing: apt-get install -y clamav-daemon" >&2; exit 1; }
[[ -f target/keel.jar ]] || JAVA_HOME=$JAVA_HOME ./mvnw -B -q -DskipTests package
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 1; rm -rf "$WORK"' EXIT
LOAD="$JAVA perf/files/UploadLoad.java"
METRICS_TOKEN=perf-metrics-token-0123456789abcdef

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# clamd with a one-signature database (the EICAR test file): starts offline in a fraction of a second.
CLAMD_PORT=$(free_port)
mkdir -p "$WORK/clamd/db"
printf '44d88612fea8a8f36de82e1278abb02f:68:Perf-Test-EICAR\n' >"$WORK/clamd/db/perf.hdb"
cat >"$WORK/clamd/clamd.conf" <<CONF
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
DatabaseDirectory $WORK/clamd/db
Foreground yes
StreamMaxLength 60M
MaxThreads 8
CONF
/usr/sbin/clamd -c "$WORK/clamd/clamd.conf" >"$WORK/clamd/clamd.log" 2>&1 &
until (exec 3<>"/dev/tcp/127.0.0.1/$CLAMD_PORT") 2>/dev/null; do sleep 0.1; done

RATE=${RATE:-120}

# Columns of jstat -gc: S0U $3, S1U $4, EU $6, OU $8 (KB). Prints "old MB / used MB" maxima.
gcmax() { awk 'NR>1 && $1 ~ /^[0-9.]+$/ { o = $8 / 1024; u = ($3 + $4 + $6 + $8) / 1024; if (o > mo) mo = o; if (u > mu) mu = u } END { printf "%.0f MB / %.0f MB", mo, mu }' "$1"; }

# Waits until no file is in processing; prints the seconds it took.
drain() {
	local t0=$SECONDS
	until [[ "$(curl -sf "$1/api/files?status=processing&limit=1" -H "Authorization: Bearer $2" | json "['items'].__len__()")" == 0 ]]; do
		sleep 0.5
	done
	echo $((SECONDS - t0))
}

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

run() { # name scan(true|false)
	local name=$1 scan=$2 port
	port=$(free_port)
	mkdir -p "$WORK/$name"
	(cd "$WORK/$name" && exec env PORT="$port" BOOTSTRAP_ADMIN_EMAIL=admin@perf.test BOOTSTRAP_ADMIN_PASSWORD=Perf-admin-password-1 \
		PASSWORD_HASH_COST=4 BOOTSTRAP_DEMO_TENANT=false RATE_LIMIT_MAX_REQUESTS=10000000 TENANT_RATE_LIMIT_MAX=100000000 \
		METRICS_TOKEN=$METRICS_TOKEN VIRUS_SCAN_ENABLED="$scan" CLAMD_HOST=127.0.0.1 CLAMD_PORT="$CLAMD_PORT" LOG_LEVEL=warn \
		"$JAVA" -Xmx"$HEAP" -jar "$OLDPWD/target/keel.jar" >"$WORK/$name/keel.log" 2>&1) &
	local pid=$!
	until curl -sf "http://127.0.0.1:$port/up" >/dev/null; do
		kill -0 "$pid" 2>/dev/null || { echo "Keel did not start:" >&2; tail -5 "$WORK/$name/keel.log" >&2; exit 1; }
		sleep 0.2
	done
	local base="http://127.0.0.1:$port" admin tenant token
	admin=$(curl -sf "$base/api/auth/login" -H 'Content-Type: application/json' \
		-d '{"tenant":"platform","email":"admin@perf.test","password":"Perf-admin-password-1"}' | json "['accessToken']")
	tenant=$(curl -sf "$base/admin/tenants" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
		-d '{"slug":"perf-files","name":"Perf"}' | json "['id']")
	curl -sf "$base/api/users" -H "Authorization: Bearer $admin" -H "X-Tenant-ID: $tenant" -H 'Content-Type: application/json' \
		-d '{"email":"up@perf.test","password":"Perf-user-password-1","roles":["tenant_admin"]}' >/dev/null
	token=$(curl -sf "$base/api/auth/login" -H 'Content-Type: application/json' \
		-d '{"tenant":"perf-files","email":"up@perf.test","password":"Perf-user-password-1"}' | json "['accessToken']")
	$LOAD "$base" "$token" jpeg 10 "$CONCURRENCY" >/dev/null   # warm-up (JIT, pools)
	drain "$base" "$token" >/dev/null
	# The request path alone (validate, scan, store, commit): image processing paused, so it cannot take the CPU.
	curl -sf -X POST "$base/admin/queues/files/pause" -H "Authorization: Bearer $admin" >/dev/null
	echo "[$name] latency, request path only (files queue paused), 1 MB JPEG at $RATE/min for ${SECONDS_PER_RUN}s: $($LOAD "$base" "$token" rate "$SECONDS_PER_RUN" "$RATE")"
	curl -sf -X POST "$base/admin/queues/files/resume" -H "Authorization: Bearer $admin" >/dev/null
	drain "$base" "$token" >/dev/null
	echo "[$name] latency with processing running beside it, 1 MB JPEG at $RATE/min for ${SECONDS_PER_RUN}s: $($LOAD "$base" "$token" rate "$SECONDS_PER_RUN" "$RATE")"
	drain "$base" "$token" >/dev/null
	echo "[$name] throughput, 1 MB JPEG, $CONCURRENCY in a closed loop for ${SECONDS_PER_RUN}s: $($LOAD "$base" "$token" jpeg "$SECONDS_PER_RUN" "$CONCURRENCY")"
	local waited
	waited=$(drain "$base" "$token")
	local metrics sum count
	metrics=$(curl -sf "$base/metrics" -H "Authorization: Bearer $METRICS_TOKEN")
	sum=$(awk '/^file_processing_duration_seconds_sum\{.*outcome="stored"/ {print $2}' <<<"$metrics")
	count=$(awk '/^file_processing_duration_seconds_count\{.*outcome="stored"/ {print $2}' <<<"$metrics")
	awk -v s="$sum" -v c="$count" -v w="$waited" 'BEGIN { printf "[%s] file-process: %d images, %.0f ms per image on average (3000x2000 -> 2048 px + 200 px thumbnail); the queue drained %d s after the closed-loop load\n", "'"$name"'", c, 1000 * s / c, w }'
	# Heap while ~24 MB PDFs stream (multipart to disk, Tika, polyglot check, clamd, store): after a full
	# GC, jstat every 100 ms. A 24 MB buffer would be a G1 humongous allocation and show in the old
	# generation (OU); eden (EU) is short-lived garbage of any request.
	jcmd "$pid" GC.run >/dev/null; sleep 1
	jstat -gc "$pid" 100 >"$WORK/$name/idle.gc" & local js=$!
	sleep 5; kill $js   # jstat itself needs a moment to attach
	jstat -gc "$pid" 100 >"$WORK/$name/pdf.gc" & js=$!
	echo "[$name] 24 MB PDF x5 sequential: $($LOAD "$base" "$token" pdf 5)"
	kill $js
	local idle busy
	idle=$(gcmax "$WORK/$name/idle.gc")
	busy=$(gcmax "$WORK/$name/pdf.gc")
	echo "[$name] heap (-Xmx$HEAP) max old gen / max total used: after GC, idle ${idle}; while streaming 24 MB PDFs ${busy}"
	kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "$(nproc) cores; Keel -Xmx$HEAP; clamd on 127.0.0.1:$CLAMD_PORT"
run baseline false
run scanning true
