#!/usr/bin/env bash
# Issue 12's webhook targets: delivery throughput to a local receiver (>= 1,000 events/s), commit-to-delivery lag
# p95 at 200 creates/s (<= 1 s), and a receiver down for 60 s after which every event arrives exactly as often as
# the attempt log says. The packaged service on database contacts_bench_hooks (machine PostgreSQL), port 8096;
# the receiver is bench/webhooks-delivery/receiver.mjs (node). Writes bench/results/webhooks.{json,md}.
#
#   bench/webhooks-delivery.sh                          # 10,000-event backlog, 30 s of lag, 60 s outage
#   BACKLOG=20000 LAG_SECONDS=60 SKIP_BUILD=1 bench/webhooks-delivery.sh
#   POLL=2s CONCURRENCY=8 SKIP_BUILD=1 bench/webhooks-delivery.sh   # other dispatcher settings, said so in the results
#   WARMUP_BACKLOG=0 SKIP_BUILD=1 bench/webhooks-delivery.sh   # measure the first backlog, JIT and all (default: a
#       # 5,000-event backlog is delivered first and reported separately, as rounds before 11 did not)
#   PHASES=throughput RESULT=webhooks-a JAR=/tmp/a/quarkus-run.jar SKIP_BUILD=1 bench/webhooks-delivery.sh
#       # one phase of a given build, for interleaved A/B runs of two builds (throughput, lag, outage)
#
# Bench settings (not the defaults, and said so in the results): a retry schedule of seconds so that a 60 s outage
# is recovered from within minutes rather than the production schedule's 5 min and 30 min, and a 1 s poll interval
# (kept from earlier runs for comparison; a create through the API wakes its replica's dispatcher, so the poll
# only matters for writes of other replicas). The per-endpoint concurrency is the default, 32, unless CONCURRENCY
# says otherwise.
#
# The feed (and so every delivery) shows an event only once every older transaction of the whole PostgreSQL
# cluster has ended (pg_snapshot_xmin is cluster-wide): a long transaction in another database of the machine's
# cluster stalls this benchmark. Run it when nothing else holds one (check pg_stat_activity.backend_xid).
set -euo pipefail
cd "$(dirname "$0")/.."

BACKLOG=${BACKLOG:-10000}
LAG_SECONDS=${LAG_SECONDS:-30}
OUTAGE_SECONDS=${OUTAGE_SECONDS:-60}
APP_PORT=${APP_PORT:-8096}
RECEIVER_PORT=${RECEIVER_PORT:-18096}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
DB=${DB:-contacts_bench_hooks}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
PHASES=${PHASES:-throughput,lag,outage}
RESULT=${RESULT:-webhooks}
POLL=${POLL:-1s}
CONCURRENCY=${CONCURRENCY:-32}
SCHEDULE=${SCHEDULE:-1s,2s,5s,10s,20s,30s,60s,60s,60s,60s}
RESULTS=bench/results
WORK=$RESULTS/tmp/webhooks
# A throwaway client for this run only; it protects nothing.
CLIENT=bench
CLIENT_SECRET=bench-secret

rm -rf "$WORK" && mkdir -p "$WORK" "$RESULTS"
APP_PID=
RECEIVER_PID=
cleanup() {
    [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
    [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2>/dev/null && wait "$RECEIVER_PID" 2>/dev/null || true
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB"
psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $DB"
node bench/webhooks-delivery/receiver.mjs "$RECEIVER_PORT" >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!
QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PG_HOST:$PG_PORT/$DB" \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" \
QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD= \
CONTACTS_STORAGE_FILESYSTEM_ROOT="$PWD/$WORK/storage" \
QUARKUS_HTTP_ACCESS_LOG_ENABLED=false \
CONTACTS_WEBHOOKS_ALLOW_HTTP=true CONTACTS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=true \
CONTACTS_WEBHOOKS_POLL_INTERVAL="$POLL" CONTACTS_WEBHOOKS_RETRY_SCHEDULE="$SCHEDULE" \
CONTACTS_WEBHOOKS_CONCURRENCY_PER_ENDPOINT="$CONCURRENCY" \
java -Xmx512m -Dquarkus.http.port="$APP_PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dcontacts.auth.clients.$CLIENT.secrets="$CLIENT_SECRET" -Dcontacts.auth.clients.$CLIENT.workspaces=bench \
    -Dcontacts.rate-limits.contact-writes=1000000/1m -Dcontacts.rate-limits.list-contacts=1000000/1m \
    -Dquarkus.log.category.\"dev.awal.contacts.access\".level=WARN \
    -jar "$JAR" >"$WORK/service.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/q/health/ready" && break; sleep 0.2; done
curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/q/health/ready" || { tail -50 "$WORK/service.log"; exit 1; }

PHASES="$PHASES" APP_PID="$APP_PID" RECEIVER_PID="$RECEIVER_PID" DB="$DB" \
python3 bench/webhooks-delivery/webhooks_delivery.py "http://127.0.0.1:$APP_PORT" "http://127.0.0.1:$RECEIVER_PORT" \
    "$CLIENT" "$CLIENT_SECRET" bench "$RESULTS/$RESULT.json" "$BACKLOG" "$LAG_SECONDS" "$OUTAGE_SECONDS"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS/$RESULT.json" "$RESULTS/$RESULT.md" "$POLL" "$SCHEDULE" "$LOAD" "$CONCURRENCY" "$JAR" <<'PY'
import json, sys, datetime
r = json.load(open(sys.argv[1]))
r["settings"] = {"poll_interval": sys.argv[3], "retry_schedule": sys.argv[4], "concurrency_per_endpoint": int(sys.argv[6]),
                 "load_average_at_end": sys.argv[5],
                 "measured_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
json.dump(r, open(sys.argv[1], "w"), indent=2)
r["settings"]["jar"] = sys.argv[7]
json.dump(r, open(sys.argv[1], "w"), indent=2)
md = f"""# Webhook delivery (bench/webhooks-delivery.sh)

Measured {r['settings']['measured_at']} on this machine (2 cores, shared; load average at the end {sys.argv[5]}),
one service replica ({sys.argv[7]}), a node receiver on loopback answering 204. Bench settings: poll interval {sys.argv[3]},
retry schedule {sys.argv[4]}, {sys.argv[6]} deliveries in flight per endpoint.

| target | measured | | load average after the phase |
|---|---|---|---|
"""
if "throughput" in r:
    t = r["throughput"]
    c = t["cpu_ms_per_event"]
    w = r.get("throughput_warmup")
    warm = f"; after a warm-up backlog of {w['events']} delivered at {w['events_per_s']} events/s (service {w['cpu_ms_per_event']['service']} CPU ms per event, the JIT compiling)" if w else "; no warm-up backlog (WARMUP_BACKLOG=0): the JIT compiled the delivery path during it"
    md += f"| delivery throughput >= 1,000 events/s | {t['events_per_s']} events/s ({t['events']} events in {t['seconds']} s, from a backlog{warm}); CPU ms per event: service {c['service']}, receiver {c['receiver']}, PostgreSQL {c['postgres']} | {'met' if t['events_per_s'] >= 1000 else 'NOT met'} | {t['load_average']} |\n"
if "lag" in r:
    l = r["lag"]
    md += f"| commit-to-delivery lag p95 <= 1 s at 200 creates/s | p95 {l['p95_ms']} ms (p50 {l['p50_ms']} ms, max {l['max_ms']} ms; from the create's send: p95 {l['p95_from_send_ms']} ms) at {l['creates_per_s']} creates/s achieved | {('met' if l['p95_ms'] <= 1000 else 'NOT met') if l['creates_per_s'] >= 190 else 'not measured: 200 creates/s not reached on this machine'} | {l['load_average']} |\n"
if "outage" in r:
    o = r["outage"]
    md += f"| receiver down {o['down_s']} s: every event arrives, as often as the log says | {o['received_distinct']} of {o['events']} events arrived ({o['received_total']} deliveries, {o['logged_2xx_total']} 2xx attempts logged; {o['events_where_received_differs_from_log']} events differ), all within {o['all_arrived_s_after_receiver_up']} s of the receiver coming back | {'met' if o['received_distinct'] == o['events'] and o['events_where_received_differs_from_log'] == 0 else 'NOT met'} | {o['load_average']} |\n"
open(sys.argv[2], "w").write(md)
print(md)
PY
