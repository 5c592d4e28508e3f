#!/usr/bin/env bash
# Training start for the JVM's AOT cache (JDK 25: -XX:AOTCacheOutput; JEP 483/514/515), run where the
# jar is packaged: by docker/Dockerfile.jvm when the image is built (with the image's own JVM, as a cache
# only works on the JVM build that wrote it) and by bench/startup.sh.
#
#   docker/aot-train.sh <java> <jar as the service is launched, e.g. /deployments/quarkus-run.jar> <cache file> [JVM options]
#
# It starts the service as it starts in production, except that there is no database: Flyway's start-up
# migration is off and the pools point at a closed local port, which the start never touches (they connect
# on first use). It sends the requests that make the first ones slow — health, an unsigned and a wrongly
# signed API call (401 in the envelope), the OpenAPI document, metrics — and stops the service with SIGTERM;
# the JVM writes the cache as it exits. Classes only a database start loads (Flyway's migration, the
# pools' connections) are loaded normally at run time.
set -euo pipefail

JAVA=$1
JAR=$2
CACHE=$3
shift 3
PORT=${AOT_TRAINING_PORT:-18089}

QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:1/aot-training" \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:1/aot-training" \
QUARKUS_DATASOURCE_USERNAME="aot-training" \
QUARKUS_FLYWAY_MIGRATE_AT_START=false \
CONTACTS_AUTH_CLIENTS__AOT_TRAINING__SECRETS="aot-training-only" \
CONTACTS_AUTH_CLIENTS__AOT_TRAINING__WORKSPACES="training" \
  "$JAVA" "$@" -XX:AOTCacheOutput="$CACHE" -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.shutdown.delay=0S -Dquarkus.shutdown.timeout=5S -jar "$JAR" &
PID=$!

# Plain HTTP/1.1 over bash's /dev/tcp: the runtime image need not carry curl.
request() {
  local method=$1 path=$2 headers=${3:-}
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
  printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n' "$method" "$path" "$headers" >&3
  local status
  IFS= read -r status <&3 || true
  cat <&3 >/dev/null || true
  exec 3<&-
  echo "$status"
}

for _ in $(seq 1 1200); do
  if [[ "$(request GET /q/health/live 2>/dev/null || true)" == *" 200"* ]]; then
    break
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "aot-train: the training start died" >&2
    wait "$PID" || true
    exit 1
  fi
  sleep 0.1
done
for _ in 1 2 3; do
  request GET /q/health/live
  request GET /api/developer/contacts
  request GET /api/developer/contacts/1 \
    $'X-Client-ID: aot-training\r\nX-Domain: training\r\nX-Timestamp: 1\r\nX-Awal-Signature-256: sha256=00\r\n'
  request GET /q/openapi
  request GET /q/metrics
done
kill -TERM "$PID"
wait "$PID" || true
test -s "$CACHE"
