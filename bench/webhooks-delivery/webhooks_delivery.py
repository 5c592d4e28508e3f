#!/usr/bin/env python3
"""Webhook delivery benchmark against a running service and bench/webhooks-delivery/receiver.mjs.

usage: webhooks_delivery.py BASE_URL RECEIVER_URL CLIENT SECRET WORKSPACE OUT_JSON [BACKLOG] [LAG_SECONDS] [OUTAGE_SECONDS]

1. throughput: BACKLOG contacts are created (batches of 100) while the endpoint is disabled; it is re-enabled and the
   time until the receiver has every event gives events/s. A warm-up backlog of WARMUP_BACKLOG (default 5,000) is
   delivered the same way first, so that the delivery path is compiled; its rate is reported too.
2. lag: 200 creates/s for LAG_SECONDS (8 threads); per contact, receiver arrival minus the create's answer
   (commit happened before the answer) and minus the create's send (an upper bound).
3. outage: the receiver stops listening for OUTAGE_SECONDS while 20 creates/s run; afterwards every event of that
   phase must arrive, and as often as the attempt log shows 2xx attempts for it.

Environment: PHASES (comma-separated, default throughput,lag,outage); APP_PID, RECEIVER_PID and DB (the service's
database), with which the throughput phase also reports CPU per event of the service, the receiver and the
PostgreSQL backends serving the database (from /proc, so that a saturated receiver or database shows).
"""
import hashlib
import hmac
import http.client
import json
import os
import subprocess
import random
import statistics
import sys
import threading
import time
import urllib.parse

base, receiver, client, secret, workspace, out = sys.argv[1:7]
backlog = int(sys.argv[7]) if len(sys.argv) > 7 else 10000
lag_seconds = int(sys.argv[8]) if len(sys.argv) > 8 else 30
outage_seconds = int(sys.argv[9]) if len(sys.argv) > 9 else 60
url = urllib.parse.urlparse(base)
phases = os.environ.get("PHASES", "throughput,lag,outage").split(",")
sequence = random.randrange(10_000_000, 80_000_000)
lock = threading.Lock()
local = threading.local()


def phone():
    global sequence
    with lock:
        sequence += 1
        return "+9665" + str(sequence)


def request(method, path_and_query, body=b"", offset=0):
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    ts = str(int(time.time()) - offset)
    path, _, query = path_and_query.partition("?")
    to_sign = (method + path[len("/api/developer"):] + ("?" + query if query else "") + ts).encode() + body
    signature = hmac.new(secret.encode(), to_sign, hashlib.sha256).hexdigest()
    headers = {"X-Client-ID": client, "X-Domain": workspace, "X-Timestamp": ts, "X-Awal-Signature-256": "sha256=" + signature}
    if body:
        headers["Content-Type"] = "application/json"
    local.conn.request(method, path_and_query, body=body, headers=headers)
    response = local.conn.getresponse()
    return response.status, response.read()


def receiver_get(path):
    r = urllib.parse.urlparse(receiver)
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection(r.hostname, r.port, timeout=30)
            conn.request("GET", path)
            return json.loads(conn.getresponse().read())
        except ConnectionRefusedError:
            time.sleep(0.1)  # the receiver is (still) down in the outage phase
    raise SystemExit("the receiver did not come back")


def create():
    body = json.dumps({"name": "Hook " + str(sequence), "phone": phone()}).encode()
    sent = time.time()
    status, data = request("POST", "/api/developer/contacts?phone_number_id=1", body)
    answered = time.time()
    assert status == 201, (status, data[:300])
    return json.loads(data)["data"]["id"], sent, answered


def patch_status(hook, status, attempt=0):
    code, data = request("PATCH", "/api/developer/webhooks/%d" % hook, json.dumps({"status": status}).encode(), attempt)
    assert code == 200, (code, data[:300])
    return json.loads(data)["data"]["status"]


def wait_distinct(count, limit_s):
    deadline = time.time() + limit_s
    while time.time() < deadline:
        if receiver_get("/stats")["distinct"] >= count:
            return time.time()
        time.sleep(0.05)
    raise SystemExit("receiver got %s of %d events" % (receiver_get("/stats"), count))


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def ticks(pid):
    try:
        with open("/proc/%s/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, ValueError):
        return 0


def cpu():
    """CPU ticks so far of the service, the receiver and the database's PostgreSQL backends (0 when unknown)."""
    backends = []
    if os.environ.get("DB"):
        backends = subprocess.run(["psql", "-At", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                                   "SELECT pid FROM pg_stat_activity WHERE datname = '%s'" % os.environ["DB"]],
                                  capture_output=True, text=True).stdout.split()
    return {"service": ticks(os.environ.get("APP_PID", "0")), "receiver": ticks(os.environ.get("RECEIVER_PID", "0")),
            "postgres": sum(ticks(p) for p in backends)}


def pct(values, p):
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * p)) - 1)]


code, data = request("POST", "/api/developer/webhooks",
                     json.dumps({"url": receiver + "/hook", "events": ["contact.created"]}).encode())
assert code == 201 and json.loads(data)["data"]["status"] == "active", (code, data[:300])
hook = json.loads(data)["data"]["id"]
results = {"webhook_id": hook}

# 1. throughput from a backlog. A warm-up backlog first (WARMUP_BACKLOG, default 5,000; 0 for none): until then
# the service has served creates only, and the delivery path would be measured while the JIT compiles it. Both are
# reported; the target is judged on the second, as a replica that has been delivering runs.
def deliver_backlog(count):
    patch_status(hook, "disabled")
    for i in range(count // 100):
        items = [{"name": "Backlog", "phone": phone()} for _ in range(100)]
        code, data = request("POST", "/api/developer/contacts/batch?phone_number_id=1", json.dumps({"contacts": items}).encode())
        assert code == 200, (code, data[:300])
    time.sleep(1)
    already = receiver_get("/stats")["distinct"]
    cpu_before = cpu()
    start = time.time()
    assert patch_status(hook, "active", 1) == "active"
    done = wait_distinct(already + count, 600)
    cpu_after = cpu()
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    return {"events": count, "seconds": round(done - start, 2), "events_per_s": round(count / (done - start), 1),
            "load_average": load(),
            # CPU per delivered event; the receiver's share tells whether it could be the bottleneck.
            "cpu_ms_per_event": {k: round((cpu_after[k] - cpu_before[k]) * tick_ms / count, 4) for k in cpu_after},
            "cpu_share_of_one_core": {k: round((cpu_after[k] - cpu_before[k]) * tick_ms / 1000 / (done - start), 3)
                                      for k in cpu_after}}


if "throughput" in phases:
    warmup_backlog = int(os.environ.get("WARMUP_BACKLOG", "5000")) // 100 * 100
    if warmup_backlog > 0:
        results["throughput_warmup"] = deliver_backlog(warmup_backlog)
        print("throughput, warm-up:", results["throughput_warmup"], flush=True)
    results["throughput"] = deliver_backlog(backlog)
    print("throughput:", results["throughput"], flush=True)

# 2. lag at 200 creates/s
if "lag" in phases:
    created = {}
    threads = 8
    per_thread = 200 / threads


    def steady(seconds):
        began = time.time()
        n = 0
        while time.time() - began < seconds:
            contact, sent, answered = create()
            with lock:
                created[contact] = (sent, answered)
            n += 1
            pause = began + n / per_thread - time.time()
            if pause > 0:
                time.sleep(pause)


    before = receiver_get("/stats")["distinct"]
    workers = [threading.Thread(target=steady, args=(lag_seconds,)) for _ in range(threads)]
    began = time.time()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    achieved = len(created) / (time.time() - began)
    wait_distinct(before + len(created), 120)
    arrivals = {c: t / 1000 for _, c, t in receiver_get("/arrivals") if c in created}
    lags = [arrivals[c] - created[c][1] for c in created]
    upper = [arrivals[c] - created[c][0] for c in created]
    results["lag"] = {"creates": len(created), "creates_per_s": round(achieved, 1),
                      "p50_ms": round(statistics.median(lags) * 1000), "p95_ms": round(pct(lags, 0.95) * 1000),
                      "max_ms": round(max(lags) * 1000), "p95_from_send_ms": round(pct(upper, 0.95) * 1000),
                      "load_average": load()}
    print("lag:", results["lag"], flush=True)

# 3. receiver down for OUTAGE_SECONDS while 20 creates/s run
if "outage" in phases:
    before = receiver_get("/stats")["distinct"]
    r = urllib.parse.urlparse(receiver)
    conn = http.client.HTTPConnection(r.hostname, r.port, timeout=30)
    conn.request("POST", "/down?ms=%d" % (outage_seconds * 1000))
    conn.getresponse().read()
    outage = {}
    began = time.time()
    n = 0
    while time.time() - began < outage_seconds:
        contact, sent, answered = create()
        outage[contact] = answered
        n += 1
        pause = began + n / 20 - time.time()
        if pause > 0:
            time.sleep(pause)
    up = time.time()
    wait_distinct(before + len(outage), 900)
    settled = time.time()
    time.sleep(3)
    received = {}
    event_of = {}
    for webhook_id, contact, _ in receiver_get("/arrivals"):
        if contact in outage:
            received[webhook_id] = received.get(webhook_id, 0) + 1
            event_of[webhook_id] = contact
    logged = {}
    after = None
    while True:
        path = "/api/developer/webhooks/%d/deliveries?limit=100" % hook + ("&after=" + after if after else "")
        code, data = request("GET", path)
        assert code == 200, (code, data[:300])
        page = json.loads(data)
        for attempt in page["data"]:
            key = "evt_%s" % attempt["event_id"]
            if key in received and attempt["status_code"] is not None and 200 <= attempt["status_code"] < 300:
                logged[key] = logged.get(key, 0) + 1
        after = page["meta"]["next_cursor"]
        if not after:
            break
    mismatch = [k for k in set(received) | set(logged) if received.get(k) != logged.get(k)]
    results["outage"] = {"down_s": outage_seconds, "events": len(outage), "received_distinct": len(received),
                         "received_total": sum(received.values()), "logged_2xx_total": sum(logged.values()),
                         "events_where_received_differs_from_log": len(mismatch),
                         "all_arrived_s_after_receiver_up": round(settled - up, 1), "load_average": load()}
    print("outage:", results["outage"], flush=True)
    assert len(received) == len(outage) and not mismatch, results["outage"]
with open(out, "w") as f:
    json.dump(results, f, indent=2)
