#!/usr/bin/env bash
# Memory under concurrent uploads (issue 3): the packaged service with a small heap, on S3 (S3Proxy in
# its own process) and a fresh database on the machine's PostgreSQL, takes CONCURRENCY signed 5 MB avatar
# uploads at once (after a 4-upload warm-up), then CONCURRENCY over-limit uploads at once (sent chunked,
# so the limit is decided while streaming). Writes bench/results/upload-memory.json and .md. Latencies
# depend on what else the machine runs (the load average is recorded); the memory figures are the point.
#
#   bench/upload-memory.sh            # defaults: 32 concurrent, -Xmx128m
#   CONCURRENCY=64 HEAP=96m bench/upload-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${CONCURRENCY:-32}
HEAP=${HEAP:-128m}
APP_PORT=${APP_PORT:-18281}
S3_PORT=${S3_PORT:-18282}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
DB=contacts_upload_bench_$$
RESULTS=bench/results
WORK=$RESULTS/tmp/upload-memory
# Bench-only credentials for a throwaway local S3Proxy and client; they protect nothing.
S3_KEY=bench-access-key
S3_SECRET=bench-secret-key
CLIENT=bench
CLIENT_SECRET=bench-secret

rm -rf "$WORK" && mkdir -p "$WORK" "$RESULTS"
APP_PID= S3_PID= SAMPLER_PID=
cleanup() {
    for pid in $SAMPLER_PID $APP_PID $S3_PID; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

wait_for() { # url, seconds
    for _ in $(seq 1 $(( $2 * 5 ))); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.2
    done
    echo "timed out waiting for $1" >&2
    return 1
}

echo "== build"
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP="target/test-classes:target/classes:$(cat "$WORK/classpath.txt")"

echo "== S3Proxy on 127.0.0.1:$S3_PORT"
java -cp "$CP" dev.awal.contacts.storage.bench.S3ProxyMain "$S3_PORT" "$WORK/s3" bench-media "$S3_KEY" "$S3_SECRET" \
    >"$WORK/s3proxy.log" 2>&1 &
S3_PID=$!
for _ in $(seq 1 150); do grep -q "S3Proxy ready" "$WORK/s3proxy.log" && break; sleep 0.2; done
grep -q "S3Proxy ready" "$WORK/s3proxy.log" || { cat "$WORK/s3proxy.log"; exit 1; }

echo "== database $DB"
psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $DB"

echo "== service with -Xmx$HEAP on 127.0.0.1:$APP_PORT"
QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PG_HOST:$PG_PORT/$DB" \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" \
QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD= \
CONTACTS_STORAGE_TYPE=s3 CONTACTS_STORAGE_S3_BUCKET=bench-media \
QUARKUS_S3_ENDPOINT_OVERRIDE="http://127.0.0.1:$S3_PORT" QUARKUS_S3_AWS_REGION=us-east-1 \
QUARKUS_S3_PATH_STYLE_ACCESS=true QUARKUS_S3_AWS_CREDENTIALS_TYPE=static \
QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID="$S3_KEY" \
QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY="$S3_SECRET" \
CONTACTS_LIMITS_UPLOAD_DIRECTORY="$PWD/$WORK/uploads" \
QUARKUS_HTTP_ACCESS_LOG_ENABLED=false \
java -Xmx"$HEAP" -Dquarkus.http.port="$APP_PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dcontacts.auth.clients.$CLIENT.secrets="$CLIENT_SECRET" -Dcontacts.auth.clients.$CLIENT.workspaces=bench \
    -Dcontacts.rate-limits.contact-writes=100000/1m \
    -jar target/quarkus-app/quarkus-run.jar >"$WORK/service.log" 2>&1 &
APP_PID=$!
wait_for "http://127.0.0.1:$APP_PORT/q/health/ready" 120

status() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$APP_PID/status"; }
fds() { ls "/proc/$APP_PID/fd" | wc -l; }
RSS_IDLE_KB=$(status VmRSS)
LOAD_AVERAGE=$(cut -d' ' -f1 /proc/loadavg)
FDS_IDLE=$(fds)
# VmRSS every 100 ms while the load runs; the largest sample is the peak under load.
( while kill -0 "$APP_PID" 2>/dev/null; do status VmRSS; sleep 0.1; done ) >"$WORK/rss.samples" 2>/dev/null &
SAMPLER_PID=$!

echo "== load: $CONCURRENCY concurrent 5 MB uploads, then $CONCURRENCY concurrent over-limit uploads"
java -cp "$CP" dev.awal.contacts.storage.bench.UploadMemoryBench "http://127.0.0.1:$APP_PORT" "$CLIENT" \
    "$CLIENT_SECRET" bench "$CONCURRENCY" "$WORK/load.json"

kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
sleep 1
RSS_LOAD_PEAK_KB=$(sort -n "$WORK/rss.samples" | tail -1)
RSS_HWM_KB=$(status VmHWM)
FDS_AFTER=$(fds)
# Descriptors still pointing at request temp files would be a leak; sockets are the S3 client's idle pool.
FDS_TEMP_AFTER=$( (ls -l "/proc/$APP_PID/fd" 2>/dev/null | grep -c "$WORK/uploads") || true)
FDS_SOCKETS_AFTER=$( (ls -l "/proc/$APP_PID/fd" 2>/dev/null | grep -c 'socket:') || true)
jcmd "$APP_PID" GC.run >/dev/null
HEAP_INFO=$(jcmd "$APP_PID" GC.heap_info)
HEAP_USED_KB=$(echo "$HEAP_INFO" | grep -m1 -oE 'used [0-9]+K' | grep -oE '[0-9]+')
HEAP_TOTAL_KB=$(echo "$HEAP_INFO" | grep -m1 -oE 'total [0-9]+K' | grep -oE '[0-9]+')
OBJECTS=$(find "$WORK/s3/bench-media" -type f 2>/dev/null | grep -vc '/\.' || true)
LEFTOVER_TEMP=$(find "$WORK/uploads" -type f 2>/dev/null | wc -l)
OOM=$(grep -c OutOfMemoryError "$WORK/service.log" || true)

LOAD=$(cat "$WORK/load.json")
cat >"$RESULTS/upload-memory.json" <<EOF
{
  "measured_at": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "heap_max": "$HEAP",
  "storage": "s3 (S3Proxy 4.1.0, separate process)",
  "java": "$(java -version 2>&1 | head -1 | sed 's/"//g')",
  "cpus": $(nproc),
  "load_average_at_start": $LOAD_AVERAGE,
  "load": $LOAD,
  "rss_idle_kb": $RSS_IDLE_KB,
  "rss_peak_under_load_kb": $RSS_LOAD_PEAK_KB,
  "rss_high_water_mark_kb": $RSS_HWM_KB,
  "heap_used_after_gc_kb": $HEAP_USED_KB,
  "heap_committed_after_gc_kb": $HEAP_TOTAL_KB,
  "open_fds_idle": $FDS_IDLE,
  "open_fds_after": $FDS_AFTER,
  "open_socket_fds_after": $FDS_SOCKETS_AFTER,
  "open_temp_file_fds_after": $FDS_TEMP_AFTER,
  "objects_in_bucket": $OBJECTS,
  "temp_files_left": $LEFTOVER_TEMP,
  "out_of_memory_errors": $OOM
}
EOF

python3 - "$RESULTS/upload-memory.json" >"$RESULTS/upload-memory.md" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
mb = lambda kb: f"{kb / 1024:.0f} MB"
print(f"# Upload memory ({r['measured_at']})\n")
print(f"Packaged service, `-Xmx{r['heap_max']}`, {r['storage']}, {r['cpus']} CPUs (load average {r['load_average_at_start']} at start), {r['java']}.")
print(f"After 4 warm-up uploads, {r['load']['concurrency']} concurrent signed `PUT /contacts/{{id}}/avatar` of a {r['load']['upload_bytes']:,}-byte PNG,")
print(f"then {r['load']['concurrency']} concurrent chunked uploads of {r['load']['over_limit_bytes']:,} bytes (over the 5 MB limit).\n")
print("| phase | requests | as expected | statuses | p50 | p95 | max |")
print("|---|---|---|---|---|---|---|")
for p in r["load"]["phases"]:
    statuses = ", ".join(f"{k}: {v}" for k, v in p["statuses"].items())
    print(f"| {p['phase']} | {p['requests']} | {p['as_expected']} | {statuses} | {p['p50_ms']} ms | {p['p95_ms']} ms | {p['max_ms']} ms |")
print()
print("| memory | value |")
print("|---|---|")
print(f"| RSS idle (after start) | {mb(r['rss_idle_kb'])} |")
print(f"| RSS peak under load (100 ms samples) | {mb(r['rss_peak_under_load_kb'])} |")
print(f"| RSS high-water mark (VmHWM, whole run) | {mb(r['rss_high_water_mark_kb'])} |")
print(f"| heap used after GC | {mb(r['heap_used_after_gc_kb'])} (committed {mb(r['heap_committed_after_gc_kb'])}) |")
print(f"| open file descriptors idle / after (sockets, temp files) | {r['open_fds_idle']} / {r['open_fds_after']} ({r['open_socket_fds_after']}, {r['open_temp_file_fds_after']}) |")
print(f"| objects in bucket / temp files left | {r['objects_in_bucket']} / {r['temp_files_left']} |")
print(f"| OutOfMemoryError in log | {r['out_of_memory_errors']} |")
EOF
cat "$RESULTS/upload-memory.md"
