#!/usr/bin/env bash
# What writing the event adds to a contact create (issue 12: at most 10% at 32 connections), at the statement
# level: the statement POST /contacts sends (create-with-event.sql, generated from contact/ContactInsert.java by
# bench/events/create_statements.py) against the same statement without its outbox CTE (create-plain.sql), run by pgbench against a
# throwaway database on the machine's PostgreSQL with the service's migrations applied. pgbench sends them as
# the service does: prepared, and planned afresh on every execution (plan_cache_mode=force_custom_plan, see
# application.properties). Rounds alternate so that background load falls on both; on a shared machine read
# only the ratios, and rather the CPU than the latency ones. bench/events-overhead-http.sh measures the same through the HTTP API.
#
# BEFORE=V20 also migrates a second database with every migration but that one (the schema as it was before it,
# with whatever later migrations add) and runs the evented statement there in the same rounds: what the
# migration changed, measured side by side.
#
#   bench/events-overhead.sh                            # 32 clients, 3 rounds of 10 s each
#   BEFORE=V20 ROUNDS=5 bench/events-overhead.sh
#   CLIENTS=8 SECONDS_PER_RUN=20 bench/events-overhead.sh
# Writes bench/results/events-overhead.{json,md}.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-32}
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
BEFORE=${BEFORE:-}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
DB=contacts_events_bench_$$
DB_BEFORE=${DB}_before
PSQL=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -q -v ON_ERROR_STOP=1)
WORK=$(mktemp -d)

cleanup() {
    rm -rf "$WORK"
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB_BEFORE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

migrate() {  # database [migration version to leave out]
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $1"
    local migration version
    for migration in $(ls src/main/resources/db/migration/V*.sql | sort -t V -k2 -n); do
        version=$(basename "$migration" | sed 's/__.*//; s/^V//')
        if [ -n "${2:-}" ] && [ "$version" -eq "${2#V}" ]; then
            continue
        fi
        "${PSQL[@]}" -1 -d "$1" -f "$migration" >/dev/null  # each in a transaction, as Flyway runs them
    done
}
python3 bench/events/create_statements.py "$WORK"
migrate "$DB"
if [ -n "$BEFORE" ]; then
    migrate "$DB_BEFORE" "$BEFORE"
fi

run() {  # script workspace database -> "mean-latency-ms tps postgres-cpu-ms-per-transaction"
    local out=$WORK/pgbench.out ticks=$WORK/ticks
    PGOPTIONS="-c plan_cache_mode=auto" \
    pgbench -h "$PG_HOST" -p "$PG_PORT" -U postgres -n -M prepared -c "$CLIENTS" -j 2 -T "$SECONDS_PER_RUN" \
        -D workspace="$2" -f "$WORK/$1.sql" "$3" >"$out" 2>/dev/null &
    local bench=$! pid
    # The CPU of the backends serving this run (its database's sessions), sampled until pgbench ends: a backend
    # exits with its client, so its last sample (at most 0.2 s old) stands for it. On a shared machine this is the
    # steadier measure; latency there depends on what else the cores run.
    : >"$ticks"
    local pids="" stat
    while kill -0 "$bench" 2>/dev/null; do
        if [ "$(wc -w <<<"$pids")" -lt "$CLIENTS" ]; then  # until every client has connected
            pids=$("${PSQL[@]}" -At -d postgres -c "SELECT pid FROM pg_stat_activity WHERE datname = '$3' AND application_name = 'pgbench'")
        fi
        for pid in $pids; do  # shell builtins only, so the sampling itself costs the machine little
            if read -ra stat <"/proc/$pid/stat" 2>/dev/null; then
                echo "$pid $((stat[13] + stat[14]))" >>"$ticks"
            fi
        done
        sleep 0.2
    done
    wait "$bench" || true
    awk '/latency average/ {l = $4} /^tps/ {t = $3} /number of transactions actually processed/ {split($NF, n, "/"); c = n[1]}
         END {print l, t, c}' "$out" | while read -r latency tps count; do
        echo "$latency $tps $(awk -v n="$count" '$2 != "" {if ($2 > max[$1]) max[$1] = $2} END {for (p in max) s += max[p]; printf "%.4f", s * 10 / n}' "$ticks")"
    done
}
load() { cut -d' ' -f1 /proc/loadavg; }

load_start=$(load)
plain=(); evented=(); before=(); loads=()
for round in $(seq 1 "$ROUNDS"); do
    plain+=("$(run create-plain "plain$round" "$DB")")
    evented+=("$(run create-with-event "evented$round" "$DB")")
    if [ -n "$BEFORE" ]; then
        before+=("$(run create-with-event "before$round" "$DB_BEFORE")")
    fi
    loads+=("$(load)")
done

mkdir -p bench/results
python3 - "$CLIENTS" "$SECONDS_PER_RUN" "$BEFORE" "$load_start" "${loads[*]}" \
    "$(printf '%s,' "${plain[@]}")" "$(printf '%s,' "${evented[@]}")" "$(printf '%s,' "${before[@]+"${before[@]}"}")" <<'PY'
import json, statistics, sys, datetime, subprocess
clients, seconds, before_name, load_start, loads = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5].split()
def runs(arg):
    return [dict(latency_ms=float(l), tps=float(t), postgres_cpu_ms_per_tx=float(c))
            for l, t, c in (r.split() for r in arg.split(',') if r.strip())]
plain, evented, before = runs(sys.argv[6]), runs(sys.argv[7]), runs(sys.argv[8])
# The ratio of each round (its runs back to back), then the median of those: background load that varies
# between rounds falls on both sides of a ratio.
ratios = [e['latency_ms'] / p['latency_ms'] for p, e in zip(plain, evented)]
cpu_ratios = [e['postgres_cpu_ms_per_tx'] / p['postgres_cpu_ms_per_tx'] for p, e in zip(plain, evented)]
result = {
    'when': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
    'build': subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip(),
    'level': 'statement (pgbench -M prepared, plan_cache_mode=auto)',
    'clients': clients, 'seconds_per_run': seconds,
    'load_average_1m': {'start': float(load_start), 'after_each_round': [float(x) for x in loads]},
    'without_event': plain, 'with_event': evented,
    'latency_ratio_per_round': [round(r, 3) for r in ratios],
    'latency_ratio_median': round(statistics.median(ratios), 3),
    'postgres_cpu_ratio_per_round': [round(r, 3) for r in cpu_ratios],
    'postgres_cpu_ratio_median': round(statistics.median(cpu_ratios), 3),
    'target': 'with/without <= 1.10',
}
if before:
    before_ratios = [b['latency_ms'] / p['latency_ms'] for p, b in zip(plain, before)]
    before_cpu = [b['postgres_cpu_ms_per_tx'] / p['postgres_cpu_ms_per_tx'] for p, b in zip(plain, before)]
    result['postgres_cpu_ratio_before_' + before_name + '_median'] = round(statistics.median(before_cpu), 3)
    result['with_event_before_' + before_name] = before
    result['latency_ratio_before_' + before_name + '_per_round'] = [round(r, 3) for r in before_ratios]
    result['latency_ratio_before_' + before_name + '_median'] = round(statistics.median(before_ratios), 3)
json.dump(result, open('bench/results/events-overhead.json', 'w'), indent=2)
lines = [
    f"# Event overhead at the statement level ({result['when']}, build {result['build']})", "",
    f"pgbench, {clients} clients, {len(plain)} interleaved rounds of {seconds} s, prepared statements planned per execution "
    f"(as the service sends them). Load average (1 min): {load_start} at the start, "
    f"{', '.join(loads)} after each round.", "",
    "Each cell: mean latency in ms (transactions/s; CPU ms per transaction of the database's backends).", "",
    "| round | without event | with event | latency ratio | CPU ratio |"
    + (f" with event before {before_name} | latency ratio | CPU ratio |" if before else ""),
    "|---:|---:|---:|---:|---:|" + ("---:|---:|---:|" if before else ""),
]
for i, (p, e) in enumerate(zip(plain, evented)):
    cell = lambda r: f"{r['latency_ms']:.2f} ({r['tps']:.0f}; {r['postgres_cpu_ms_per_tx']:.3f})"
    row = f"| {i + 1} | {cell(p)} | {cell(e)} | {ratios[i]:.3f} | {cpu_ratios[i]:.3f} |"
    if before:
        b = before[i]
        row += (f" {cell(b)} | {b['latency_ms'] / p['latency_ms']:.3f} |"
                f" {b['postgres_cpu_ms_per_tx'] / p['postgres_cpu_ms_per_tx']:.3f} |")
    lines.append(row)
lines += ["", f"Median ratios with/without the event: latency **{result['latency_ratio_median']}** (target ≤ 1.10), "
          f"database CPU per transaction **{result['postgres_cpu_ratio_median']}**."]
if before:
    lines.append(f"Median ratios of the evented statement before {before_name}: latency "
                 f"{result['latency_ratio_before_' + before_name + '_median']}, database CPU "
                 f"{result['postgres_cpu_ratio_before_' + before_name + '_median']}.")
open('bench/results/events-overhead.md', 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
PY
