#!/usr/bin/env bash
# Per-request overhead of get-by-id, measured from outside: the packaged service (prod profile,
# external PostgreSQL) is driven by wrk (a C load generator) with requests signed just before each
# run (reads are not replay-checked and a signature stays valid for the timestamp window). For every
# run it records throughput, latency percentiles, the service's CPU time per request (utime + stime
# from /proc/<pid>/stat over the run, divided by the requests) and wrk's own CPU time per request.
# With PROFILE=1 a JFR recording of one extra run at the first level lists the hottest frames, the bytes
# allocated per request (each thread's own allocation counter, which does not depend on the machine's speed)
# and the sites that allocate them (JFR's weighted allocation samples: an estimate).
# To tell where a tail comes from, every run also records the service's own latency of the same
# requests (server_p95_ms/server_p99_ms/server_max_ms: the access log's duration, first route handler to
# the response's end), how long the event loops waited for a core (loop_runqueue_wait_ms_per_s, from
# /proc/<pid>/task/*/schedstat) and were preempted, and the CPU per request by thread group (event
# loops, JIT compiler, GC, log writer), so JIT work left over from the warm-up is not taken for requests.
#
#   bench/overhead.sh                                 # build, load 100,000 contacts, 3 rounds at 8 and 32
#   SKIP_BUILD=1 SKIP_LOAD=1 LABEL=after bench/overhead.sh
#   JAR=/path/to/quarkus-app/quarkus-run.jar LABEL=before SKIP_LOAD=1 bench/overhead.sh
#
# Environment (all optional): CONTACTS, ROUNDS, LEVELS (comma separated), DURATION and WARMUP
# (seconds; the warm-up repeats until WARMUP_REQUESTS requests were served), PORT, DB (dropped and
# recreated unless SKIP_LOAD=1; its PostgreSQL backends' CPU per request is reported as db_cpu_ms_per_request), PGHOST/PGPORT/PGUSER, JAVA (the java binary), JAVA_OPTS,
# JAR (another packaged build to measure), LABEL (names the result), PROFILE=1, NMT=1 (native memory
# tracking: the JVM's committed memory by category, read with jcmd after the load, beside the RSS),
# OUT (file without extension, default bench/results/overhead-$LABEL).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONTACTS=${CONTACTS:-100000}
ROUNDS=${ROUNDS:-3}
LEVELS=${LEVELS:-8,32}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-60000}
PORT=${PORT:-8093}
DB=${DB:-contacts_bench_edge}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
JAVA=${JAVA:-java}
# The JVM image's options and glibc arena count (docker/Dockerfile.jvm), as bench/run.sh uses them.
source "$ROOT/bench/rss-image-options.sh"
JAVA_OPTS=${JAVA_OPTS:-$(image_java_opts_for "$JAVA")}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-$IMAGE_MALLOC_ARENA_MAX}
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd # the same JDK's, so it can attach
JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
LABEL=${LABEL:-current}
PROFILE=${PROFILE:-0}
PROFILE_DURATION=${PROFILE_DURATION:-$DURATION}
OUT=${OUT:-bench/results/overhead-$LABEL}
export PGHOST PGPORT PGUSER
# JFR keeps 64 frames by default; the reactive stacks are deeper, and the service's own frames sit below the stack's.
PROFILE_OPTS=
[[ "$PROFILE" != 1 ]] || PROFILE_OPTS=-XX:FlightRecorderOptions:stackdepth=256
[[ "${NMT:-0}" != 1 ]] || PROFILE_OPTS="$PROFILE_OPTS -XX:NativeMemoryTracking=summary"
WORK=$ROOT/bench/target/overhead
mkdir -p "$WORK"
say() { echo "[overhead] $*"; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  say "building the service"
  ./mvnw -B -o -q package -Dmaven.test.skip=true
fi

export SECRET=$(openssl rand -hex 32) # this run's own client; the secret is never written down
SERVICE_PID=
stop_service() { # stops the service this script started, if it still runs
  [[ -z "$SERVICE_PID" ]] || { kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null; SERVICE_PID=; } || true
}
trap stop_service EXIT

start_service() {
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_USERNAME="$PGUSER" QUARKUS_DATASOURCE_PASSWORD="unused-trust-auth" \
  CONTACTS_AUTH_CLIENTS__BENCH__SECRETS="$SECRET" CONTACTS_AUTH_CLIENTS__BENCH__WORKSPACES="bench" \
  "$JAVA" $JAVA_OPTS $PROFILE_OPTS -Xlog:gc:file="$WORK/gc-$LABEL.log" -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dcontacts.rate-limits.list-contacts=100000000/1m -Dcontacts.rate-limits.other=100000000/1m \
    -Dcontacts.storage.filesystem.root="$WORK/media-storage" -jar "$JAR" >"$1" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 900); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready" || true)" == 200 ]]; then
      return
    fi
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -30 "$1" >&2; exit 1; }
    sleep 0.1
  done
  say "the service did not become ready" >&2
  exit 1
}

if [[ "${SKIP_LOAD:-0}" != 1 ]]; then
  say "creating database $DB and loading $CONTACTS contacts"
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  start_service "$WORK/migrate.log"
  stop_service
  ./mvnw -B -o -q -f bench/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
  java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.awal.contacts.bench.DataGenerator \
    --jdbc-url "jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=$PGUSER" --contacts "$CONTACTS"
  psql -q -d "$DB" -c "VACUUM (ANALYZE) contacts"
fi
psql -At -d "$DB" -c "SELECT id FROM contacts WHERE workspace = 'bench' ORDER BY random() LIMIT 20000" >"$WORK/ids.txt"

start_service "$WORK/service-$LABEL.log"
say "service $SERVICE_PID ready ($JAR)"

# Signs one request per id for the wrk script; called right before each run.
sign() {
  python3 - "$WORK/ids.txt" "$WORK/requests.lua" <<'PY'
import hashlib, hmac, os, sys, time
ids = open(sys.argv[1]).read().split()
secret = os.environ["SECRET"].encode()
ts = str(int(time.time()))
with open(sys.argv[2], "w") as out:
    out.write("requests_signed = {\n")
    for i in ids:
        path = "/contacts/" + i
        sig = hmac.new(secret, ("GET" + path + ts).encode(), hashlib.sha256).hexdigest()
        out.write('{"%s","%s"},\n' % (path, sig))
    out.write("}\nrequests_timestamp = \"%s\"\n" % ts)
PY
}

cat >"$WORK/get-by-id.lua" <<'LUA'
dofile(os.getenv("REQUESTS_LUA"))
local prepared = {}
local n = 0
init = function(args)
  for i, r in ipairs(requests_signed) do
    prepared[i] = wrk.format("GET", "/api/developer" .. r[1], {
      ["X-Client-ID"] = "bench", ["X-Domain"] = "bench", ["X-Timestamp"] = requests_timestamp,
      ["X-Awal-Signature-256"] = "sha256=" .. r[2], ["Accept"] = "application/json" })
  end
  n = math.random(#prepared)
end
request = function()
  n = n % #prepared + 1
  return prepared[n]
end
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d\n", summary.requests, summary.duration, bad,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency:percentile(99.9)))
end
LUA

# One wrk run; prints a JSON object with throughput, latencies (ms) and CPU per request (ms).
measure() {
  local connections=$1 seconds=$2
  sign
  REQUESTS_LUA="$WORK/requests.lua" python3 - "$SERVICE_PID" "$connections" "$seconds" "$WORK/get-by-id.lua" "$PORT" \
    "$WORK/gc-$LABEL.log" "$WORK/service-$LABEL.log" "$DB" <<'PY'
import collections, json, os, re, resource, subprocess, sys
pid, connections, seconds, script, port, gc_log, service_log, db = sys.argv[1:9]
tick = os.sysconf("SC_CLK_TCK")
def cpu(p):
    fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick
def jvm_uptime(p):  # seconds since the JVM started, the clock of the -Xlog:gc lines
    started = int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[19]) / tick
    return float(open("/proc/uptime").read().split()[0]) - started
def loops(p):  # per event-loop thread: (run-queue wait ns, involuntary switches), from the scheduler's counters
    out = {}
    for tid in os.listdir(f"/proc/{p}/task"):
        try:
            if not open(f"/proc/{p}/task/{tid}/comm").read().startswith("vert.x-eventloo"):
                continue
            wait = int(open(f"/proc/{p}/task/{tid}/schedstat").read().split()[1])
            status = open(f"/proc/{p}/task/{tid}/status").read()
            out[tid] = (wait, int(re.search(r"nonvoluntary_ctxt_switches:\s+(\d+)", status).group(1)))
        except (OSError, AttributeError):
            pass
    return out
GROUPS = (("event loops", "vert.x-eventloo"), ("JIT compiler", "C1 CompilerThre", "C2 CompilerThre"),
          ("GC", "VM Thread", "GC Thread", "G1 "), ("log writer", "pool-", "log-writer"), ("workers", "executor-thread", "vert.x-worker"))
def thread_cpu(p):  # CPU seconds per group of threads (by name), so a run can say what besides requests cost CPU
    out = collections.Counter()
    for tid in os.listdir(f"/proc/{p}/task"):
        try:
            name = open(f"/proc/{p}/task/{tid}/comm").read().strip()
            fields = open(f"/proc/{p}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        group = next((g[0] for g in GROUPS if name.startswith(g[1:])), "other")
        out[group] += (int(fields[11]) + int(fields[12])) / tick
    return out
def db_cpu():  # CPU seconds of the PostgreSQL backends serving this database (the service's pool)
    total = 0
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            if f" {db} " not in open(f"/proc/{p}/cmdline", "rb").read().decode(errors="replace"):
                continue
            total += cpu(p)
        except OSError:
            pass
    return total
log_offset = os.path.getsize(service_log)
window_start = jvm_uptime(pid)
loops_before, threads_before = loops(pid), thread_cpu(pid)
before, children, db_before = cpu(pid), resource.getrusage(resource.RUSAGE_CHILDREN), db_cpu()
threads = "2" if int(connections) >= 2 else "1"
out = subprocess.run(["wrk", "-t", threads, "-c", connections, "-d", seconds + "s", "-s", script,
                      f"http://127.0.0.1:{port}"], capture_output=True, text=True, env=os.environ).stdout
after, children_after, db_after = cpu(pid), resource.getrusage(resource.RUSAGE_CHILDREN), db_cpu()
window_end = jvm_uptime(pid)
loops_after, threads_after = loops(pid), thread_cpu(pid)
# Event loops: how long they waited for a core (runnable, not running) and how often they were preempted.
loop_wait_ms = sum(loops_after[t][0] - loops_before[t][0] for t in loops_after if t in loops_before) / 1e6
loop_preempted = sum(loops_after[t][1] - loops_before[t][1] for t in loops_after if t in loops_before)
# The service's own view of the same requests: the access log's duration (first route handler to the
# response's end) of the get-by-id lines written in this window, to tell a tail inside the service from
# one before it (accept, read, waiting for the event loop) or in the client.
with open(service_log, "rb") as f:
    f.seek(log_offset)
    durations = sorted(float(m.group(1)) for m in re.finditer(rb'"duration_ms":"([0-9.]+)"', f.read()))
pick = lambda q: durations[min(len(durations) - 1, int(q * len(durations)))] if durations else None
# The collector's pauses inside this run's window: what p99 and max may owe to them.
pauses = [float(m.group(2)) for m in re.finditer(r"^\[([0-9.]+)s\].*Pause.* ([0-9.]+)ms$", open(gc_log).read(), re.M)
          if window_start <= float(m.group(1)) <= window_end + 1]
line = next(l for l in out.splitlines() if l.startswith("RESULT"))
requests, micros, bad, p50, p95, p99, mx, p999 = map(int, line.split()[1:])
wrk_cpu = (children_after.ru_utime + children_after.ru_stime) - (children.ru_utime + children.ru_stime)
print(json.dumps({"connections": int(connections), "requests": requests, "errors": bad,
    "req_per_s": round(requests / (micros / 1e6), 1),
    "p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "p99_ms": p99 / 1000, "p999_ms": p999 / 1000, "max_ms": mx / 1000,
    "service_cpu_ms_per_request": round((after - before) * 1000 / max(requests, 1), 4),
    "wrk_cpu_ms_per_request": round(wrk_cpu * 1000 / max(requests, 1), 4),
    "db_cpu_ms_per_request": round((db_after - db_before) * 1000 / max(requests, 1), 4),
    "service_cpu_ms_per_request_by_threads": {g: round((threads_after[g] - threads_before[g]) * 1000 / max(requests, 1), 4)
                                              for g in sorted(threads_after)},
    "server_p50_ms": pick(0.5), "server_p95_ms": pick(0.95), "server_p99_ms": pick(0.99),
    "server_max_ms": durations[-1] if durations else None, "event_loops": len(loops_after),
    "loop_runqueue_wait_ms_per_s": round(loop_wait_ms / (micros / 1e6), 1), "loop_preemptions": loop_preempted,
    "gc_pauses": len(pauses), "gc_pause_total_ms": round(sum(pauses), 1), "gc_pause_max_ms": max(pauses, default=0),
    "load_average": float(open("/proc/loadavg").read().split()[0])}))
PY
}

# Warm-up by count, not time: until the JIT has compiled the path, a request costs many times its
# steady-state CPU, and on a busy machine a fixed number of seconds may be only a few hundred requests.
say "warm-up: at least $WARMUP_REQUESTS requests"
warmed=0
while (( warmed < WARMUP_REQUESTS )); do
  done_now=$(measure 8 "$WARMUP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
  warmed=$((warmed + done_now))
  say "warm-up: $warmed requests"
done
RESULTS=$WORK/results-$LABEL.jsonl
: >"$RESULTS"
IFS=, read -ra levels <<<"$LEVELS"
for round in $(seq 1 "$ROUNDS"); do
  for c in "${levels[@]}"; do
    measure "$c" "$DURATION" | tee -a "$RESULTS"
  done
done

PROFILE_TOP=null
if [[ "$PROFILE" == 1 ]]; then
  say "profiling one run at ${levels[0]} connections with JFR"
  cat >"$WORK/sampling.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="overhead">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">2000/s</setting><setting name="stackTrace">true</setting></event>
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
</configuration>
JFC
  "$JCMD" "$SERVICE_PID" JFR.start name=overhead settings="$WORK/sampling.jfc" filename="$WORK/profile-$LABEL.jfr" >/dev/null
  PROFILE_REQUESTS=$(measure "${levels[0]}" "$PROFILE_DURATION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
  "$JCMD" "$SERVICE_PID" JFR.stop name=overhead >/dev/null
  # Top frames: self time (the method on top of the stack), and each sample charged to the innermost
  # frame of the service's own code (what our code spends, including the library code it calls).
  # By library: each sample charged to the innermost frame outside the JDK ("self"), and the share of
  # samples with a frame of the library anywhere on the stack ("inclusive").
  jfr print --events jdk.ExecutionSample --stack-depth 256 "$WORK/profile-$LABEL.jfr" >"$WORK/profile-$LABEL.txt"
  PROFILE_TOP=$(python3 - "$WORK/profile-$LABEL.txt" <<'PY'
import collections, json, re, sys
LIBRARIES = [("service", ("dev.awal.contacts.",)), ("Hibernate", ("org.hibernate.",)),
             ("PostgreSQL client", ("io.vertx.pgclient.", "io.vertx.sqlclient.", "io.vertx.mutiny.sqlclient.")),
             ("Jackson", ("com.fasterxml.jackson.",)), ("Micrometer", ("io.micrometer.", "io.quarkus.micrometer.")),
             ("logging", ("org.jboss.logmanager.", "org.jboss.logging.", "io.quarkus.bootstrap.logging.")),
             ("Quarkus REST", ("org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive.")),
             ("Vert.x Web", ("io.vertx.ext.web.",)), ("Vert.x core", ("io.vertx.core.",)), ("Netty", ("io.netty.",)),
             ("Mutiny", ("io.smallrye.mutiny.",)), ("context propagation", ("io.smallrye.context.",)),
             ("CDI (ArC)", ("io.quarkus.arc.",))]
JDK = ("java.", "javax.", "jdk.", "sun.", "com.sun.")
def library(frame):
    return next((name for name, prefixes in LIBRARIES if frame.startswith(prefixes)), None)
samples, top, own = 0, collections.Counter(), collections.Counter()
self_by, inclusive, threads = collections.Counter(), collections.Counter(), collections.Counter()
stack, thread = None, None
for line in open(sys.argv[1]):
    if line.startswith("jdk.ExecutionSample"):
        stack, thread = [], None
    elif stack is not None and line.strip().startswith("sampledThread"):
        thread = re.sub(r"-\d+$", "-N", line.split('"')[1]) if '"' in line else "?"
    elif stack is not None and re.match(r"\s+[\w$.<>/+]+\(", line) and "line:" in line:
        stack.append(line.strip().split("(")[0])
    elif stack is not None and line.strip() == "}":
        if stack:
            samples += 1
            top[stack[0]] += 1
            threads[thread] += 1
            own[next((f for f in stack if f.startswith("dev.awal.contacts.")), "(no frame of the service's own code)")] += 1
            outside = next((f for f in stack if not f.startswith(JDK)), None)
            self_by[(library(outside) or "other: " + ".".join(outside.split(".")[:3])) if outside else "JDK only"] += 1
            for name in {library(f) for f in stack} - {None}:
                inclusive[name] += 1
        stack = None
pct = lambda c, n=20: [{"frame": f, "percent": round(100 * k / samples, 1)} for f, k in c.most_common(n)]
print(json.dumps({"samples": samples, "top_self": pct(top), "innermost_own_frame": pct(own),
                  "self_by_library": pct(self_by), "inclusive_by_library": pct(inclusive), "threads": pct(threads, 8)}))
PY
)
  # Allocation: bytes allocated per request (each thread's cumulative count, first to last reading of the
  # window, a JVM counter that does not depend on timing), and where they are allocated (weighted samples).
  jfr print --events jdk.ThreadAllocationStatistics "$WORK/profile-$LABEL.jfr" >"$WORK/alloc-stats-$LABEL.txt"
  jfr print --events jdk.ObjectAllocationSample --stack-depth 256 "$WORK/profile-$LABEL.jfr" >"$WORK/alloc-samples-$LABEL.txt"
  PROFILE_TOP=$(python3 - "$PROFILE_TOP" "$WORK/alloc-stats-$LABEL.txt" "$WORK/alloc-samples-$LABEL.txt" "$PROFILE_REQUESTS" <<'PY'
import collections, json, re, sys
profile, stats, samples, requests = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
units = {"bytes": 1, "byte": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
size = lambda text: float(text.replace(",", "").split()[0]) * units[text.split()[1]]
first, last, event = {}, {}, {}
for line in open(stats):
    line = line.strip()
    if line.startswith("jdk.ThreadAllocationStatistics"):
        event = {}
    elif line.startswith("allocated = "):
        event["allocated"] = size(line.split("= ", 1)[1])
    elif line.startswith("thread = "):
        name = re.sub(r"-\d+$", "-N", line.split('"')[1]) if '"' in line else "?"
        tid = re.search(r"tid = (\d+)", line)
        key = (name, tid.group(1) if tid else line)
        first.setdefault(key, event["allocated"])
        last[key] = event["allocated"]
by_group = collections.Counter()
for key in last:
    by_group[key[0]] += last[key] - first[key]
total = sum(by_group.values())
weights, own, stack, weight = collections.Counter(), collections.Counter(), None, 0
for line in open(samples):
    if line.startswith("jdk.ObjectAllocationSample"):
        stack, weight, kind = [], 0, "?"
    elif stack is not None and line.strip().startswith("weight = "):
        weight = size(line.strip().split("= ", 1)[1])
    elif stack is not None and line.strip().startswith("objectClass = "):
        kind = line.strip().split("= ", 1)[1].split(" (")[0]
    elif stack is not None and re.match(r"\s+[\w$.<>/+]+\(", line) and "line:" in line:
        stack.append(line.strip().split("(")[0])
    elif stack is not None and line.strip() == "}":
        if stack:
            weights[kind + " @ " + stack[0]] += weight
            own[next((f for f in stack if f.startswith("dev.awal.contacts.")), "(no frame of the service's own code)")] += weight
        stack = None
sampled = sum(weights.values()) or 1
share = lambda c: [{"site": f, "percent": round(100 * w / sampled, 1)} for f, w in c.most_common(25)]
profile["allocation"] = {"requests": requests, "bytes_per_request": round(total / max(requests, 1)),
    "bytes_per_request_by_thread": {g: round(b / max(requests, 1)) for g, b in by_group.most_common(6)},
    "top_sites": share(weights), "innermost_own_frame": share(own)}
print(json.dumps(profile))
PY
)
fi

RSS_KB=$(ps -o rss= -p "$SERVICE_PID" | tr -d ' ')
# Where the resident memory goes (NMT=1): committed KiB per category of the JVM's native memory tracking.
NMT_JSON=null
if [[ "${NMT:-0}" == 1 ]]; then
  NMT_JSON=$("$JCMD" "$SERVICE_PID" VM.native_memory summary | python3 -c '
import json, re, sys
text = sys.stdin.read()
out = {m.group(1).strip(): int(m.group(2)) for m in re.finditer(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB", text, re.M)}
total = re.search(r"Total: reserved=\d+KB, committed=(\d+)KB", text)
out["Total"] = int(total.group(1)) if total else None
print(json.dumps(out))')
fi
# Collector pauses over the service's life (warm-up included): count, total and longest, in ms.
GC=$(python3 - "$WORK/gc-$LABEL.log" <<'PY'
import json, re, sys
pauses = [float(m.group(1)) for m in re.finditer(r"Pause.* ([0-9.]+)ms", open(sys.argv[1]).read())]
print(json.dumps({"pauses": len(pauses), "total_ms": round(sum(pauses), 1), "max_ms": max(pauses, default=0),
                  "over_10ms": sum(p > 10 for p in pauses)}))
PY
)
stop_service
python3 - "$RESULTS" "$OUT" "$LABEL" "$JAR" "$CONTACTS" "$RSS_KB" "$PROFILE_TOP" "$GC" "$JAVA_OPTS" "$NMT_JSON" <<'PY'
import json, os, statistics, subprocess, sys
results_file, out, label, jar, contacts, rss, profile, gc, java_opts, nmt = sys.argv[1:11]
runs = [json.loads(l) for l in open(results_file) if l.strip()]
levels = sorted({r["connections"] for r in runs})
median = lambda key, c: statistics.median(r[key] for r in runs if r["connections"] == c)
for r in runs:
    r["p99_over_p95"] = round(r["p99_ms"] / r["p95_ms"], 2) if r["p95_ms"] else None
keys = ["req_per_s", "service_cpu_ms_per_request", "wrk_cpu_ms_per_request", "db_cpu_ms_per_request", "p50_ms", "p95_ms", "p99_ms", "max_ms",
        "p99_over_p95", "gc_pauses", "gc_pause_max_ms", "load_average"]
summary = {str(c): {k: median(k, c) for k in keys} for c in levels}
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
# A build outside the checkout is named, not located: result files carry no local paths.
jar = os.path.relpath(jar) if os.path.abspath(jar).startswith(os.getcwd() + os.sep) else "a build outside the checkout"
doc = {"label": label, "commit": commit, "jar": jar, "contacts": int(contacts), "rss_after_kb": int(rss),
       "java_opts": java_opts, "nmt_committed_kb": json.loads(nmt),
       "gc": json.loads(gc), "medians": summary, "runs": runs, "profile": json.loads(profile)}
json.dump(doc, open(out + ".json", "w"), indent=1)
print(json.dumps(summary, indent=1))
PY
say "results: $OUT.json"

# bench/results/overhead.json holds the last "before" and "after" results side by side.
if [[ "$LABEL" =~ ^(before|after)$ && -f bench/results/overhead-before.json && -f bench/results/overhead-after.json ]]; then
  python3 - <<'PY'
import json
before, after = (json.load(open(f"bench/results/overhead-{l}.json")) for l in ("before", "after"))
json.dump({"before": before, "after": after}, open("bench/results/overhead.json", "w"), indent=1)
PY
  say "results side by side: bench/results/overhead.json"
fi
