#!/usr/bin/env bash
# How many statements (and so round trips) one POST /api/developer/contacts costs: starts a build against
# the private database DB with log_statement=all for that database only, sends N creates one after another,
# and prints the statements PostgreSQL logged for them (Bind/Execute of prepared statements included).
#   bench/create-statements.sh target/quarkus-app            # DB=create_bench (from bench/create-ab.sh), N=3
set -euo pipefail
cd "$(dirname "$0")/.."
APP=$(readlink -f "${1:-target/quarkus-app}")
DB=${DB:-create_bench}; PORT=${PORT:-8199}; N=${N:-3}
# The server's log: its logging collector's file, or Debian's stderr log when the collector is off.
LOG=$(psql -h 127.0.0.1 -U postgres -At -c "SELECT pg_current_logfile()")
if [[ -z "$LOG" ]]; then LOG=$(ls -t /var/log/postgresql/postgresql-*-main.log | head -1)
elif [[ "$LOG" != /* ]]; then LOG=$(psql -h 127.0.0.1 -U postgres -At -c "SHOW data_directory")/$LOG; fi
export SECRET=$(openssl rand -hex 32)
# log_statement applies to sessions started after it: set before the service opens its pool.
psql -h 127.0.0.1 -U postgres -q -c "ALTER DATABASE $DB SET log_statement = 'all'"
QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=unused CONTACTS_AUTH_CLIENTS__BENCH__SECRETS="$SECRET" \
CONTACTS_AUTH_CLIENTS__BENCH__WORKSPACES=bench java -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dcontacts.storage.filesystem.root=bench/target/create-statements-media -jar "$APP/quarkus-run.jar" >bench/target/create-statements.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; psql -h 127.0.0.1 -U postgres -q -c "ALTER DATABASE $DB RESET log_statement"' EXIT
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready")" == 200 ]]; do sleep 0.2; done
START=$(wc -c <"$LOG")
python3 - "$PORT" "$N" <<'PY'
import hashlib, hmac, os, random, sys, time, urllib.request
port, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    phone = 966578900000 + random.randrange(99999)  # SA 5789x: valid, past the bench's creates
    body = ('{"name":"Statement Count %d","phone":"+%d"}' % (i, phone)).encode()
    ts = str(int(time.time())); path = "/contacts?phone_number_id=109876543210"
    sig = hmac.new(os.environ["SECRET"].encode(), b"POST" + path.encode() + ts.encode() + body, hashlib.sha256).hexdigest()
    req = urllib.request.Request("http://127.0.0.1:%s/api/developer%s" % (port, path), data=body, method="POST", headers={
        "X-Client-ID": "bench", "X-Domain": "bench", "X-Timestamp": ts, "X-Awal-Signature-256": "sha256=" + sig,
        "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        print("create", i, r.status)
PY
sleep 3
tail -c +"$((START + 1))" "$LOG" | grep -F "@$DB " | grep -E "LOG: +(statement|execute)" | sed -E 's/^[^[]*(\[[0-9]+\]).*LOG: +/\1 /' | cut -c1-120
# The background work (webhook queue look and poll, import sweeps) runs on its own schedule; the creates'
# own statements are the inserts ("WITH c AS"): one each, and no BEGIN/COMMIT on their connection around them.
echo "creates sent: $N; create statements logged: $(tail -c +"$((START + 1))" "$LOG" | grep -F "@$DB " | grep -cE "LOG: +execute [^:]*: WITH c AS")"
