#!/usr/bin/env bash
# POST /api/developer/contacts measured from outside, two builds side by side (A/B, interleaved), with
# pgbench's create.sql (the service's own insert statement) as the denominator in the same window.
#
# Both builds run at once on their own ports against one private database (100,000 contacts by default);
# each round measures A, B and pgbench at each level, one after the other, so a busy machine weighs on
# both alike. wrk (bench/wrk/presigned.lua) sends requests signed just before each invocation, each
# with a unique body and phone (writes are replay-checked), sent once. Per run: req/s, latencies, the
# service's CPU per create (utime + stime from /proc/<pid>/stat over the run ÷ requests), wrk's own CPU
# per request, and the load average. PROFILE=1 records one JFR run (1 ms execution samples, 256-frame
# stacks) per build at the first level and aggregates the samples by top frame and by library.
#
#   bench/create-ab.sh A=/path/before/quarkus-app B=target/quarkus-app         # load, warm up, 3 rounds
#   SKIP_LOAD=1 ROUNDS=3 bench/create-ab.sh A=... B=...
#   ONLY_A=1 PROFILE=1 SKIP_LOAD=1 bench/create-ab.sh A=target/quarkus-app     # a profile of one build
#
# Environment: CONTACTS (100000), ROUNDS (3), LEVELS (8,32), DURATION (10 s), WARMUP_REQUESTS (30000 per
# build), DB (create_bench; dropped and recreated unless SKIP_LOAD=1), PORT_A/PORT_B (8197/8198), JAVA,
# JAVA_OPTS (the JVM image's), OUT (bench/results/create-ab), PROFILE=1, PROPS_A / PROPS_B (more JVM options
# for one build only, e.g. PROPS_B=-Dquarkus.datasource.reactive.cache-prepared-statements=true: a setting's
# A/B with one jar as both A and B).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
for arg in "$@"; do
  case "$arg" in
    A=*) APP_A=$(readlink -f "${arg#A=}") ;;
    B=*) APP_B=$(readlink -f "${arg#B=}") ;;
  esac
done
APP_A=${APP_A:-$ROOT/target/quarkus-app}
APP_B=${APP_B:-}
CONTACTS=${CONTACTS:-100000}
ROUNDS=${ROUNDS:-3}
LEVELS=${LEVELS:-8,32}
DURATION=${DURATION:-10}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-30000}
DB=${DB:-create_bench}
PORT_A=${PORT_A:-8197}
PORT_B=${PORT_B:-8198}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
JAVA=${JAVA:-java}
# The JVM image's options and glibc arena count (docker/Dockerfile.jvm), as bench/run.sh uses them.
source "$ROOT/bench/rss-image-options.sh"
JAVA_OPTS=${JAVA_OPTS:-$(image_java_opts_for "$JAVA")}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-$IMAGE_MALLOC_ARENA_MAX}
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd
PROFILE=${PROFILE:-0}
OUT=${OUT:-bench/results/create-ab}
SENDER=109876543210
export PGHOST PGPORT PGUSER
WORK=$ROOT/bench/target/create-ab
mkdir -p "$WORK"
say() { echo "[create-ab] $*" >&2; }

export SECRET=${SECRET:-$(openssl rand -hex 32)} # this run's own client; never written down
declare -A PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done; }
[[ "${KEEP:-0}" == 1 ]] || trap stop_all EXIT

start_service() { # name app port log
  local extra= props="PROPS_$1"
  [[ "$PROFILE" != 1 ]] || extra=-XX:FlightRecorderOptions:stackdepth=256
  extra="$extra ${!props:-}"
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_USERNAME="$PGUSER" QUARKUS_DATASOURCE_PASSWORD="unused-trust-auth" \
  CONTACTS_AUTH_CLIENTS__BENCH__SECRETS="$SECRET" CONTACTS_AUTH_CLIENTS__BENCH__WORKSPACES="bench" \
  "$JAVA" $JAVA_OPTS $extra -Dquarkus.http.port="$3" -Dquarkus.http.host=127.0.0.1 \
    -Dcontacts.rate-limits.contact-writes=100000000/1m -Dcontacts.rate-limits.other=100000000/1m \
    -Dcontacts.storage.filesystem.root="$WORK/media-$1" -jar "$2/quarkus-run.jar" >"$4" 2>&1 &
  PIDS[$1]=$!
  for _ in $(seq 1 1200); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$3/q/health/ready" || true)" != 200 ]] || return 0
    kill -0 "${PIDS[$1]}" 2>/dev/null || { tail -30 "$4" >&2; exit 1; }
    sleep 0.1
  done
  say "$1 did not become ready"; exit 1
}

if [[ "${SKIP_LOAD:-0}" != 1 ]]; then
  say "creating database $DB and loading $CONTACTS contacts"
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  start_service migrate "$APP_A" "$PORT_A" "$WORK/migrate.log"
  kill "${PIDS[migrate]}"; wait "${PIDS[migrate]}" 2>/dev/null || true; unset 'PIDS[migrate]'
  ./mvnw -B -o -q -f bench/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
  java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.awal.contacts.bench.DataGenerator \
    --jdbc-url "jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=$PGUSER" --contacts "$CONTACTS"
  psql -q -d "$DB" -c "VACUUM (ANALYZE)"
fi

# Phones: the service's creates continue in SA 57x after anything earlier; pgbench in its 13-digit range.
NEXT_PHONE=$(psql -At -d "$DB" -c "SELECT 1 + coalesce(max(phone), '966569999999')::bigint FROM contacts WHERE phone BETWEEN '966570000000' AND '966578899999'") # 5789x: bench/create-statements.sh
PG_BASE=$(psql -At -d "$DB" -c "SELECT 1 + coalesce(max(substr(phone, 5)), '199999999')::bigint FROM contacts WHERE length(phone) = 13 AND phone LIKE '9665%'")
echo "$NEXT_PHONE" >"$WORK/next-phone" # a file: measure also runs in subshells
echo 0 >"$WORK/pg-phase"
RUN_ID=$(date +%s)

if [[ -n "${PID_A:-}" ]]; then # services this script started before and left running (KEEP=1), same secret
  PIDS[A]=$PID_A; [[ -z "${PID_B:-}" ]] || PIDS[B]=$PID_B
else
  start_service A "$APP_A" "$PORT_A" "$WORK/service-A.log"
  [[ -z "$APP_B" ]] || start_service B "$APP_B" "$PORT_B" "$WORK/service-B.log"
fi
say "ready: A ${PIDS[A]}${APP_B:+, B ${PIDS[B]}}"

# Signs COUNT create requests with unique phones into $WORK/requests.bin (presigned.lua's format).
sign() { # count
  local next
  next=$(cat "$WORK/next-phone")
  echo $((next + $1)) >"$WORK/next-phone"
  python3 - "$1" "$next" "$RUN_ID" "$WORK/requests.bin" "$SENDER" <<'PY'
import hashlib, hmac, os, sys, time
count, phone, run, out, sender = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
secret = os.environ["SECRET"].encode()
ts = str(int(time.time()))
path = "/contacts?phone_number_id=" + sender
with open(out, "wb") as f:
    for i in range(count):
        n = phone + i
        body = ('{"name":"بنش %d الأنصاري","full_name":"Bench Contact %d","phone":"+%d","email":"bench%s.%d@example.com","is_favorite":%s}'
                % (n, n, n, run, n, "true" if n % 10 == 0 else "false")).encode()
        sig = hmac.new(secret, b"POST" + path.encode() + ts.encode() + body, hashlib.sha256).hexdigest()
        req = ("POST /api/developer%s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Client-ID: bench\r\nX-Domain: bench\r\n"
               "X-Timestamp: %s\r\nX-Awal-Signature-256: sha256=%s\r\nContent-Type: application/json\r\n"
               "Accept: application/json\r\nContent-Length: %d\r\n\r\n" % (path, ts, sig, len(body))).encode() + body
        f.write(b"%d\n" % len(req) + req)
PY
}

# One wrk run against a build; prints a JSON line.
measure() { # name connections seconds
  local pid=${PIDS[$1]} port=$PORT_A
  [[ "$1" == A ]] || port=$PORT_B
  sign $(( $3 * 3500 ))
  python3 - "$pid" "$2" "$3" "$port" "$WORK/requests.bin" "$ROOT/bench/wrk/presigned.lua" "$1" <<'PY'
import json, os, subprocess, sys
pid, c, seconds, port, requests, script, name = sys.argv[1:8]
tick = os.sysconf("SC_CLK_TCK")
def cpu(p):
    f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
before = cpu(pid)
out = subprocess.run(["wrk", "-t1", "-c", c, "-d", seconds + "s", "-s", script, f"http://127.0.0.1:{port}", "--", requests, "1"],
                     capture_output=True, text=True).stdout
after = cpu(pid)
r = json.loads(next(l for l in out.splitlines() if l.startswith("WRK_RESULT")).split(" ", 1)[1])
n = r["requests"]
errors = r["status_errors"] + r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
print(json.dumps({"build": name, "connections": int(c), "requests": n, "errors": errors, "wrapped": r["wrapped"],
    "req_per_s": round(n / (r["duration_us"] / 1e6), 1), "p50_ms": r["p50_us"] / 1000, "p95_ms": r["p95_us"] / 1000,
    "p99_ms": r["p99_us"] / 1000, "max_ms": r["max_us"] / 1000,
    "service_cpu_ms_per_request": round((after - before) * 1000 / max(n, 1), 4),
    "wrk_cpu_ms_per_request": round(r["cpu_ticks"] / tick * 1000 / max(n, 1), 4),
    "load_average": float(open("/proc/loadavg").read().split()[0])}))
PY
}

pgbench_run() { # connections seconds
  local now
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  PG_PHASE=$(( $(cat "$WORK/pg-phase") + 1 ))
  echo "$PG_PHASE" >"$WORK/pg-phase"
  # A failed pgbench (no connection slot left on a shared server) is a row without tps, not the end of the run.
  (PGOPTIONS="-c plan_cache_mode=auto" pgbench -n -M prepared -c "$1" -j 2 -T "$2" -f bench/pgbench/create.sql \
    -D k=0 -D workspace=bench -D phone_base="$PG_BASE" -D phase="$PG_PHASE" -D sender="$SENDER" -D now="$now" \
    -D name="بنش الأنصاري" -D full_name="Bench Contact" -D email="bench@example.com" "$DB" 2>&1 || true) |
    python3 -c '
import json, re, sys
text = sys.stdin.read()
m = re.search(r"tps = ([0-9.]+) \(without initial", text)
f = re.search(r"number of failed transactions: (\d+)", text)
print(json.dumps({"build": "pgbench", "connections": int(sys.argv[1]), "tps": float(m.group(1)) if m else None,
                  "failed": int(f.group(1)) if f else None, "load_average": float(open("/proc/loadavg").read().split()[0])}))' "$1"
}

builds=(A)
[[ -z "$APP_B" ]] || builds+=(B)
for b in "${builds[@]}"; do
  warmed=0
  while (( WARMUP_REQUESTS > 0 && warmed < WARMUP_REQUESTS )); do
    n=$(measure "$b" 8 10 | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
    warmed=$((warmed + n)); say "warm-up $b: $warmed"
  done
done

RESULTS=$WORK/results.jsonl
: >"$RESULTS"
IFS=, read -ra levels <<<"$LEVELS"
for round in $(seq 1 "$ROUNDS"); do
  for c in "${levels[@]}"; do
    for b in "${builds[@]}"; do measure "$b" "$c" "$DURATION" | tee -a "$RESULTS" >&2; done
    pgbench_run "$c" "$DURATION" | tee -a "$RESULTS" >&2
  done
done

PROFILES={}
if [[ "$PROFILE" == 1 ]]; then
  cat >"$WORK/sampling.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="create">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
</configuration>
JFC
  for b in "${builds[@]}"; do
    say "profiling $b at ${levels[0]} connections"
    "$JCMD" "${PIDS[$b]}" JFR.start name=create settings="$WORK/sampling.jfc" filename="$WORK/profile-$b.jfr" >/dev/null
    measure "$b" "${levels[0]}" 20 >"$WORK/profile-run-$b.json"
    "$JCMD" "${PIDS[$b]}" JFR.stop name=create >/dev/null
    jfr print --events jdk.ExecutionSample --stack-depth 256 "$WORK/profile-$b.jfr" >"$WORK/profile-$b.txt"
    python3 bench/create-profile.py "$WORK/profile-$b.txt" >"$WORK/profile-$b.json"
  done
  PROFILES=$(python3 -c '
import json, sys
print(json.dumps({b: json.load(open(sys.argv[1] + "/profile-" + b + ".json")) for b in sys.argv[2:]}))' "$WORK" "${builds[@]}")
fi
[[ "${KEEP:-0}" == 1 ]] || stop_all
python3 - "$RESULTS" "$OUT" "$PROFILES" "$CONTACTS" "$JAVA_OPTS" <<'PY'
import json, statistics, subprocess, sys
results, out, profiles, contacts, java_opts = sys.argv[1:6]
runs = [json.loads(l) for l in open(results) if l.strip()]
summary = {}
for c in sorted({r["connections"] for r in runs}):
    pg = statistics.median(r["tps"] for r in runs if r["build"] == "pgbench" and r["connections"] == c and r["tps"])
    row = {"pgbench_tps": pg}
    for b in sorted({r["build"] for r in runs} - {"pgbench"}):
        mine = [r for r in runs if r["build"] == b and r["connections"] == c]
        med = lambda k: statistics.median(r[k] for r in mine)
        row[b] = {k: med(k) for k in ("req_per_s", "service_cpu_ms_per_request", "wrk_cpu_ms_per_request", "p50_ms",
                                      "p95_ms", "p99_ms", "load_average")}
        row[b]["ratio_to_pgbench"] = round(row[b]["req_per_s"] / pg, 3)
        row[b]["errors"] = sum(r["errors"] for r in mine)
    summary[str(c)] = row
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
doc = {"commit": commit, "contacts": int(contacts), "java_opts": java_opts, "medians": summary, "runs": runs,
       "profiles": json.loads(profiles)}
json.dump(doc, open(out + ".json", "w"), indent=1)
print(json.dumps(summary, indent=1))
PY
say "results: $OUT.json"
