#!/usr/bin/env bash
# The SQL side of the listing, search and create changes (README: Performance): pgbench runs the
# statements the service sent before them (bench/pgbench/baseline/*.sql) and the statements it sends
# now (bench/pgbench/*.sql), alternately at each level, against the loaded benchmark database; the
# ratio new/baseline is measured minutes apart on the same machine.
#
#   DB=contacts_bench_db LEVELS=8,32 SECONDS_EACH=5 bench/listings-pgbench.sh > bench/results/listings-pgbench.json
set -euo pipefail
cd "$(dirname "$0")"
DB=${DB:-contacts_bench}
LEVELS=${LEVELS:-8,32}
SECONDS_EACH=${SECONDS_EACH:-5}
ROUNDS=${ROUNDS:-1}
ONLY=${ONLY:-}
PG="host=${PGHOST:-127.0.0.1} port=${PGPORT:-5432} user=${PGUSER:-postgres} dbname=$DB"
export PGOPTIONS="-c plan_cache_mode=force_custom_plan"
q() { psql -At -d "$PG" -c "$1"; }

N=$(q "SELECT count(*) FROM contacts WHERE workspace = 'bench'")
GROUP=$(q "SELECT contact_group_id FROM contacts WHERE workspace = 'bench' AND contact_group_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
PHONE=$(q "SELECT substr(phone, 5, 7) FROM contacts WHERE workspace = 'bench' ORDER BY id LIMIT 1 OFFSET 1234")
BASE=$(q "SELECT coalesce(max(phone::bigint), 0) - 9665000000000 + 1 FROM contacts WHERE length(phone) = 13 AND phone LIKE '9665%'")
(( BASE < 0 )) && BASE=0
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# name|script|variables
CASES=(
  "list_first_page|list_first_page.sql|-D workspace=bench -D n=$N"
  "list_group|list_group.sql|-D workspace=bench -D group=$GROUP"
  "page_mode_5000|page_mode_5000.sql|-D workspace=bench -D offset=99980"
  "search_latin|search_latin.sql|-D workspace=bench -D term=Kowalczyk"
  "search_arabic|search_name.sql|-D workspace=bench -D term=الاصبهاني"
  "search_phone|search_phone.sql|-D workspace=bench -D term=$PHONE -D pattern=%$PHONE%"
  "create|create.sql|-D workspace=bench -D sender=100000000000001 -D now=$NOW -D name=بنش_الأنصاري -D full_name=Bench -D email=bench@example.com"
)

phase=0
run() { # script level vars... -> tps
  local script=$1 level=$2; shift 2
  local out
  out=$(pgbench -n -M prepared -c "$level" -j 2 -T "$SECONDS_EACH" -f "$script" -D phase=$phase -D phone_base=$BASE -D k=0 "$@" "$PG" 2>&1) \
    || { echo "pgbench failed: $script" >&2; echo "$out" | tail -5 >&2; return 1; }
  echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}

echo "["
first=1
for round in $(seq 1 "$ROUNDS"); do
  for c in "${CASES[@]}"; do
    IFS='|' read -r name script vars <<<"$c"
    [[ -z $ONLY || ",$ONLY," == *",$name,"* ]] || continue
    for level in ${LEVELS//,/ }; do
      # Each invocation inserts its own phone range (create.sql): the phase is counted out here, as run
      # executes in a subshell.
      phase=$((phase + 1))
      # shellcheck disable=SC2086
      base=$( [[ -f pgbench/baseline/$script ]] && run "pgbench/baseline/$script" "$level" $vars || echo null)
      phase=$((phase + 1))
      # shellcheck disable=SC2086
      now=$(run "pgbench/$script" "$level" $vars)
      [[ $first == 1 ]] || echo ","
      first=0
      printf '{"scenario":"%s","round":%d,"clients":%d,"baseline_tps":%s,"tps":%s}' "$name" "$round" "$level" "${base:-null}" "${now:-null}"
    done
  done
done
echo
echo "]"
# Contacts pgbench created (13-digit 9665 numbers) are removed by bench/run.sh before each of its runs.
