#!/usr/bin/env bash
# A/B of the attribute statements of an earlier round (BEFORE: bench/attributes/round5, V24's two statements per
# filter listing; bench/attributes/round4, before V24) and the current ones (bench/attributes), interleaved
# with their references (group filter, name sorts) in each round, at the statement level with pgbench -M extended
# (statements planned on every execution, as the service's force_custom_plan does). Reuses the database that
# bench/attributes.sh loaded (run `DB=attrs_bench LOAD_ONLY=1 bench/attributes.sh` once; V24 applied).
#
#   DB=attrs_bench bench/attrs-ab.sh                     # every query, 3 rounds of 5 s each
#   QUERIES="attr_equality attr_sort_first" ROUNDS=2 DB=attrs_bench bench/attrs-ab.sh
#   BEFORE=bench/attributes/round4 DB=attrs_bench bench/attrs-ab.sh   # against the statements before V24
#
# Writes bench/results/attrs-statement.json (p50/p95/p99 per query and variant, the p95 ratios, load averages).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DB=${DB:-attrs_bench}
CLIENTS=${CLIENTS:-4}
SECONDS_EACH=${SECONDS_EACH:-5}
ROUNDS=${ROUNDS:-3}
export BEFORE=${BEFORE:-bench/attributes/round5}
OUT=${OUT:-bench/results/attrs-statement.json}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
WORK=$ROOT/bench/target/attrs-ab
mkdir -p "$WORK"
rm -f "$WORK"/*.log* "$WORK"/*.out

read -r -a QUERIES <<< "${QUERIES:-attr_equality attr_equality_rare attr_equality_multi attr_number_range attr_number_range_broad attr_sort_first attr_sort_page5000}"
reference() { case $1 in attr_sort_first) echo name_sort_first ;; attr_sort_page5000) echo name_sort_page5000 ;; *) echo group_filter ;; esac; }

AT=99999
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
  -D name_after="${NAME_AT%|*}" -D name_after_id="${NAME_AT##*|}" -D orders_after="${ORDERS_AT%|*}" -D orders_after_id="${ORDERS_AT##*|}")
inline() {
  sed -e "s/:top_at/'${TOP%|*}'/g" -e "s/:top_id/${TOP##*|}/g" -e "s/:city/${ATTR[city]}/g" -e "s/:loyalty/${ATTR[loyalty]}/g" \
    -e "s/:orders/${ATTR[orders]}/g" "$@"
}
# The variants' statement files, with the window's ids put into the listing's IN list (see bench/attributes.sh).
prepare() {
  local name=$1 file=$2 ids
  if grep -q '@IDS@' "$file"; then
    ids=$(inline "$file" | head -1 | psql -At -d "$DB" | paste -sd, -)
    sed "s/@IDS@/${ids:-NULL}/" "$file" > "$WORK/$name.sql"
  else
    cp "$file" "$WORK/$name.sql"
  fi
}
# Round 5's statements call V24's window function, which V26 replaced: install it under its own name.
[[ -x $BEFORE/install.sh ]] && DB=$DB "$BEFORE/install.sh"
for q in "${QUERIES[@]}"; do
  before=$BEFORE/$q.sql; [[ -f $before ]] || before=bench/attributes/$q.sql
  prepare "$q.before" "$before"
  prepare "$q.after" "bench/attributes/$q.sql"
  ref=$(reference "$q"); prepare "$ref.ref" "bench/attributes/$ref.sql"
done
run() {
  local name=$1 round=$2
  (cd "$WORK" && pgbench -n -d "$DB" -c "$CLIENTS" -j 1 -T "$SECONDS_EACH" -M extended "${VARS[@]}" \
    -f "$WORK/$name.sql" -l --log-prefix="$name.r$round" > "$name.r$round.out" 2>&1) || { cat "$WORK/$name.r$round.out"; exit 1; }
}
LOADS=()
for round in $(seq 1 "$ROUNDS"); do
  for q in "${QUERIES[@]}"; do
    ref=$(reference "$q")
    for name in "$ref.ref" "$q.before" "$q.after"; do
      echo "[attrs-ab] round $round: $name"
      run "$name" "$round"
    done
  done
  LOADS+=("$(cut -d' ' -f1-3 /proc/loadavg)")
done
python3 - "$WORK" "$OUT" "$CLIENTS" "$SECONDS_EACH" "$ROUNDS" "${LOADS[*]}" "${QUERIES[@]}" <<'EOF'
import glob, json, os, sys
work, out, clients, seconds, rounds, loads, queries = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7:]
def pct(name):
    times = []
    for path in glob.glob(os.path.join(work, name + ".r*")):
        if path.endswith(".out"):
            continue
        with open(path) as f:
            times += [int(line.split()[2]) / 1000.0 for line in f if line.strip()]
    times.sort()
    at = lambda p: round(times[min(len(times) - 1, int(p * len(times)))], 3) if times else None
    return {"transactions": len(times), "p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99)}
ref = lambda q: {"attr_sort_first": "name_sort_first", "attr_sort_page5000": "name_sort_page5000"}.get(q, "group_filter")
result = {"before": os.environ.get("BEFORE", "bench/attributes/round5"), "clients": int(clients), "seconds_each": int(seconds), "rounds": int(rounds), "mode": "extended",
          "load_average_after_each_round": loads, "queries": {}}
for q in queries:
    r, b, a = pct(ref(q) + ".ref"), pct(q + ".before"), pct(q + ".after")
    result["queries"][q] = {"reference": ref(q), "reference_stats": r, "before": b, "after": a,
                            "p95_ratio_before": round(b["p95_ms"] / r["p95_ms"], 2), "p95_ratio_after": round(a["p95_ms"] / r["p95_ms"], 2)}
    print(f'{q:26s} ref p95 {r["p95_ms"]:.3f}  before {b["p95_ms"]:.3f} ({result["queries"][q]["p95_ratio_before"]}x)  after {a["p95_ms"]:.3f} ({result["queries"][q]["p95_ratio_after"]}x)')
with open(out, "w") as f:
    json.dump(result, f, indent=2)
EOF
