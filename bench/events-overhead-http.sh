#!/usr/bin/env bash
# What writing the event adds to POST /contacts through the HTTP API (issue 12: at most 10% of the create
# latency at 32 connections). The service has no switch for events, and a product switch only for a
# benchmark is not wanted: this builds a second copy of the service from a temporary copy of the tree with
# bench/events/create-without-event.patch applied (it removes the outbox CTE from the create statement,
# nothing else), then runs both packaged jars side by side against one fresh database on the machine's
# PostgreSQL and loads them in turn with wrk (bench/wrk/presigned.lua, the create scenario of bench/run.sh:
# signed requests, a unique body per request), in interleaved rounds: with/without, then without/with, and
# so on, so that drift of the machine's load falls on both. Each round's ratio compares runs made back to
# back; the medians of those ratios are the result. CPU per request is measured for the service process and
# for the PostgreSQL backends of the bench database.
#
#   bench/events-overhead-http.sh                        # 32 connections, 4 rounds of 10 s, about 3 minutes
#   ROUNDS=6 MEASURE=15 BUILD=0 bench/events-overhead-http.sh   # BUILD=0: reuse the jars of the last run
#
# Environment (all optional): CONNECTIONS, ROUNDS, WARMUP (seconds per jar before the rounds), MEASURE (seconds
# per run), PRELOAD (contacts loaded before the rounds), PORT (with event; PORT+1 without), PGHOST/PGPORT/PGUSER,
# DB (dropped and recreated), JAVA_OPTS, BUILD=0, RESULT (name of the result files).
# Writes bench/results/$RESULT.{json,md} (events-overhead-http by default). Stops with FAILED if the patch does
# not apply, leaves an event insert in the create, or a jar writes (or fails to write) events against its name.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-4}
# The warm-up is what lets the JIT compile the create path before anything is measured: on a quiet machine
# 30 s are tens of thousands of creates; the service's CPU per request in the results shows if it was enough.
WARMUP=${WARMUP:-30}
MEASURE=${MEASURE:-10}
PRELOAD=${PRELOAD:-50000}
PORT=${PORT:-8097}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${DB:-contacts_bench_events_http}
# The JVM image's options (docker/Dockerfile.jvm), as bench/run.sh uses them.
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xmx256m -XX:MaxMetaspaceSize=160m -Xss512k}
BUILD=${BUILD:-1}
RESULT=${RESULT:-events-overhead-http}
WORK=$ROOT/bench/target/events-http
PATCH=$ROOT/bench/events/create-without-event.patch
INSERT_JAVA=src/main/java/dev/awal/contacts/contact/ContactInsert.java
WORKSPACE=bench
SENDER=109876543210
export PGHOST PGPORT PGUSER
COMMAND="CONNECTIONS=$CONNECTIONS ROUNDS=$ROUNDS WARMUP=$WARMUP MEASURE=$MEASURE PRELOAD=$PRELOAD bench/events-overhead-http.sh"
say() { echo "[events-http] $*"; }
mkdir -p "$WORK"

if [[ "$BUILD" == 1 ]]; then
  say "building the service (with the event)"
  ./mvnw -B -o -q package -Dmaven.test.skip=true
  rm -rf "$WORK/with-event" && cp -r target/quarkus-app "$WORK/with-event"
  say "building the copy without the create's event ($(basename "$PATCH"))"
  COPY=$(mktemp -d)
  # The working tree as it is (tracked and untracked files, not what .gitignore leaves out), then the patch.
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$COPY"
  # The patch must apply exactly and leave no outbox insert in the create statement: a patch that no longer
  # matches the create (it moved before: Hibernate's native query, then ContactInsert on the PG client) must
  # stop the run, never build a second jar identical to the first and report a ratio of two equal services.
  if ! (cd "$COPY" && git apply --verbose "$PATCH"); then
    say "FAILED: $(basename "$PATCH") does not apply to the current tree; regenerate it against $INSERT_JAVA" >&2
    exit 1
  fi
  if grep -q 'INSERT INTO events' "$COPY/$INSERT_JAVA"; then
    say "FAILED: $INSERT_JAVA still inserts an event after the patch" >&2
    exit 1
  fi
  (cd "$COPY" && ./mvnw -B -o -q package -Dmaven.test.skip=true)
  rm -rf "$WORK/without-event" && cp -r "$COPY/target/quarkus-app" "$WORK/without-event"
  rm -rf "$COPY"
fi
git -C "$ROOT" rev-parse --short HEAD >"$WORK/build.txt"

# A client that exists only for this run: its secret is generated here and never written down.
BENCH_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_SECRET

declare -A PIDS=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$WORK"/*.requests
}
trap stop_all EXIT

start() {  # variant port
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_USERNAME="$PGUSER" QUARKUS_DATASOURCE_PASSWORD="unused-trust-auth" \
  CONTACTS_AUTH_CLIENTS__BENCH__SECRETS="$BENCH_SECRET" CONTACTS_AUTH_CLIENTS__BENCH__WORKSPACES="$WORKSPACE" \
  java $JAVA_OPTS -Dquarkus.http.port="$2" -Dquarkus.http.host=127.0.0.1 \
    -Dcontacts.rate-limits.list-contacts=100000000/1m -Dcontacts.rate-limits.contact-writes=100000000/1m \
    -Dcontacts.rate-limits.branch-writes=100000000/1m -Dcontacts.rate-limits.other=100000000/1m \
    -Dcontacts.storage.filesystem.root="$WORK/media-storage" \
    -Dquarkus.datasource.reactive.additional-properties.application_name="events-http-$1" \
    -jar "$WORK/$1/quarkus-run.jar" >"$WORK/$1.log" 2>&1 &
  PIDS[$1]=$!
  local code
  for _ in $(seq 1 1500); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/q/health/ready" || true)
    if [[ "$code" == 200 ]]; then
      return
    fi
    if ! kill -0 "${PIDS[$1]}" 2>/dev/null; then
      say "the service ($1) died while starting:" >&2
      tail -30 "$WORK/$1.log" >&2
      exit 1
    fi
    sleep 0.02
  done
  say "the service ($1) did not become ready" >&2
  exit 1
}

say "creating database $DB"
psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
start with-event "$PORT"  # Flyway migrates the schema on the first start
say "loading $PRELOAD contacts"
psql -q -d "$DB" -c "INSERT INTO contacts (workspace, name, phone, phone_number_id, created_at, updated_at)
    SELECT '$WORKSPACE', 'Preloaded ' || g, '96655' || lpad(g::text, 7, '0'), '$SENDER', now(), now()
    FROM generate_series(1, $PRELOAD) g" -c "VACUUM (ANALYZE) contacts" -c "CHECKPOINT"
start without-event "$((PORT + 1))"

# Signed create requests for wrk, one unique body each (valid Saudi mobiles in 96657x, after those already
# used): each file is written just before its run, so the signatures' timestamps are fresh.
NEXT_PHONE=966570000000
requests() {  # file seconds
  python3 - "$1" "$2" "$NEXT_PHONE" "$BENCH_SECRET" "$WORKSPACE" "$SENDER" <<'PY'
import hashlib, hmac, sys, time
path, seconds, first, secret, workspace, sender = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].encode(), sys.argv[5], sys.argv[6]
count = 4000 * (seconds + 1)  # above any create rate this service reaches on 2 cores; wrk reports running out
uri = '/api/developer/contacts?phone_number_id=' + sender
timestamp = str(int(time.time()))
with open(path, 'wb') as out:
    for i in range(count):
        n = first + i
        body = ('{"name":"بنش %d الأنصاري","full_name":"Bench Contact %d","phone":"+%d","email":"bench.%d@example.com",'
                '"is_favorite":%s}' % (n, n, n, n, 'true' if n % 10 == 0 else 'false')).encode()
        signature = hmac.new(secret, b'POST' + uri[len('/api/developer'):].encode() + timestamp.encode() + body,
                             hashlib.sha256).hexdigest()
        head = ('POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Awal-Signature-256: sha256=%s\r\nX-Timestamp: %s\r\n'
                'X-Domain: %s\r\nX-Client-ID: bench\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n'
                % (uri, signature, timestamp, workspace, len(body))).encode()
        request = head + body
        out.write(b'%d\n' % len(request) + request)
PY
  NEXT_PHONE=$((NEXT_PHONE + 4000 * ($2 + 1)))
}

last_event() { psql -At -d "$DB" -c "SELECT coalesce(max(id), 0) FROM events"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU ticks of the PostgreSQL backends serving one of the services (its pooled connections, named by start).
pg_ticks() {  # variant
  local pid total=0
  for pid in $(psql -At -d postgres -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'events-http-$1'"); do
    if [[ -r /proc/$pid/stat ]]; then
      total=$((total + $(cpu_ticks "$pid")))
    fi
  done
  echo "$total"
}

run() {  # variant port seconds round (0: warm-up, not recorded); appends one JSON line to runs.jsonl
  local file=$WORK/$1.requests
  requests "$file" "$3"
  local load_before service_before pg_before out service_after pg_after events_before events_after
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  service_before=$(cpu_ticks "${PIDS[$1]}")
  pg_before=$(pg_ticks "$1")
  events_before=$(last_event)
  out=$(wrk -t1 -c"$CONNECTIONS" -d"$3"s --timeout 30s -s bench/wrk/presigned.lua "http://127.0.0.1:$2" -- "$file" 1)
  service_after=$(cpu_ticks "${PIDS[$1]}")
  pg_after=$(pg_ticks "$1")
  # Each jar must be what its name says: the copy writes no event, the service writes them.
  events_after=$(last_event)
  if [[ "$1" == without-event && "$events_after" != "$events_before" ]]; then
    say "FAILED: the jar without the event wrote events ($events_before -> $events_after)" >&2
    exit 1
  fi
  if [[ "$1" == with-event && "$events_after" == "$events_before" ]]; then
    say "FAILED: the service wrote no events" >&2
    exit 1
  fi
  rm -f "$file"
  echo "$out" | grep '^WRK_RESULT ' | sed 's/^WRK_RESULT //' | python3 -c "
import json, sys
r = json.load(sys.stdin)
r.update(variant='$1', round=$4, load_before=$load_before, load_after=float(open('/proc/loadavg').read().split()[0]),
         service_ticks=$service_after - $service_before, postgres_ticks=$pg_after - $pg_before)
errors = r['connect_errors'] + r['read_errors'] + r['write_errors'] + r['status_errors'] + r['timeouts']
print('[events-http] %s %s: %.0f req/s, mean %.2f ms, p50 %.2f ms, errors %d, load %.2f' % ('warm-up' if $4 == 0 else 'round $4',
      r['variant'], r['requests'] / (r['duration_us'] / 1e6), r['mean_us'] / 1e3, r['p50_us'] / 1e3, errors, r['load_after']),
      file=sys.stderr)
if $4 > 0:
    open('$WORK/runs.jsonl', 'a').write(json.dumps(r) + '\\n')"
}

: >"$WORK/runs.jsonl"
say "warming up both services, ${WARMUP} s each"
run with-event "$PORT" "$WARMUP" 0
run without-event "$((PORT + 1))" "$WARMUP" 0
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then order=(with-event without-event); else order=(without-event with-event); fi
  for variant in "${order[@]}"; do
    port=$PORT
    [[ "$variant" == without-event ]] && port=$((PORT + 1))
    run "$variant" "$port" "$MEASURE" "$round"
  done
done
events=$(psql -At -d "$DB" -c "SELECT count(*) FROM events WHERE workspace = '$WORKSPACE'")
contacts=$(psql -At -d "$DB" -c "SELECT count(*) FROM contacts WHERE workspace = '$WORKSPACE'")
stop_all
rm -rf "$WORK/media-storage"
psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"

mkdir -p bench/results
python3 bench/events/http_summary.py "$WORK/runs.jsonl" "$(cat "$WORK/build.txt")" "$COMMAND" "$CONNECTIONS" "$MEASURE" \
    "$PRELOAD" "$events" "$contacts" "$RESULT"
