#!/usr/bin/env bash
# What writing the event adds to a contact create (issue 12: at most 10% at 32 connections). The create
# transaction with and without the outbox insert, as pgbench scripts against a throwaway database on the
# machine's PostgreSQL with the service's migrations applied; runs alternate so that background load
# falls on both. Prints mean latencies and their ratio; on a shared machine read only the ratio.
#
#   bench/events-overhead.sh                  # 32 clients, 3 rounds of 10 s each
#   CLIENTS=8 ROUNDS=5 SECONDS_PER_RUN=20 bench/events-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-32}
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
DB=contacts_events_bench_$$
PSQL=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -q -v ON_ERROR_STOP=1)

cleanup() { "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
for migration in $(ls src/main/resources/db/migration/V*.sql | sort -t V -k2 -n); do
    "${PSQL[@]}" -d "$DB" -f "$migration" >/dev/null
done

run() {  # script workspace -> mean latency in ms
    pgbench -h "$PG_HOST" -p "$PG_PORT" -U postgres -n -c "$CLIENTS" -j 2 -T "$SECONDS_PER_RUN" \
        -D workspace="'$2'" -f "bench/events/$1.sql" "$DB" 2>/dev/null | awk '/latency average/ {print $4}'
}
plain=(); evented=()
for round in $(seq 1 "$ROUNDS"); do
    plain+=("$(run create-plain "plain$round")")
    evented+=("$(run create-with-event "evented$round")")
done
python3 - "${plain[*]}" "${evented[*]}" "$CLIENTS" <<'PY'
import statistics, sys
plain = [float(x) for x in sys.argv[1].split()]
evented = [float(x) for x in sys.argv[2].split()]
p, e = statistics.median(plain), statistics.median(evented)
print(f"clients={sys.argv[3]} create without event: {plain} ms, with event: {evented} ms")
print(f"median latency ratio with/without event: {e / p:.3f}")
PY
