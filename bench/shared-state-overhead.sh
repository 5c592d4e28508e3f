#!/usr/bin/env bash
# What sharing counters through Redis costs: the same signed read (a 404 lookup, one database query)
# against the packaged service with in-process state and with Redis, alternately, with `hey`.
# Numbers go to target/shared-state-overhead.txt; compare the ratio within one run, not across runs.
#
#   ./mvnw -B package -DskipTests && bench/shared-state-overhead.sh
#
# Needs: PostgreSQL (DEMO_DB, default 127.0.0.1:5432/contacts_demo, created if missing), Redis on
# 127.0.0.1:6379, hey, curl, openssl, psql. Port 18095. Its Redis keys carry a fresh prefix and are deleted.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME=${DEMO_DB:-contacts_demo} DB_USER=${DEMO_DB_USER:-postgres}
psql -h 127.0.0.1 -U "$DB_USER" -tc "select 1 from pg_database where datname='$DB_NAME'" | grep -q 1 \
  || psql -h 127.0.0.1 -U "$DB_USER" -c "create database $DB_NAME" >/dev/null

PREFIX="contacts-bench-$(date +%s)-$$:"
SECRET=bench-only-secret   # a throwaway client that exists only in this script's processes
export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/$DB_NAME"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB_NAME"
export QUARKUS_DATASOURCE_USERNAME="$DB_USER" QUARKUS_HTTP_PORT=18095
export CONTACTS_AUTH_CLIENTS_BENCH_SECRETS="$SECRET" CONTACTS_AUTH_CLIENTS_BENCH_WORKSPACES=bench
export CONTACTS_RATE_LIMITS_OTHER=1000000000/1h CONTACTS_SHARED_STATE_REDIS_KEY_PREFIX="$PREFIX"
OUT=target/shared-state-overhead.txt
echo "# $(date -u +%FT%TZ) signed GET (404), hey -c 16 -z 10s after a 3 s warm-up; load: $(cut -d' ' -f1-3 /proc/loadavg)" >"$OUT"

run() {  # run memory|redis
  local pid ts sig path=/api/developer/contact-groups/999999999
  if [ "$1" = redis ]; then export QUARKUS_REDIS_HOSTS=redis://127.0.0.1:6379; else unset QUARKUS_REDIS_HOSTS; fi
  java -jar target/quarkus-app/quarkus-run.jar >"target/overhead-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 120); do curl -sf localhost:18095/q/health/ready >/dev/null && break; sleep 0.5; done
  # Reads are not replay-checked, so one signature serves the whole run (within the ±300 s window).
  ts=$(date +%s)
  sig=$(printf '%s' "GET${path#/api/developer}$ts" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
  local headers=(-H "X-Client-ID: bench" -H "X-Domain: bench" -H "X-Timestamp: $ts" -H "X-Awal-Signature-256: sha256=$sig")
  hey -z 3s -c 16 "${headers[@]}" "http://localhost:18095$path" >/dev/null
  hey -z 10s -c 16 "${headers[@]}" "http://localhost:18095$path" \
    | awk -v mode="$1" '/Requests\/sec/{r=$2} /Average/{a=$2*1000} /99% in/{p=$3*1000} /\[404\]/{n=$2}
        END{printf "%-6s %8.0f req/s  avg %6.2f ms  p99 %6.2f ms  (%d answers 404)\n", mode, r, a, p, n}' | tee -a "$OUT"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for mode in memory redis memory redis; do run "$mode"; done
redis-cli --scan --pattern "${PREFIX}*" | xargs -r redis-cli del >/dev/null
