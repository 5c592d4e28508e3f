#!/usr/bin/env bash
# Deep pages and the listing version at the SQL level (README: Performance), against the database
# bench/run.sh loaded and the service migrated to V23. Alternately, ROUNDS times, with pgbench
# (-M prepared, CLIENTS connections, SECONDS_EACH seconds each):
#   walk / seek   page 5,000 of the workspace listing walked past 99,979 index entries, and sought
#                 after its anchor (bench/deep-page/*.sql: the statements ContactPageQuery sends);
#   create_v17 / create_v23   bench/pgbench/create.sql with the counter trigger function of V17 and
#                 with V23's, which also bumps the listing version: the version's cost per write.
# The trigger function is swapped between invocations and V23's is left in place at the end; run it
# when no service writes to the database. JSON on stdout, one object per invocation.
#
#   DB=contacts_bench ROUNDS=3 bench/deep-page.sh > bench/results/deep-page-sql.json
set -euo pipefail
cd "$(dirname "$0")"
DB=${DB:-contacts_bench}
CLIENTS=${CLIENTS:-8}
SECONDS_EACH=${SECONDS_EACH:-5}
ROUNDS=${ROUNDS:-3}
PG="host=${PGHOST:-127.0.0.1} port=${PGPORT:-5432} user=${PGUSER:-postgres} dbname=$DB"
export PGOPTIONS="-c plan_cache_mode=force_custom_plan"
q() { psql -At -d "$PG" -c "$1"; }

[[ $(q "SELECT count(*) FROM flyway_schema_history WHERE version = '23' AND success") == 1 ]] \
  || { echo "$DB is not migrated to V23: start the service on it once" >&2; exit 1; }
function_of() { # migration -> its CREATE OR REPLACE FUNCTION contact_counts_track()
  awk '/^CREATE (OR REPLACE )?FUNCTION contact_counts_track\(\)/{p=1} p{print} p&&/^\$\$;/{exit}' \
    "../src/main/resources/db/migration/$1" | sed 's/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/'
}
V17=$(function_of V17__contact_counters.sql)
V23=$(function_of V23__contact_listing_versions.sql)
trap 'psql -q -d "$PG" -c "$V23"' EXIT

read -r ANCHOR_AT ANCHOR_ID < <(q "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), id
  FROM contacts WHERE workspace = 'bench' ORDER BY created_at DESC, id DESC OFFSET 99979 LIMIT 1" | tr '|' ' ')
BASE=$(q "SELECT coalesce(max(phone::bigint), 0) - 9665000000000 + 1 FROM contacts WHERE length(phone) = 13 AND phone LIKE '9665%'")
(( BASE < 0 )) && BASE=0
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
CREATE_VARS="-D workspace=bench -D sender=100000000000001 -D now=$NOW -D name=Deep -D full_name=Bench -D email=bench@example.com"

phase=0
run() { # script vars... -> tps; the caller counts the phase (this runs in a subshell)
  local script=$1; shift
  pgbench -n -M prepared -c "$CLIENTS" -j 2 -T "$SECONDS_EACH" -f "$script" -D phase=$phase -D phone_base=$BASE -D k=0 \
    "$@" "$PG" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
emit() { printf '{"case":"%s","round":%d,"clients":%d,"tps":%s,"load_average":%s}\n' "$1" "$2" "$CLIENTS" "$3" \
  "$(cut -d' ' -f1 /proc/loadavg)"; }

for round in $(seq 1 "$ROUNDS"); do
  # Each create invocation inserts its own phone range (create.sql).
  emit walk "$round" "$(run deep-page/walk.sql -D workspace=bench -D offset=99979)"
  emit seek "$round" "$(run deep-page/seek.sql -D workspace=bench -D anchor_at="$ANCHOR_AT" -D anchor_id="$ANCHOR_ID")"
  psql -q -d "$PG" -c "$V17"
  phase=$((phase + 1))
  # shellcheck disable=SC2086
  emit create_v17 "$round" "$(run pgbench/create.sql $CREATE_VARS)"
  psql -q -d "$PG" -c "$V23"
  phase=$((phase + 1))
  # shellcheck disable=SC2086
  emit create_v23 "$round" "$(run pgbench/create.sql $CREATE_VARS)"
done
# The contacts created here (13-digit 9665 numbers) are removed by bench/run.sh before each of its runs.
