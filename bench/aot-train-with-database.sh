#!/usr/bin/env bash
# Experiment (round 12, bench/results/startup-w12-db-training.md): the AOT cache's training start against a
# real database, so the classes of Flyway's validation and the pools' connections are in the cache too.
# docker/aot-train.sh trains without one, because an image build has no database. Called as that script is:
#
#   bench/aot-train-with-database.sh <java> <jar> <cache file> [JVM options]
#   ALT_APP=<copy of target/quarkus-app> ALT_TRAIN=$PWD/bench/aot-train-with-database.sh ALT_NAME=aot_db_trained \
#     BUILD=0 STARTS=7 VARIANTS=jdk25_aot_cache bench/startup.sh
#
# TRAIN_DB (default 127.0.0.1:5432/aot_training, created if missing) is migrated by the training start.
# Result on round 12's machine: no difference in time to the first served request (medians 2,713 / 2,734 ms).
set -euo pipefail
JAVA=$1
JAR=$2
CACHE=$3
shift 3
PORT=${AOT_TRAINING_PORT:-18089}
DB=${TRAIN_DB:-127.0.0.1:5432/aot_training}
host=${DB%%/*}
psql -h "${host%%:*}" -p "${host##*:}" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '${DB##*/}'" | grep -q 1 \
  || psql -h "${host%%:*}" -p "${host##*:}" -U postgres -d postgres -qc "CREATE DATABASE ${DB##*/}"

QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$DB" \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$DB" \
QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=unused-trust-auth \
  "$JAVA" "$@" -XX:AOTCacheOutput="$CACHE" -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dcontacts.storage.filesystem.root="${TMPDIR:-/tmp}/aot-training-media" \
  -Dquarkus.shutdown.delay=0S -Dquarkus.shutdown.timeout=5S -jar "$JAR" &
PID=$!
for _ in $(seq 1 1200); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" && break
  kill -0 "$PID" 2>/dev/null || { echo "aot-train-with-database: the training start died" >&2; exit 1; }
  sleep 0.1
done
for _ in 1 2 3; do
  for path in /q/health/ready /q/health/live /q/openapi /q/metrics /api/developer/contacts; do
    curl -s -o /dev/null "http://127.0.0.1:$PORT$path"
  done
done
kill -TERM "$PID"
wait "$PID" || true
test -s "$CACHE"
