#!/usr/bin/env bash
# The benchmark, start to finish: builds the service and the kit, creates a fresh database on the
# machine's PostgreSQL, loads the data set, then for each run starts the packaged service (prod
# profile, external database), measures start-up, runs every scenario and its pgbench twin, records
# RSS and stops the service. Writes bench/results/latest.{json,md} (medians over the runs) and the
# raw per-run files under bench/results/runs/.
#
#   bench/run.sh                         # 1,000,000 contacts, 3 runs
#   CONTACTS=100000 RUNS=1 bench/run.sh  # a quick look while developing
#
# Environment (all optional): CONTACTS (main workspace size; 10% more go to nine other workspaces),
# RUNS, LEVELS (concurrency, comma separated), WARMUP and MEASURE (seconds per scenario and level),
# GLOBAL_WARMUP (seconds per scenario before anything is measured), JIT_SETTLE_MAX (then up to this many
# seconds more of the measured scenarios, until a pass in which the JIT compilers took at most 2 % of the
# service's CPU; default 60, 0: no such wait),
# PORT (service port), PGHOST/PGPORT/PGUSER (the PostgreSQL to use, trust auth), DB (database name,
# dropped and recreated), SKIP_LOAD=1 (reuse the loaded database), ONLY (comma-separated scenarios),
# JAVA_OPTS (service JVM options), SERVICE_OPTS (extra -D options for the service), OUT (results
# file name without extension, default bench/results/latest), PEER_PORT (port of the peer, default
# PORT + 2; PEER=0 leaves the peer out), CLIENT (wrk, the default when /usr/bin/wrk exists, or java: the
# JVM kit for every scenario), BUILD=0 (reuse target/quarkus-app as it is), JAVA (the java binary of the
# service and the peer, default java; the kit always runs on java), AOT=1 (JDK 25+: train an AOT cache with
# docker/aot-train.sh as the JVM image does and run the measured start with it), MALLOC_ARENA_MAX (the
# service's glibc arenas; default the image's), RSS_DETAIL=1 (after the load, write the service's
# /proc smaps_rollup, its largest mappings and, with -XX:NativeMemoryTracking in JAVA_OPTS, jcmd's
# VM.native_memory summary and GC.heap_info to the run's memory-<run>.txt).
#
# JAVA_OPTS and MALLOC_ARENA_MAX default to the JVM image's (docker/Dockerfile.jvm, read by
# bench/rss-image-options.sh), so the benchmark runs the service as the image does.
#
# Load generator: wrk (Debian) with bench/wrk/presigned.lua, fed requests the kit signs just before each
# invocation, so the client costs the 2-core box little; the JVM kit (Vert.x) still runs what wrk cannot:
# 1 MB avatar uploads and the cursor walk. The peer (bench/peer: Quarkus REST + Hibernate Reactive Panache,
# one SELECT by id) runs in the same run against the same database.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONTACTS=${CONTACTS:-1000000}
RUNS=${RUNS:-3}
LEVELS=${LEVELS:-8,32,64}
WARMUP=${WARMUP:-2}
MEASURE=${MEASURE:-8}
GLOBAL_WARMUP=${GLOBAL_WARMUP:-10}
JIT_SETTLE_MAX=${JIT_SETTLE_MAX:-60}
PORT=${PORT:-8089}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${DB:-contacts_bench}
# The JVM image's options and glibc arena count (docker/Dockerfile.jvm).
source "$ROOT/bench/rss-image-options.sh"
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-$(image_java_opts_for "$JAVA")}
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-$IMAGE_MALLOC_ARENA_MAX}
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd # the same JDK's, so it can attach
AOT=${AOT:-0}
START_TIMEOUT=${START_TIMEOUT:-300} # seconds a start may take before the run gives up (a busy shared machine)
CDS=${CDS:-1}
SERVICE_OPTS=${SERVICE_OPTS:-}
ONLY=${ONLY:-}
OUT=${OUT:-bench/results/latest}
PEER=${PEER:-1}
PEER_PORT=${PEER_PORT:-$((PORT + 2))}
CLIENT=${CLIENT:-$([[ -x /usr/bin/wrk ]] && echo wrk || echo java)}
export PGHOST PGPORT PGUSER
JAVA_LABEL=; [[ "$JAVA" == java ]] || JAVA_LABEL="JAVA=$JAVA "
COMMAND="${ONLY:+ONLY=$ONLY }${JAVA_LABEL}${CDS/#1/}${CDS/#0/CDS=0 }${AOT/#0/}${AOT/#1/AOT=1 }CLIENT=$CLIENT PEER=$PEER ${SKIP_LOAD:+SKIP_LOAD=$SKIP_LOAD }CONTACTS=$CONTACTS RUNS=$RUNS LEVELS=$LEVELS WARMUP=$WARMUP MEASURE=$MEASURE GLOBAL_WARMUP=$GLOBAL_WARMUP JIT_SETTLE_MAX=$JIT_SETTLE_MAX ${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX }JAVA_OPTS='$JAVA_OPTS' bench/run.sh"

WORK=$ROOT/bench/target
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR=$ROOT/bench/results/runs/$STAMP
mkdir -p "$WORK" "$RUN_DIR"
say() { echo "[bench] $*"; }

say "building the service and the kit"
if [[ "${BUILD:-1}" == 1 ]]; then
  ./mvnw -B -q package -Dmaven.test.skip=true
fi
./mvnw -B -q -f bench/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
if [[ "$PEER" == 1 ]]; then
  ./mvnw -B -q -f bench/peer/pom.xml package -DskipTests
fi
KIT_CP="$ROOT/bench/target/classes:$(cat bench/target/classpath.txt)"
JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=$PGUSER"

# A client that exists only for this run: its secret is generated here and never written down.
BENCH_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_SECRET

SERVICE_PID=
PEER_PID=
stop_service() {
  if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID"
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=
}
stop_peer() {
  if [[ -n "$PEER_PID" ]] && kill -0 "$PEER_PID" 2>/dev/null; then
    kill "$PEER_PID"
    wait "$PEER_PID" 2>/dev/null || true
  fi
  PEER_PID=
}
trap 'stop_service; stop_peer' EXIT

# The peer, on the same database with the same JVM options as the service (PEER_PID).
start_peer() {
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
  QUARKUS_DATASOURCE_PASSWORD="unused-trust-auth" \
    env ${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX} "$JAVA" $JAVA_OPTS -Dquarkus.http.port="$PEER_PORT" -Dquarkus.http.host=127.0.0.1 \
    -jar bench/peer/target/quarkus-app/quarkus-run.jar >"$1" 2>&1 &
  PEER_PID=$!
  for _ in $(seq 1 600); do
    if curl -s -o /dev/null "http://127.0.0.1:$PEER_PORT/contacts/1"; then
      return
    fi
    if ! kill -0 "$PEER_PID" 2>/dev/null; then
      say "the peer died while starting:" >&2
      tail -30 "$1" >&2
      exit 1
    fi
    sleep 0.05
  done
  say "the peer did not become ready" >&2
  exit 1
}

# Starts the packaged service (SERVICE_PID) and sets START_MS to the milliseconds from JVM launch to
# the first served request. Not to be called in a subshell: the pid must stay known here.
start_service() {
  local log=$1 extra=${2:-} started now
  started=$(date +%s%N)
  # Env, not -D, for the secret so it never shows in the process list. Rate limits are lifted: a
  # benchmark is one client sending thousands of requests a second (the replay cache stays on).
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_USERNAME="$PGUSER" QUARKUS_DATASOURCE_PASSWORD="unused-trust-auth" \
  CONTACTS_AUTH_CLIENTS__BENCH__SECRETS="$BENCH_SECRET" \
  CONTACTS_AUTH_CLIENTS__BENCH__WORKSPACES="bench" \
  env ${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX} "$JAVA" $JAVA_OPTS $extra -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dcontacts.rate-limits.list-contacts=100000000/1m -Dcontacts.rate-limits.contact-writes=100000000/1m \
    -Dcontacts.rate-limits.branch-writes=100000000/1m -Dcontacts.rate-limits.other=100000000/1m \
    -Dcontacts.storage.filesystem.root="$WORK/media-storage" \
    $SERVICE_OPTS -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
  SERVICE_PID=$!
  # One poller process (bench/wait_ready.py), not a curl and a sleep started every 20 ms: those took a good
  # part of a core from the start they timed.
  if now=$(python3 bench/wait_ready.py "$PORT" /q/health/ready "$START_TIMEOUT" "$SERVICE_PID"); then
    START_MS=$(( (now - started) / 1000000 ))
    return
  fi
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
    say "the service died while starting:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  say "the service did not become ready" >&2
  exit 1
}

if [[ "${SKIP_LOAD:-0}" != 1 ]]; then
  say "creating database $DB"
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  say "first start: Flyway migrates the schema"
  start_service "$WORK/service-migrate.log"
  stop_service
  say "loading $CONTACTS contacts"
  java -cp "$KIT_CP" dev.awal.contacts.bench.DataGenerator --jdbc-url "$JDBC_URL" --contacts "$CONTACTS"
fi

# A class-data archive (AppCDS) of this build on this JVM: the classes a start loads, written when a
# training start exits. Each run measures the start with it as well as without it (README: Deploying).
# CDS=0 leaves it out (the start with it is then reported as null).
CDS_ARCHIVE=$WORK/contacts-service.jsa
rm -f "$CDS_ARCHIVE"
if [[ "$CDS" == 1 ]]; then
  say "training start for the class-data archive"
  start_service "$WORK/service-cds-training.log" "-XX:ArchiveClassesAtExit=$CDS_ARCHIVE"
  stop_service
fi

# AOT=1: the JVM image's AOT cache (JDK 25), trained by docker/aot-train.sh with the same JVM, options and
# jar path as the measured start, which then runs with it (the class-data archive start is unchanged).
MEASURED_EXTRA=
if [[ "$AOT" == 1 ]]; then
  AOT_CACHE=$WORK/contacts-service.aot
  rm -f "$AOT_CACHE"
  say "training start for the AOT cache"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  env ${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX} AOT_TRAINING_PORT=$((PORT + 7)) \
    docker/aot-train.sh "$JAVA" target/quarkus-app/quarkus-run.jar "$AOT_CACHE" $JAVA_OPTS \
    >"$WORK/service-aot-training.log" 2>&1
  MEASURED_EXTRA="-XX:AOTCache=$AOT_CACHE"
fi

# RSS_DETAIL=1: where the service's resident memory is, taken right after the load (before it stops).
memory_detail() {
  local pid=$1 file=$2
  {
    echo "## ps rss (KiB): $(ps -o rss= -p "$pid" | tr -d ' ')"
    echo "## /proc/$pid/smaps_rollup"
    cat "/proc/$pid/smaps_rollup"
    echo "## threads: $(ls "/proc/$pid/task" | wc -l)"
    echo "## largest mappings by RSS (pmap -x: address, KiB, RSS KiB, dirty KiB, mode, mapping)"
    pmap -x "$pid" | sed '1,2d;$d' | sort -k3,3nr | head -40
    echo "## RSS KiB by kind: anonymous, file-backed"
    pmap -x "$pid" | sed '1,2d;$d' | awk '/anon/ { a += $3; next } { f += $3 } END { print a + 0, f + 0 }'
    if [[ "$JAVA_OPTS" == *NativeMemoryTracking* ]]; then
      echo "## jcmd VM.native_memory summary"
      "$JCMD" "$pid" VM.native_memory summary
    fi
    echo "## jcmd GC.heap_info"
    "$JCMD" "$pid" GC.heap_info
  } >"$file" 2>&1 || true
}

for run in $(seq 1 "$RUNS"); do
  say "run $run of $RUNS"
  # Every run starts from the loaded data set: the contacts earlier runs created (the service's in the
  # SA 57x range, pgbench's 13-digit 9665 numbers) would otherwise pile up as the newest rows, all
  # named alike, and change what the searches have to walk through. A checkpoint, so a pending one
  # does not land in this run's numbers.
  psql -q -d "$DB" -c "DELETE FROM contacts WHERE phone BETWEEN '966570000000' AND '966578999999' \
    OR (length(phone) = 13 AND phone LIKE '9665%')" -c "VACUUM (ANALYZE) contacts" -c "CHECKPOINT"
  cds_start_ms=null
  cds_quarkus_started=null
  if [[ "$CDS" == 1 ]]; then
    start_service "$WORK/service-$STAMP-$run-cds.log" "-XX:SharedArchiveFile=$CDS_ARCHIVE"
    cds_start_ms=$START_MS
    cds_quarkus_started=$(grep -o 'started in [0-9.]*s' "$WORK/service-$STAMP-$run-cds.log" | head -1 | grep -o '[0-9.]*' || echo null)
    stop_service
    say "with the class-data archive: ready after $cds_start_ms ms"
  fi
  start_service "$WORK/service-$STAMP-$run.log" "$MEASURED_EXTRA"
  start_ms=$START_MS
  say "service ready after $start_ms ms"
  peer_args=()
  if [[ "$PEER" == 1 ]]; then
    start_peer "$WORK/peer-$STAMP-$run.log"
    peer_args=(--peer-port "$PEER_PORT" --peer-pid "$PEER_PID")
  fi
  # The machine may be shared: the load average before and after says how quiet it was.
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  java -cp "$KIT_CP" dev.awal.contacts.bench.Bench --jdbc-url "$JDBC_URL" --port "$PORT" \
    --service-pid "$SERVICE_PID" --global-warmup "$GLOBAL_WARMUP" --jit-settle-max "$JIT_SETTLE_MAX" \
    --contacts "$CONTACTS" --run "$run" --levels "$LEVELS" --warmup "$WARMUP" --measure "$MEASURE" \
    --pgbench-db "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$DB" --pgbench-scripts bench/pgbench \
    --work "$WORK" --only "$ONLY" --out "$RUN_DIR/bench-$run.json" --client "$CLIENT" \
    --wrk-script bench/wrk/presigned.lua "${peer_args[@]}"
  rss_kb=$(ps -o rss= -p "$SERVICE_PID" | tr -d ' ')
  [[ "${RSS_DETAIL:-0}" != 1 ]] || memory_detail "$SERVICE_PID" "$RUN_DIR/memory-$run.txt"
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  quarkus_started=$(grep -o 'started in [0-9.]*s' "$WORK/service-$STAMP-$run.log" | head -1 | grep -o '[0-9.]*' || echo null)
  peer_rss_kb=null
  if [[ -n "$PEER_PID" ]]; then
    peer_rss_kb=$(ps -o rss= -p "$PEER_PID" | tr -d ' ')
  fi
  stop_service
  stop_peer
  cat >"$RUN_DIR/service-$run.json" <<EOF
{"start_to_first_request_ms": $start_ms, "quarkus_started_in_s": $quarkus_started, "rss_after_run_kb": $rss_kb, "peer_rss_after_run_kb": $peer_rss_kb,
 "start_with_class_archive_ms": $cds_start_ms, "quarkus_started_in_s_with_class_archive": $cds_quarkus_started,
 "load_average_before": $load_before, "load_average_after": $load_after}
EOF
  say "RSS after run: $((rss_kb / 1024)) MiB"
done

rm -rf "$WORK/media-storage"
java -cp "$KIT_CP" dev.awal.contacts.bench.Summary --runs "$RUN_DIR" --command "$COMMAND" \
  --pg-version "$(psql -At -d "$DB" -c 'SHOW server_version')" --cores "$(nproc)" \
  --java "$("$JAVA" -version 2>&1 | head -1)${AOT/#0/}${AOT/#1/, with an AOT cache}" --out "$OUT"
say "results: $OUT.md"
