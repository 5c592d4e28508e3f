#!/usr/bin/env python3
"""Issue 11's import and export targets against a running service (see import-export.sh).

usage: import_export.py BASE_URL CLIENT SECRET WORKSPACE SERVICE_PID DB ROWS OUT_JSON OUT_MD

1. writes a ROWS-row CSV: 10% of its phones already belong to contacts of the workspace (seeded here by SQL
   before the import), 1% repeat an earlier row of the file, 2% are invalid rows; names, e-mails and
   addresses in the style of bench/src/.../DataGenerator (Arabic and Latin names, Saudi mobiles);
2. get-by-id latency while idle, then the import end to end (upload to status completed) with get-by-id
   measured throughout and the service's RSS sampled;
3. export of the whole workspace as CSV and as NDJSON, streamed to nowhere, RSS sampled.
"""
import hashlib
import hmac
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

base, client, secret, workspace, pid, db, rows, out_json, out_md = sys.argv[1:10]
rows = int(rows)
url = urllib.parse.urlparse(base)
random.seed(11)

ARABIC = ["أحمد", "محمد", "فاطمة", "عائشة", "عمر", "يوسف", "خالد", "نورة", "سارة", "عبدالله"]
FAMILY = ["العتيبي", "القحطاني", "الغامدي", "الزهراني", "الشمري", "الحربي", "المطيري", "الدوسري"]
LATIN = ["Ahmed", "Sara", "John", "Maria", "Omar", "Aisha", "Lina", "David", "Priya", "Yusuf"]
LAST = ["Smith", "Khan", "Haddad", "Garcia", "Nasser", "Kowalski", "Ali", "Brown"]
CITIES = ["Riyadh", "Jeddah", "Dammam", "Dubai", "Cairo", "Amman", "الرياض، حي النخيل"]


def headers_for(method, path_and_query, body_digest_input):
    ts = str(int(time.time()))
    path, _, query = path_and_query.partition("?")
    mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)
    mac.update((method + path[len("/api/developer"):] + ("?" + query if query else "") + ts).encode())
    mac.update(body_digest_input)
    return {"X-Client-ID": client, "X-Domain": workspace, "X-Timestamp": ts,
            "X-Awal-Signature-256": "sha256=" + mac.hexdigest()}


def request(conn, method, path_and_query, body=b"", content_type=None):
    headers = headers_for(method, path_and_query, body)
    if content_type:
        headers["Content-Type"] = content_type
    started = time.perf_counter()
    conn.request(method, path_and_query, body=body if body else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return time.perf_counter() - started, response.status, data


def connect():
    return http.client.HTTPConnection(url.hostname, url.port, timeout=600)


def rss_mib():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.stop = [], threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.samples.append(rss_mib())
            time.sleep(0.5)

    def result(self):
        self.stop.set()
        self.join()
        return {"start_mib": round(self.samples[0], 1), "max_mib": round(max(self.samples), 1),
                "end_mib": round(self.samples[-1], 1)}


def psql(sql):
    return subprocess.run(["psql", "-h", os.environ.get("PG_HOST", "127.0.0.1"), "-U", "postgres", "-d", db, "-qAt",
                           "-v", "ON_ERROR_STOP=1"], input=sql, check=True, capture_output=True, text=True).stdout.strip()


def cpu_seconds(process):
    """User + system CPU seconds a process has used so far (0 once it is gone)."""
    try:
        with open(f"/proc/{process}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def thread_cpu(process):
    """CPU seconds so far of each of a process's threads, by thread id: (name with digits dropped, seconds)."""
    import re
    threads = {}
    for task in os.listdir(f"/proc/{process}/task"):
        try:
            with open(f"/proc/{process}/task/{task}/stat") as stat:
                text = stat.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = re.sub(r"[0-9]+", "N", text[text.index("(") + 1:text.rindex(")")])
        fields = text.rsplit(")", 1)[1].split()
        threads[int(task)] = (name, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    return threads


class ThreadCpu(threading.Thread):
    """Where the service's CPU goes during the import, without a profiler: its threads' CPU (JIT compilers, GC, the
    event loops, the import's reader and writers) sampled every second, so a thread that ends keeps its last sample;
    summed by name."""

    def __init__(self, process):
        super().__init__(daemon=True)
        self.process, self.start_cpu, self.stop = process, thread_cpu(process), threading.Event()
        self.last = dict(self.start_cpu)

    def run(self):
        while not self.stop.is_set():
            self.last.update(thread_cpu(self.process))
            time.sleep(1)

    def result(self):
        self.stop.set()
        self.join()
        self.last.update(thread_cpu(self.process))
        totals = {}
        for tid, (name, cpu) in self.last.items():
            totals[name] = totals.get(name, 0.0) + cpu - self.start_cpu.get(tid, (name, 0.0))[1]
        return {name: round(cpu, 1) for name, cpu in sorted(totals.items(), key=lambda item: -item[1]) if cpu >= 0.05}


def backend_cpu():
    """CPU seconds used so far by each PostgreSQL backend connected to the bench database, by pid."""
    pids = psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()").split()
    return {int(p): cpu_seconds(int(p)) for p in pids}


class BackendCpu(threading.Thread):
    """Samples the backends' CPU every second: a backend that closes during the import keeps its last sample."""

    def __init__(self):
        super().__init__(daemon=True)
        self.start_cpu, self.last, self.stop = backend_cpu(), {}, threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.last.update(backend_cpu())
            time.sleep(1)

    def result(self):
        self.stop.set()
        self.join()
        self.last.update(backend_cpu())
        return round(sum(cpu - self.start_cpu.get(p, 0.0) for p, cpu in self.last.items()), 1)


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


# 1. The file and the phones already in the workspace.
# Saudi mobiles 96650XXXXXXX: batch_vs_create.py, run after this, draws from 96655…
phones = [f"96650{n:07d}" for n in random.sample(range(1_000_000, 9_999_999), rows)]
existing = phones[: rows // 10]
psql("INSERT INTO contacts (workspace, name, phone, phone_number_id, created_at, updated_at) "
     f"SELECT '{workspace}', 'Existing ' || p, p, '1', now(), now() FROM unnest(string_to_array('{','.join(existing)}', ',')) p")
# Rare names for the selective searches measured around the import (bench/README: search_latin, search_arabic).
psql("INSERT INTO contacts (workspace, name, phone, phone_number_id, created_at, updated_at) "
     f"SELECT '{workspace}', CASE WHEN n % 2 = 0 THEN 'Jan Kowalczyk' ELSE 'علي الاصبهاني' END, '96659' || lpad(n::text, 7, '0'), "
     "'1', now(), now() FROM generate_series(1, 60) n")
csv_path = os.path.join(os.environ.get("WORK", "/tmp"), "import.csv")
os.makedirs(os.path.dirname(csv_path), exist_ok=True)
expected_valid = set()
with open(csv_path, "w", encoding="utf-8", newline="") as f:
    f.write("name,full_name,phone,email,address,is_favorite\r\n")
    written = []
    for i in range(rows):
        r = random.random()
        arabic = i % 2 == 0
        name = random.choice(ARABIC) if arabic else random.choice(LATIN)
        full = name + " " + (random.choice(FAMILY) if arabic else random.choice(LAST))
        phone = phones[i]
        email = f"user{i}@example.com"
        if r < 0.02:
            phone = "12"  # invalid row
        elif r < 0.03 and written:
            phone = random.choice(written[-5000:])  # the same phone earlier in the file
        address = random.choice(CITIES)
        if phone != "12":
            expected_valid.add(phone)
            written.append(phone)
        f.write(f'{name},"{full}",+{phone},{email},"{address}",{str(i % 7 == 0).lower()}\r\n')
file_bytes = os.path.getsize(csv_path)

# 2. get-by-id while idle, then during the import.
ids = [int(x) for x in psql(f"SELECT id FROM contacts WHERE workspace = '{workspace}' ORDER BY random() LIMIT 500").split()]


def get_by_id_loop(stop, latencies, limit=None):
    conn = connect()
    n = 0
    while not stop.is_set() and (limit is None or n < limit):
        elapsed, status, _ = request(conn, "GET", f"/api/developer/contacts/{random.choice(ids)}")
        assert status == 200, status
        latencies.append(elapsed)
        n += 1
        time.sleep(0.02)


get_by_id_loop(threading.Event(), [], limit=200)  # warm-up
idle = []
get_by_id_loop(threading.Event(), idle, limit=300)

SEARCHES = ["/api/developer/contacts?search=Kowalczyk", "/api/developer/contacts?search=" + urllib.parse.quote("الاصبهاني")]


def search_loop(stop, latencies, limit=None, pause=0.1):
    """The selective Latin and Arabic searches in turn: a search scans the trigram indexes' pending lists."""
    conn = connect()
    n = 0
    while not stop.is_set() and (limit is None or n < limit):
        elapsed, status, _ = request(conn, "GET", SEARCHES[n % 2])
        assert status == 200, status
        latencies.append(elapsed)
        n += 1
        time.sleep(pause)


create_sequence = [0]


def creates(count, conn=None):
    """Creates one contact at a time (a fresh phone each): a create merges the pending list when it overflows."""
    conn = conn or connect()
    latencies = []
    for _ in range(count):
        create_sequence[0] += 1
        body = json.dumps({"name": "Fresh Kowalski " + str(create_sequence[0]),
                           "phone": f"+96658{create_sequence[0]:07d}"}).encode()
        elapsed, status, data = request(conn, "POST", "/api/developer/contacts?phone_number_id=1", body, "application/json")
        assert status == 201, (status, data[:300])
        latencies.append(elapsed)
    return latencies


def create_loop(stop, latencies, pause=0.2):
    """A create every 0.2 s during the import: what an API write pays beside it (its insert merges the trigram
    indexes' pending lists itself when they hold more than its connection's gin_pending_list_limit)."""
    conn = connect()
    while not stop.is_set():
        latencies.extend(creates(1, conn))
        time.sleep(pause)


def summary(latencies):
    return {"n": len(latencies), "median_ms": round(statistics.median(latencies) * 1000, 2),
            "p95_ms": round(pct(latencies, 0.95), 2), "max_ms": round(max(latencies) * 1000, 2)}


search_loop(threading.Event(), [], limit=40, pause=0)  # warm-up
search_idle = []
search_loop(threading.Event(), search_idle, limit=100, pause=0)
creates(20)  # warm-up
create_idle = creates(100)

sampler = RssSampler()
sampler.start()
# CPU seconds of the service and of the database's backends during the import: on a shared machine the wall time
# says little, these say what the import costs (the get-by-id probe's share included, a few seconds at most).
service_cpu_start = cpu_seconds(int(pid))
service_threads = ThreadCpu(int(pid))
service_threads.start()
backends = BackendCpu()
backends.start()
during, stop = [], threading.Event()
prober = threading.Thread(target=get_by_id_loop, args=(stop, during), daemon=True)
search_during = []
searcher = threading.Thread(target=search_loop, args=(stop, search_during), daemon=True)
create_during = []
creator = threading.Thread(target=create_loop, args=(stop, create_during), daemon=True)
with open(csv_path, "rb") as f:
    body = f.read()
started = time.perf_counter()
prober.start()
# SEARCH_DURING=0: the import alone (the selective searches otherwise run beside it and count in the database's CPU).
searching = os.environ.get("SEARCH_DURING", "1") != "0"
if searching:
    searcher.start()
creator.start()
conn = connect()
elapsed, status, data = request(conn, "POST", "/api/developer/contacts/imports?phone_number_id=1", body, "text/csv")
del body
assert status == 202, (status, data[:300])
upload_seconds = time.perf_counter() - started
job_id = json.loads(data)["data"]["id"]
while True:
    _, status, data = request(conn, "GET", f"/api/developer/contacts/imports/{job_id}")
    job = json.loads(data)["data"]
    if job["status"] not in ("queued", "running"):
        break
    time.sleep(1)
import_seconds = time.perf_counter() - started
stop.set()
# The CPU of the import itself, taken when the job ended (before the creates and searches measured after it).
import_cpu = {"service_seconds": round(cpu_seconds(int(pid)) - service_cpu_start, 1), "database_seconds": backends.result()}
import_cpu["service_threads"] = service_threads.result()
prober.join()
creator.join()
if searching:
    searcher.join()
# Right after the job: what an API write and a search pay for what the import left in the pending lists.
create_after = creates(100)
search_after = []
search_loop(threading.Event(), search_after, limit=100, pause=0)
import_rss = sampler.result()
in_db = int(psql(f"SELECT count(*) FROM contacts WHERE workspace = '{workspace}'"))
distinct = int(psql(f"SELECT count(DISTINCT phone) FROM contacts WHERE workspace = '{workspace}'"))
reasons = psql(f"SELECT reason || ' (' || count(*) || ')' FROM import_job_errors WHERE job_id = {job_id} "
               "GROUP BY reason ORDER BY count(*) DESC LIMIT 5").split("\n")

# 3. Export of everything, both formats (EXPORT=0 skips it).
exports = {}
for fmt in (("csv", "ndjson") if os.environ.get("EXPORT", "1") != "0" else ()):
    sampler = RssSampler()
    sampler.start()
    conn = connect()
    path = f"/api/developer/contacts/export?format={fmt}"
    conn.request("GET", path, headers=headers_for("GET", path, b""))
    started = time.perf_counter()
    response = conn.getresponse()
    first_byte = time.perf_counter() - started
    total, lines = 0, 0
    while True:
        chunk = response.read(1 << 20)
        if not chunk:
            break
        total += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    exports[fmt] = {"status": response.status, "seconds": round(seconds, 2), "first_byte_seconds": round(first_byte, 3),
                    "bytes": total, "lines": lines, "rows_per_second": round(in_db / seconds), "rss": sampler.result()}

result = {
    "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "load_average_at_end": open("/proc/loadavg").read().split()[:3],
    "service_jvm": {"java": os.environ.get("BENCH_JAVA_VERSION"), "options": os.environ.get("BENCH_JAVA_OPTS")},
    "searches_beside_import": searching,
    "import": {
        "rows": rows, "file_bytes": file_bytes, "phones_already_in_workspace": len(existing),
        "upload_seconds": round(upload_seconds, 2), "end_to_end_seconds": round(import_seconds, 2),
        "rows_per_second": round(rows / import_seconds), "job": {k: job[k] for k in ("status", "counts", "failure")},
        "contacts_in_workspace_after": in_db, "report_reasons": reasons, "distinct_phones_in_workspace": distinct,
        # The file's valid phones, those already there, the 60 planted for the searches and the creates measured.
        "expected_distinct_valid_phones": len(expected_valid | set(existing)) + 60 + create_sequence[0],
        "rss": import_rss, "cpu": import_cpu,
        "get_by_id_idle": {"n": len(idle), "median_ms": round(statistics.median(idle) * 1000, 2), "p95_ms": round(pct(idle, 0.95), 2)},
        "get_by_id_during_import": {"n": len(during), "median_ms": round(statistics.median(during) * 1000, 2),
                                    "p95_ms": round(pct(during, 0.95), 2)},
        "search_selective_idle": summary(search_idle),
        "search_selective_during_import": summary(search_during) if searching else None,
        "search_selective_after_import": summary(search_after),
        "create_idle": summary(create_idle), "create_during_import": summary(create_during),
        "create_after_import": summary(create_after),
    },
    "export": exports,
}
result["import"]["p95_during_over_idle"] = round(result["import"]["get_by_id_during_import"]["p95_ms"]
                                                 / result["import"]["get_by_id_idle"]["p95_ms"], 2)
with open(out_json, "w") as f:
    json.dump(result, f, indent=2, ensure_ascii=False)
print(json.dumps(result, indent=2, ensure_ascii=False))
