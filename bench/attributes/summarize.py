"""Turns pgbench's per-transaction logs and the EXPLAIN output of bench/attributes.sh into
bench/results/attributes.{json,md}: p50/p95/p99 per query over all rounds, the ratios the
custom-attributes targets name, and whether any plan scans the workspace."""
import glob
import json
import os
import re
import sys

work, contacts, clients, seconds, rounds, out_json, out_md = sys.argv[1:8]
mode = sys.argv[8] if len(sys.argv) > 8 else "prepared"
queries = ["group_filter", "attr_equality", "attr_equality_rare", "attr_equality_multi", "attr_number_range",
           "attr_number_range_broad",
           "name_sort_first", "attr_sort_first", "name_sort_page5000", "attr_sort_page5000"]


def percentile(values, p):
    values = sorted(values)
    if not values:
        return None
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


stats = {}
for q in queries:
    latencies = []
    for path in [p for p in glob.glob(os.path.join(work, q + ".r*")) if not p.endswith(".out")]:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[2].isdigit():
                    latencies.append(int(parts[2]) / 1000.0)
    stats[q] = {"transactions": len(latencies), "p50_ms": percentile(latencies, 50),
                "p95_ms": percentile(latencies, 95), "p99_ms": percentile(latencies, 99)}

plans = open(os.path.join(work, "plans.txt")).read()
plan_by_query = {}
for block in plans.split("=== ")[1:]:
    name, _, body = block.partition("\n")
    plan_by_query[name.strip()] = body
# A scan of the workspace: a sequential scan of contacts, or an index scan of contacts that only
# filters on the workspace (the plan line names the workspace index with no other condition).
workspace_scans = {q: bool(re.search(r"Seq Scan on contacts|Seq Scan on contact_attribute_values", p))
                   for q, p in plan_by_query.items()}


def ratio(a, b):
    return round(stats[a]["p95_ms"] / stats[b]["p95_ms"], 2) if stats[a]["p95_ms"] and stats[b]["p95_ms"] else None


ratios = {
    "attr_equality / group_filter": ratio("attr_equality", "group_filter"),
    "attr_equality_rare / group_filter": ratio("attr_equality_rare", "group_filter"),
    "attr_equality_multi / group_filter": ratio("attr_equality_multi", "group_filter"),
    "attr_number_range / group_filter": ratio("attr_number_range", "group_filter"),
    "attr_number_range_broad / group_filter": ratio("attr_number_range_broad", "group_filter"),
    "attr_sort_first / name_sort_first": ratio("attr_sort_first", "name_sort_first"),
    "attr_sort_page5000 / name_sort_page5000": ratio("attr_sort_page5000", "name_sort_page5000"),
}
# The machine is shared: the load average when the run ends says how much the absolute numbers mean.
# LOAD_AT_END (three numbers) re-summarizes an earlier run with the load average recorded when it ended.
load_average = (os.environ.get("LOAD_AT_END") or open("/proc/loadavg").read()).split()[:3]
result = {"load_average_at_end": load_average, "contacts": int(contacts), "attributes_per_contact": 10, "clients": int(clients),
          "seconds_per_query_and_round": int(seconds), "pgbench_mode": mode, "rounds": int(rounds), "queries": stats,
          "p95_ratios": ratios, "target": "every ratio <= 2.0 and no workspace scan",
          "met": all(r is not None and r <= 2.0 for r in ratios.values()) and not any(workspace_scans.values()),
          "plans_with_seq_scan": [q for q, s in workspace_scans.items() if s]}
# The write cost of V22's index (bench/attributes.sh step 6), when measured: inserts per second with and without it.
writes_path = os.path.join(work, "writes.txt")
writes = None
if os.path.exists(writes_path) and os.path.getsize(writes_path) > 0:
    by_variant = {}
    for line in open(writes_path):
        parts = line.split()
        if len(parts) == 2 and parts[1]:
            by_variant.setdefault(parts[0], []).append(float(parts[1]))
    if by_variant.get("with") and by_variant.get("without"):
        with_tps = sum(by_variant["with"]) / len(by_variant["with"])
        without_tps = sum(by_variant["without"]) / len(by_variant["without"])
        writes = {"inserts_per_second_with_index": round(with_tps, 1), "inserts_per_second_without_index": round(without_tps, 1),
                  "rounds": by_variant, "cost_percent": round((without_tps / with_tps - 1) * 100, 1)}
result["write_cost_of_created_order_index"] = writes
with open(out_json, "w") as f:
    json.dump(result, f, indent=2)

lines = ["# Custom attributes at scale", "",
         f"{int(contacts):,} contacts in the measured workspace, 10 attributes each; statement level (pgbench, "
         f"{clients} connections, {seconds} s per query, {rounds} interleaved rounds, `-M {mode}`), one run on this machine. "
         f"Load average (1, 5, 15 min) when the run ended: {' '.join(load_average)}. Reproduce: `bench/attributes.sh`. The loaded database leaves out the trigram search indexes (no measured query "
         "uses them) and writes the typed rows set-based after the load with the trigger's own SELECT.", "",
         "| query | transactions | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|"]
for q in queries:
    s = stats[q]
    fmt = lambda v: "-" if v is None else f"{v:.2f}"
    lines.append(f"| {q} | {s['transactions']} | {fmt(s['p50_ms'])} | {fmt(s['p95_ms'])} | {fmt(s['p99_ms'])} |")
lines += ["", "| p95 ratio (target <= 2) | value |", "|---|---|"]
for name, value in ratios.items():
    lines.append(f"| {name} | {value} |")
if writes:
    lines += ["", "Write cost of `contact_attribute_values_created` (V22): single-row inserts of a contact with 10 attributes "
              f"through the trigger, {clients} connections: {writes['inserts_per_second_with_index']} inserts/s with the index, "
              f"{writes['inserts_per_second_without_index']} without: an insert takes {writes['cost_percent']:+}% with it (below 0: "
              f"the run's noise exceeds the index's cost; rounds: {writes['rounds']})."]
lines += ["", f"Plans with a sequential scan: {result['plans_with_seq_scan'] or 'none'}. Targets met: {result['met']}.", "",
          open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "findings.md")).read().strip(), "",
          "## Plans (EXPLAIN ANALYZE, BUFFERS)", "", "```", plans.strip(), "```", ""]
with open(out_md, "w") as f:
    f.write("\n".join(lines))
