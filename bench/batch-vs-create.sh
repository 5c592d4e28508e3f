#!/usr/bin/env bash
# Issue 11's batch target (a 100-contact batch within 10x one create): the packaged service on a fresh
# database on the machine's PostgreSQL, sequential signed requests (no concurrency), then a CSV export of
# everything written. Writes bench/results/batch-vs-create.json.
#
#   bench/batch-vs-create.sh                 # 300 creates, 30 batches of 100
#   CREATES=1000 BATCHES=100 SKIP_BUILD=1 bench/batch-vs-create.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CREATES=${CREATES:-300}
BATCHES=${BATCHES:-30}
APP_PORT=${APP_PORT:-18291}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
DB=contacts_batch_bench_$$
RESULTS=bench/results
WORK=$RESULTS/tmp/batch-vs-create
# A throwaway client for this run only; it protects nothing.
CLIENT=bench
CLIENT_SECRET=bench-secret

rm -rf "$WORK" && mkdir -p "$WORK" "$RESULTS"
APP_PID=
cleanup() {
    [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $DB"
QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PG_HOST:$PG_PORT/$DB" \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" \
QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD= \
CONTACTS_STORAGE_FILESYSTEM_ROOT="$PWD/$WORK/storage" \
QUARKUS_HTTP_ACCESS_LOG_ENABLED=false \
java -Xmx512m -Dquarkus.http.port="$APP_PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dcontacts.auth.clients.$CLIENT.secrets="$CLIENT_SECRET" -Dcontacts.auth.clients.$CLIENT.workspaces=bench \
    -Dcontacts.rate-limits.contact-writes=1000000/1m -Dcontacts.rate-limits.list-contacts=1000000/1m \
    -Dquarkus.log.category.\"dev.awal.contacts.access\".level=WARN \
    -jar target/quarkus-app/quarkus-run.jar >"$WORK/service.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/q/health/ready" && break; sleep 0.2; done
curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/q/health/ready" || { tail -50 "$WORK/service.log"; exit 1; }

python3 bench/batch_vs_create.py "http://127.0.0.1:$APP_PORT" "$CLIENT" "$CLIENT_SECRET" bench \
    "$RESULTS/batch-vs-create.json" "$CREATES" "$BATCHES"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
