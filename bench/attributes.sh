#!/usr/bin/env bash
# Custom attributes at scale (README "Custom attributes"): attribute filters and an attribute sort
# against the group filter and the name sort they must keep up with, measured side by side in one
# run, at the statement level, on the machine's PostgreSQL.
#
#   bench/attributes.sh                        # 1,000,000 contacts, 10 attributes each
#   CONTACTS=100000 bench/attributes.sh        # a quick look
#   SKIP_LOAD=1 bench/attributes.sh            # reuse the loaded database
#   SKIP_LOAD=1 MODE=extended bench/attributes.sh   # statements planned with their parameters, as the service's
#   LOAD_ONLY=1 bench/attributes.sh            # load, measure nothing
#   SKIP_LOAD=1 WRITE_ONLY=1 bench/attributes.sh   # only the write cost of V22's index (step 6)
#
# 1. drops and creates the database DB (default contacts_bench_attrs) and applies the service's own
#    Flyway migrations (src/main/resources/db/migration, in version order) with psql;
# 2. loads CONTACTS contacts into workspace "bench" (plus 10% in "bench-other"), each with 10
#    custom attributes, in one set-based INSERT through the service's trigger;
# 3. runs each query of bench/attributes/*.sql (a range or a list of values: the service's size probe
#    and the page query, one transaction) with pgbench (CLIENTS connections, SECONDS each,
#    interleaved ROUNDS times so a busy machine's drift hits every query alike), taking latencies
#    from pgbench's per-transaction log;
# 4. records EXPLAIN (ANALYZE, BUFFERS) of each query and checks that no plan scans the workspace;
# 5. writes bench/results/attributes.{json,md};
# 6. unless WRITES=0: the write cost of the index V22 adds (contact_attribute_values_created): single-row
#    inserts of a contact with 10 attributes through the service's trigger (bench/attributes/write.sql,
#    into bench-other), WRITE_ROUNDS times with the index and without it, interleaved; the rows are deleted
#    afterwards and the index is left as the migrations define it.
#
# The statements are the ones the service sends (HQL rendered to SQL, parameters inlined; the logged SQL
# of AttributeBroadFilterTest with quarkus.hibernate-orm.log.sql=true shows them); measuring them without
# HTTP is the stricter comparison, since the HTTP and JSON cost is the same for every listing and would only
# move the ratios towards 1. Filters are measured as the service sends a cursor page in created_at order (the
# cursor named by :top_at/:top_id is the workspace's newest contact, so the page is the first one): per_page
# 20, LIMIT 21. Since V26 a listing whose only filter is one attribute is one statement reading
# contact_attribute_window_page (the page's matches and their contacts, planned once per connection), and a
# workspace's listing sorted by an attribute reads contact_attribute_sorted_page (V24). bench/attributes/round5
# keeps V24's two statements per filter listing (the ids from contact_attribute_window, then the contacts by key),
# bench/attributes/round4 the statements before V24 (STATEMENTS=bench/attributes/round5 measures them;
# bench/attrs-ab.sh runs both interleaved).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONTACTS=${CONTACTS:-1000000}
CLIENTS=${CLIENTS:-4}
SECONDS_EACH=${SECONDS_EACH:-10}
ROUNDS=${ROUNDS:-3}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${DB:-contacts_bench_attrs}
# prepared: named statements, generic plans after the fifth run (the stricter case); extended: unnamed
# statements planned with their parameters each time, as the service sends them (its reactive client
# does not cache prepared statements). Results go to bench/results/attributes.{json,md}, or
# attributes-extended.{json,md} for MODE=extended.
MODE=${MODE:-prepared}
RESULT=${RESULT:-bench/results/attributes$([[ $MODE == prepared ]] || echo "-$MODE")}
export PGHOST PGPORT PGUSER
WORK=$ROOT/bench/target/attributes
mkdir -p "$WORK"
say() { echo "[attributes] $*"; }

if [[ -z "${SKIP_LOAD:-}" ]]; then
  say "creating $DB and applying the migrations"
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  for file in $(ls src/main/resources/db/migration/V*.sql | sort -V); do
    # One transaction per migration, as Flyway applies them (V23 locks a table, which needs one).
    psql -q -1 -v ON_ERROR_STOP=1 -d "$DB" -f "$file" >/dev/null
  done
  say "loading $CONTACTS contacts with 10 attributes each"
  time psql -q -v ON_ERROR_STOP=1 -d "$DB" -v contacts="$CONTACTS" -f bench/attributes/load.sql
fi
[[ -n "${LOAD_ONLY:-}" ]] && { say "loaded $DB"; exit 0; }

write_cost() {
  local rounds=${WRITE_ROUNDS:-3} seconds=${WRITE_SECONDS:-10} index_sql
  index_sql=$(psql -At -d "$DB" -c "SELECT pg_get_indexdef('contact_attribute_values_created'::regclass)")
  : > "$WORK/writes.txt"
  for round in $(seq 1 "$rounds"); do
    for variant in with without; do
      if [[ $variant == without ]]; then psql -q -d "$DB" -c "DROP INDEX contact_attribute_values_created"; fi
      say "writes round $round: $variant the created-order index"
      tps=$(pgbench -n -d "$DB" -c "$CLIENTS" -j 1 -T "$seconds" -M "$MODE" -f bench/attributes/write.sql 2>&1 \
        | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
      echo "$variant $tps" >> "$WORK/writes.txt"
      if [[ $variant == without ]]; then psql -q -d "$DB" -c "SET maintenance_work_mem = '512MB'" -c "$index_sql"; fi
    done
  done
  psql -q -d "$DB" -c "DELETE FROM contacts WHERE workspace = 'bench-other' AND name LIKE 'Write %'" \
    -c "VACUUM ANALYZE contacts" -c "VACUUM ANALYZE contact_attribute_values"
}
if [[ -n "${WRITE_ONLY:-}" ]]; then write_cost; cat "$WORK/writes.txt"; exit 0; fi

# The position of page 5,000 (20 per page) of each sort: the row a client's cursor would name (the
# middle of the listing in a smaller quick run).
AT=$(( CONTACTS / 2 < 99999 ? CONTACTS / 2 : 99999 ))
NAME_AT=$(psql -At -d "$DB" -c "SELECT name || '|' || id FROM contacts WHERE workspace = 'bench' ORDER BY name, id OFFSET $AT LIMIT 1")
ORDERS_AT=$(psql -At -d "$DB" -c "SELECT v.num_value || '|' || v.contact_id FROM contact_attribute_values v
  JOIN contact_attributes d ON d.id = v.attribute_id WHERE d.workspace = 'bench' AND d.key = 'orders'
  ORDER BY v.num_value, v.contact_id OFFSET $AT LIMIT 1")
ATTR_IDS=$(psql -At -d "$DB" -c "SELECT string_agg(key || '=' || id, ' ') FROM contact_attributes WHERE workspace = 'bench'")
TOP=$(psql -At -d "$DB" -c "SELECT created_at || '|' || id FROM contacts WHERE workspace = 'bench' ORDER BY created_at DESC, id DESC LIMIT 1")
GROUP_ID=$(psql -At -d "$DB" -c "SELECT id FROM contact_groups WHERE workspace = 'bench' ORDER BY id LIMIT 1 OFFSET 7")
declare -A ATTR
for pair in $ATTR_IDS; do ATTR[${pair%%=*}]=${pair#*=}; done
VARS=(-D top_at="${TOP%|*}" -D top_id="${TOP##*|}" -D group="$GROUP_ID" -D city="${ATTR[city]}" -D loyalty="${ATTR[loyalty]}" -D orders="${ATTR[orders]}"
  -D name_after="${NAME_AT%|*}" -D name_after_id="${NAME_AT##*|}"
  -D orders_after="${ORDERS_AT%|*}" -D orders_after_id="${ORDERS_AT##*|}")

# QUERIES: a subset to run (names of bench/attributes/*.sql, space-separated). STATEMENTS: where the attribute
# statements come from (default bench/attributes; bench/attributes/round5 and round4 hold earlier rounds', for an
# A/B in one run with different RESULT names); the group filter and name sorts always come from bench/attributes.
read -r -a QUERIES <<< "${QUERIES:-group_filter attr_equality attr_equality_rare attr_equality_multi attr_number_range attr_number_range_broad name_sort_first attr_sort_first name_sort_page5000 attr_sort_page5000}"
STATEMENTS=${STATEMENTS:-bench/attributes}
# Round 5's statements call V24's window function, which V26 replaced: install it under its own name.
if [[ -x $STATEMENTS/install.sh ]]; then DB=$DB "$STATEMENTS/install.sh"; fi
statement_file() { if [[ -f "$STATEMENTS/$1.sql" ]]; then echo "$STATEMENTS/$1.sql"; else echo "bench/attributes/$1.sql"; fi; }
inline() {
  sed -e "s/:top_at/'${TOP%|*}'/g" -e "s/:top_id/${TOP##*|}/g" -e "s/:group/$GROUP_ID/g" -e "s/:city/${ATTR[city]}/g" -e "s/:loyalty/${ATTR[loyalty]}/g" \
    -e "s/:orders_after_id/${ORDERS_AT##*|}/g" -e "s/:orders_after/'${ORDERS_AT%|*}'/g" -e "s/:orders/${ATTR[orders]}/g" \
    -e "s/:name_after_id/${NAME_AT##*|}/g" -e "s/:name_after/'${NAME_AT%|*}'/g" "$@"
}
# A filter of round 5 (V24) is two statements: the page's ids from contact_attribute_window, then the listing reading those
# contacts by key (the service binds the ids as the IN list's parameters; here they are the list's literals, the
# ids the window returns at the measured position, taken once).
for q in "${QUERIES[@]}"; do
  file=$(statement_file "$q")
  if grep -q '@IDS@' "$file"; then
    ids=$(inline "$file" | head -1 | psql -At -d "$DB" | paste -sd, -)
    sed "s/@IDS@/${ids:-NULL}/" "$file" > "$WORK/$q.sql"
  else
    cp "$file" "$WORK/$q.sql"
  fi
done
rm -f "$WORK"/*.r[0-9]*
for round in $(seq 1 "$ROUNDS"); do
  for q in "${QUERIES[@]}"; do
    say "round $round: $q"
    (cd "$WORK" && pgbench -n -d "$DB" -c "$CLIENTS" -j 1 -T "$SECONDS_EACH" -M "$MODE" "${VARS[@]}" \
      -f "$WORK/$q.sql" -l --log-prefix="$q.r$round" > "$q.r$round.out" 2>&1) || { cat "$WORK/$q.r$round.out"; exit 1; }
  done
done

say "plans"
: > "$WORK/plans.txt"
for q in "${QUERIES[@]}"; do
  sql=$(inline "$WORK/$q.sql")
  # One statement a line; a filter of a range or a list is two (the size probe, then the page).
  # auto_explain at NOTICE level prints the plans of the statements a function runs too (V24/V26's functions
  # show only a Function Scan at the top), so the workspace-scan check below sees every plan.
  { echo "=== $q"; while IFS= read -r statement; do
      [[ -n "$statement" ]] && psql -At -d "$DB" -c "LOAD 'auto_explain'" -c "SET auto_explain.log_level = notice" \
        -c "SET auto_explain.log_min_duration = 0" -c "SET auto_explain.log_nested_statements = on" \
        -c "SET auto_explain.log_analyze = on" -c "SET auto_explain.log_buffers = on" -c "SET auto_explain.log_timing = off" \
        -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $statement" 2>&1 | grep -v '^LOAD$\|^SET$'
    done <<< "$sql"; } >> "$WORK/plans.txt"
done

[[ "${WRITES:-1}" == 0 ]] || write_cost
python3 bench/attributes/summarize.py "$WORK" "$CONTACTS" "$CLIENTS" "$SECONDS_EACH" "$ROUNDS" \
  "$RESULT.json" "$RESULT.md" "$MODE"
say "wrote $RESULT.{json,md}"
