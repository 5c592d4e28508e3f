#!/usr/bin/env python3
"""Sequential signed requests against a running service: one create vs one 100-contact batch, then an export.

usage: batch_vs_create.py BASE_URL CLIENT SECRET WORKSPACE OUT_JSON [CREATES] [BATCHES]
"""
import hashlib
import hmac
import http.client
import json
import random
import statistics
import sys
import time
import urllib.parse

base, client, secret, workspace, out = sys.argv[1:6]
creates = int(sys.argv[6]) if len(sys.argv) > 6 else 300
batches = int(sys.argv[7]) if len(sys.argv) > 7 else 30
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
# Saudi mobiles 96655XXXXXXX (a range libphonenumber knows as mobile; some other 9665X ranges are not, and a random
# start there failed the run) from a random start, so reruns against one database do not collide. The import
# bench draws its phones from 96650XXXXXXX.
sequence = random.randrange(1_000_000, 9_000_000)


def phone():
    global sequence
    sequence += 1
    return "+96655" + str(sequence)


def request(method, path_and_query, body=b""):
    ts = str(int(time.time()))
    path, _, query = path_and_query.partition("?")
    to_sign = (method + path[len("/api/developer"):] + ("?" + query if query else "") + ts).encode() + body
    signature = hmac.new(secret.encode(), to_sign, hashlib.sha256).hexdigest()
    headers = {"X-Client-ID": client, "X-Domain": workspace, "X-Timestamp": ts,
               "X-Awal-Signature-256": "sha256=" + signature}
    if body:
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    conn.request(method, path_and_query, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return time.perf_counter() - started, response.status, data


def create():
    body = json.dumps({"name": "Bench " + str(sequence), "phone": phone(), "email": "bench@example.com"}).encode()
    elapsed, status, data = request("POST", "/api/developer/contacts?phone_number_id=1", body)
    assert status == 201, (status, data[:300])
    return elapsed


def batch():
    items = [{"name": "Batch " + str(sequence + i), "phone": phone(), "email": "bench@example.com"} for i in range(100)]
    elapsed, status, data = request("POST", "/api/developer/contacts/batch?phone_number_id=1",
                                    json.dumps({"contacts": items}).encode())
    assert status == 200 and json.loads(data)["data"]["counts"]["created"] == 100, (status, data[:300])
    return elapsed


def summary(samples):
    ordered = sorted(samples)
    return {"n": len(samples), "median_ms": round(statistics.median(samples) * 1000, 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2)}


for _ in range(100):  # warm-up: JIT, pools, plans
    create()
for _ in range(10):
    batch()
single = summary([create() for _ in range(creates)])
hundred = summary([batch() for _ in range(batches)])
exports = []
for _ in range(6):  # the first three warm the export path up
    elapsed, status, exported = request("GET", "/api/developer/contacts/export?format=csv")
    assert status == 200
    exports.append(elapsed)
elapsed = statistics.median(exports[3:])
rows = exported.count(b"\r\n") - 1
result = {
    "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "create_one": single,
    "batch_of_100": hundred,
    "batch_over_create_median": round(hundred["median_ms"] / single["median_ms"], 2),
    "per_contact_speedup": round(100 * single["median_ms"] / hundred["median_ms"], 1),
    "export_csv": {"rows": rows, "median_seconds_of_3": round(elapsed, 3), "rows_per_second": round(rows / elapsed),
                   "first_export_seconds": round(exports[0], 3)},
}
with open(out, "w") as f:
    json.dump(result, f, indent=2)
print(json.dumps(result, indent=2))
