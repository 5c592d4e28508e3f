#!/usr/bin/env bash
# Starts two packaged replicas that share one Redis and shows, over real HTTP, that they enforce one
# rate limit and refuse a write replayed from one to the other.
#
#   ./mvnw -B package -DskipTests && bench/two-replicas-demo.sh
#
# Needs: a PostgreSQL database for the replicas (DEMO_DB, default the machine's 127.0.0.1:5432/contacts_demo,
# created if missing), Redis on 127.0.0.1:6379, curl, openssl, psql. Ports 18093 and 18094.
# Its Redis keys carry a fresh prefix and expire by themselves; nothing else in Redis is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_HOST=127.0.0.1 DB_PORT=5432 DB_NAME=${DEMO_DB:-contacts_demo} DB_USER=${DEMO_DB_USER:-postgres}
psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -tc "select 1 from pg_database where datname='$DB_NAME'" | grep -q 1 \
  || psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -c "create database $DB_NAME" >/dev/null

PREFIX="contacts-demo-$(date +%s)-$$:"
SECRET=demo-only-secret   # a throwaway client that exists only for this demo's two processes
export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$DB_HOST:$DB_PORT/$DB_NAME"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$DB_HOST:$DB_PORT/$DB_NAME"
export QUARKUS_DATASOURCE_USERNAME="$DB_USER"
export QUARKUS_REDIS_HOSTS=redis://127.0.0.1:6379
export CONTACTS_SHARED_STATE_REDIS_KEY_PREFIX="$PREFIX"
export CONTACTS_RATE_LIMITS_LIST_CONTACTS=5/1m
export CONTACTS_AUTH_CLIENTS_DEMO_SECRETS="$SECRET" CONTACTS_AUTH_CLIENTS_DEMO_WORKSPACES=demo

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for port in 18093 18094; do
  QUARKUS_HTTP_PORT=$port java -jar target/quarkus-app/quarkus-run.jar >"target/replica-$port.log" 2>&1 &
  pids+=($!)
done
for port in 18093 18094; do
  for _ in $(seq 120); do curl -sf "localhost:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
done

# usage: request PORT METHOD PATH TIMESTAMP [BODY] -> prints "status remaining"
request() {
  local sig
  sig=$(printf '%s' "$2${3#/api/developer}$4${5:-}" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
  curl -s -o /dev/null -D - -X "$2" "http://localhost:$1$3" -H "Content-Type: application/json" \
    -H "X-Client-ID: demo" -H "X-Domain: demo" -H "X-Timestamp: $4" -H "X-Awal-Signature-256: sha256=$sig" \
    ${5:+--data-binary "$5"} | awk 'NR==1{s=$2} tolower($1)=="x-ratelimit-remaining:"{r=$2} END{print s, r}' | tr -d '\r'
}

echo "list contacts, limit 5/min, alternating replicas:"
for i in 1 2 3 4 5 6 7; do
  port=$((i % 2 ? 18093 : 18094))
  echo "  #$i via :$port -> $(request $port GET /api/developer/contacts "$(date +%s)")"
done

ts=$(date +%s)
body="{\"name\":\"Replay demo $ts\"}"
echo "signed write to :18093 -> $(request 18093 POST /api/developer/contact-groups "$ts" "$body")"
echo "same bytes to   :18094 -> $(request 18094 POST /api/developer/contact-groups "$ts" "$body")"
