#!/usr/bin/env bash
# Start-up of the packaged service against an external PostgreSQL: JVM launch to the first served
# request (GET /q/health/ready answering 200, which needs the HTTP server, the database pool and
# Flyway's validation done), median of STARTS starts per variant, and the resident memory once started.
# Writes bench/results/startup.{json,md}.
#
#   bench/startup.sh                       # builds, then 5 starts per variant
#   BUILD=0 STARTS=3 bench/startup.sh      # reuse target/quarkus-app
#
# Variants: the build's JDK (17) as it is; JDK 25 as it is; JDK 25 with the AOT cache that the build
# writes (JEP 483/514/515: classes loaded and linked, method profiles), which is what the JVM image runs
# (docker/Dockerfile.jvm makes its own cache the same way, with the image's JVM, when the image is built).
#
# The cache is made by docker/aot-train.sh, the training start the image build runs: the service started
# without a database, a few requests, SIGTERM. So it can be made wherever the jar is packaged.
#
# Environment (all optional): DB (default contacts_bench; must exist with the schema, e.g. after
# bench/run.sh, or is created empty and migrated by the first start), PORT (8095), STARTS (5), BUILD (1),
# JAVA17 (java), JAVA25 (/usr/lib/jvm/temurin-25-jdk-amd64/bin/java), JAVA_OPTS (the production options,
# docker/Dockerfile.jvm), JDK25_OPTS (the image's JDK 25 options, added for the JDK 25 variants),
# MALLOC_ARENA_MAX (the image's), PGHOST/PGPORT/PGUSER, OUT (bench/results/startup),
# VARIANTS (which of the three above, default all), EXTRA_VARIANTS (more JDK 25 + AOT cache variants, each
# with options appended after JAVA_OPTS, so they override them: "name=options;name=options", e.g.
# EXTRA_VARIANTS="aot_young96m=-Xmn96m"; a before/after pair of JVM options measured in one run),
# ALT_APP (another packaged build's quarkus-app directory, e.g. the same code on a newer Quarkus or with a
# change to its start path: measured as variant alt_aot_cache, JDK 25 with its own cache trained the same way,
# interleaved with this build's starts; a before/after pair of builds in one run), ALT_NAME (that variant's
# name in the results, default alt_aot_cache), ALT_TRAIN (the training script for ALT_APP's cache, called as
# docker/aot-train.sh is; default that script).
#
# Each start also writes a GC log; the young collections until the first served request are reported.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DB=${DB:-contacts_bench}
PORT=${PORT:-8095}
STARTS=${STARTS:-5}
BUILD=${BUILD:-1}
JAVA17=${JAVA17:-java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
# The JVM image's options (docker/Dockerfile.jvm, read by bench/rss-image-options.sh): JAVA_OPTS for every
# variant, JDK25_OPTS (the image JDK's own, e.g. compact object headers) added for the JDK 25 variants and
# their cache's training start, and the image's glibc arena count.
source "$ROOT/bench/rss-image-options.sh"
JAVA_OPTS=${JAVA_OPTS:-$IMAGE_JAVA_OPTS}
JDK25_OPTS=${JDK25_OPTS-$IMAGE_JDK25_OPTS}
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-$IMAGE_MALLOC_ARENA_MAX}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
OUT=${OUT:-bench/results/startup}
[[ "$OUT" == /* ]] || OUT=$ROOT/$OUT  # relative to the checkout, or absolute
APP=$ROOT/target/quarkus-app
WORK=$ROOT/bench/target/startup
mkdir -p "$WORK"
say() { echo "[startup] $*"; }

if [[ "$BUILD" == 1 ]]; then
  say "building the service"
  ./mvnw -B -q package -Dmaven.test.skip=true
fi

if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  say "creating database $DB (empty; the first start migrates it)"
  psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -q -d postgres -c "CREATE DATABASE $DB"
fi

# The AOT cache of a build on JDK 25, made as the image build makes it (docker/Dockerfile.jvm).
train() {
  local app=$1 log=$2 script=${3:-$ROOT/docker/aot-train.sh}
  say "training start (JDK 25, $script): writing $app/app.aot"
  rm -f "$app/app.aot"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  (cd "$app" && env ${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX} \
    "$script" "$JAVA25" quarkus-run.jar app.aot $JAVA_OPTS $JDK25_OPTS >"$log" 2>&1)
  ls -l "$app/app.aot" >/dev/null
}
train "$APP" "$WORK/training.log"
ALT_APP=${ALT_APP:+$(cd "$ALT_APP" && pwd)}
if [[ -n "$ALT_APP" ]]; then
  train "$ALT_APP" "$WORK/training-alt.log" "${ALT_TRAIN:-}"
fi

SERVICE_PID=
stop_service() {
  if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID"
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=
}
trap stop_service EXIT

# One start: prints "<ms to first served request> <RSS KiB once ready> <Quarkus' own 'started in' seconds>
# <young collections until then> <CPU ms the JVM used until then>". The CPU time (user + system, all threads)
# is the steadier figure on a shared machine: other processes stretch the wall time, not the work done.
start_once() {
  local java=$1 extra=$2 log=$3 app=${4:-$APP} started now
  rm -f "$log.gc"
  started=$(date +%s%N)
  (cd "$app" && exec env ${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX} QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
    QUARKUS_DATASOURCE_USERNAME="$PGUSER" QUARKUS_DATASOURCE_PASSWORD="unused-trust-auth" \
    "$java" $JAVA_OPTS $extra -Xlog:gc:file="$log.gc" -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dcontacts.storage.filesystem.root="$WORK/media-storage" -jar quarkus-run.jar) >"$log" 2>&1 &
  SERVICE_PID=$!
  # One poller process (bench/wait_ready.py), not a curl and a sleep started every 10 ms: those took about
  # half a core from the start they timed.
  if now=$(python3 "$ROOT/bench/wait_ready.py" "$PORT" /q/health/ready 60 "$SERVICE_PID"); then
    local rss gcs cpu
    rss=$(ps -o rss= -p "$SERVICE_PID" | tr -d ' ')
    cpu=$(awk -v tick="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%d", ($12 + $13) * 1000 / tick }' "/proc/$SERVICE_PID/stat")
    gcs=$(grep -c 'Pause Young' "$log.gc" || true)
    stop_service
    echo "$(( (now - started) / 1000000 )) $rss $(grep -o 'started in [0-9.]*s' "$log" | head -1 | grep -o '[0-9.]*' || echo null) $gcs $cpu"
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

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A VARIANT_JAVA=([jdk17]="$JAVA17" [jdk25]="$JAVA25" [jdk25_aot_cache]="$JAVA25")
declare -A VARIANT_OPTS=([jdk17]="" [jdk25]="$JDK25_OPTS" [jdk25_aot_cache]="$JDK25_OPTS -XX:AOTCache=app.aot")
declare -A VARIANT_APP=()
VARIANTS_ENV=${VARIANTS:-}
read -r -a VARIANTS <<<"${VARIANTS:-jdk17 jdk25 jdk25_aot_cache}"
if [[ -n "${EXTRA_VARIANTS:-}" ]]; then
  IFS=';' read -r -a extra_variants <<<"$EXTRA_VARIANTS"
  for entry in "${extra_variants[@]}"; do
    VARIANT_JAVA[${entry%%=*}]=$JAVA25
    VARIANT_OPTS[${entry%%=*}]="$JDK25_OPTS -XX:AOTCache=app.aot ${entry#*=}"
    VARIANTS+=("${entry%%=*}")
  done
fi
ALT_NAME=${ALT_NAME:-alt_aot_cache}
if [[ -n "$ALT_APP" ]]; then
  VARIANT_JAVA[$ALT_NAME]=$JAVA25
  VARIANT_OPTS[$ALT_NAME]="$JDK25_OPTS -XX:AOTCache=app.aot"
  VARIANT_APP[$ALT_NAME]=$ALT_APP
  VARIANTS+=("$ALT_NAME")
fi

# One start to migrate an empty database and warm the OS file cache, not counted.
start_once "$JAVA17" "" "$WORK/first.log" >/dev/null

JSON_ROWS=()
MD_ROWS=()
load_before=$(cut -d' ' -f1 /proc/loadavg)
for variant in "${VARIANTS[@]}"; do
  : >"$WORK/$variant.txt"
done
# Variants interleaved start by start, so a busy spell of the shared machine hits them alike.
for i in $(seq 1 "$STARTS"); do
  for variant in "${VARIANTS[@]}"; do
    result=$(start_once "${VARIANT_JAVA[$variant]}" "${VARIANT_OPTS[$variant]}" "$WORK/$variant-$i.log" "${VARIANT_APP[$variant]:-$APP}")
    echo "$result" >>"$WORK/$variant.txt"
    say "$variant start $i: $result (ms, RSS KiB, Quarkus s, young GCs, CPU ms)"
  done
done
load_after=$(cut -d' ' -f1 /proc/loadavg)
for variant in "${VARIANTS[@]}"; do
  ms=$(cut -d' ' -f1 "$WORK/$variant.txt" | median)
  rss=$(cut -d' ' -f2 "$WORK/$variant.txt" | median)
  quarkus=$(cut -d' ' -f3 "$WORK/$variant.txt" | median)
  gcs=$(cut -d' ' -f4 "$WORK/$variant.txt" | median)
  cpu=$(cut -d' ' -f5 "$WORK/$variant.txt" | median)
  all=$(cut -d' ' -f1 "$WORK/$variant.txt" | paste -sd, -)
  JSON_ROWS+=("{\"variant\": \"$variant\", \"java\": \"$("${VARIANT_JAVA[$variant]}" -version 2>&1 | head -1 | sed 's/"/\\"/g')\", \"options\": \"${VARIANT_OPTS[$variant]}\", \"median_ms_to_first_request\": $ms, \"starts_ms\": [$all], \"median_rss_when_ready_mib\": $(awk "BEGIN { printf \"%.0f\", $rss / 1024 }"), \"median_quarkus_started_in_s\": $quarkus, \"median_young_gcs_until_ready\": $gcs, \"median_cpu_ms_until_ready\": $cpu}")
  MD_ROWS+=("| $variant | \`${VARIANT_OPTS[$variant]}\` | $ms | $all | $(awk "BEGIN { printf \"%.0f\", $rss / 1024 }") | $quarkus | $gcs | $cpu |")
done

{
  echo "{"
  echo "  \"generated_at\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"starts_per_variant\": $STARTS, \"cores\": $(nproc),"
  echo "  \"java_opts\": \"$JAVA_OPTS\", \"load_average_before\": $load_before, \"load_average_after\": $load_after,"
  echo "  \"target\": \"JVM start to first served request <= 2000 ms (median)\","
  echo "  \"variants\": ["
  printf '    %s' "${JSON_ROWS[0]}"
  for row in "${JSON_ROWS[@]:1}"; do printf ',\n    %s' "$row"; done
  echo
  echo "  ]"
  echo "}"
} >"$OUT.json"
{
  echo "# Start-up"
  echo
  echo "JVM launch to the first served request (\`GET /q/health/ready\` answering 200: HTTP server, database pool and"
  echo "Flyway's validation done) against the machine's PostgreSQL, packaged jar (\`target/quarkus-app\`), $(nproc) cores,"
  echo "median of $STARTS starts per variant, variants interleaved. Production JVM options for every variant:"
  echo "\`$JAVA_OPTS\`. Load average $load_before before, $load_after after (the machine is shared: absolute"
  echo "times drift with it, the variants' order does not). Target: <= 2000 ms."
  echo
  echo "Command: \`STARTS=$STARTS${VARIANTS_ENV:+ VARIANTS=\"$VARIANTS_ENV\"}${EXTRA_VARIANTS:+ EXTRA_VARIANTS=\"$EXTRA_VARIANTS\"}${ALT_APP:+ ALT_APP=<other build> ALT_NAME=$ALT_NAME}${ALT_TRAIN:+ ALT_TRAIN=$ALT_TRAIN} bench/startup.sh\`"
  echo
  echo "| variant | extra options | median ms to first request | each start (ms) | RSS when ready (MiB) | Quarkus \"started in\" (s) | young GCs until ready | CPU ms until ready |"
  echo "|---|---|---:|---|---:|---:|---:|---:|"
  printf '%s\n' "${MD_ROWS[@]}"
  echo
  echo "The AOT cache is written by \`docker/aot-train.sh\` with JDK 25 (the service started without a database,"
  echo "a few requests, SIGTERM; the JVM writes the cache as it exits), as docker/Dockerfile.jvm does when the image"
  echo "is built. Packaging: \`quarkus.package.jar.type=aot-jar\`, so the cache covers the libraries too."
} >"$OUT.md"
cat "$OUT.md"
