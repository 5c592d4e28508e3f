#!/usr/bin/env python3
"""Writes bench/results/listings.{json,md}: the SQL before/after (bench/listings-pgbench.sh output) and
the service before/after (two bench/run.sh summaries, latest.json format), for the listing, search and
create changes (README: Performance).

  python3 bench/listings_summary.py --pgbench P.json [P2.json ...] --service-before B.json \
      --service-after A.json --note "..." --out bench/results/listings
"""
import argparse
import json
import statistics

p = argparse.ArgumentParser()
p.add_argument("--pgbench", nargs="+", required=True)
p.add_argument("--service-before", required=True)
p.add_argument("--service-after", required=True)
p.add_argument("--note", default="")
p.add_argument("--out", required=True)
a = p.parse_args()

rows = [r for f in a.pgbench for r in json.load(open(f))]
sql = {}
for r in rows:
    sql.setdefault((r["scenario"], r["clients"]), []).append(r)
sql_summary = []
for (scenario, clients), rs in sql.items():
    base = [r["baseline_tps"] for r in rs if r["baseline_tps"] is not None]
    now = [r["tps"] for r in rs if r["tps"] is not None]
    b = statistics.median(base) if base else None
    n = statistics.median(now) if now else None
    sql_summary.append({"scenario": scenario, "clients": clients, "rounds": len(rs), "baseline_tps": b, "tps": n,
                        "speedup": n / b if b and n else None})


def service(path):
    d = json.load(open(path))
    return {(r["scenario"], r["concurrency"]): r for r in d["results"]}, d


before, before_doc = service(a.service_before)
after, after_doc = service(a.service_after)
svc = []
for key in sorted(set(before) | set(after)):
    b, n = before.get(key), after.get(key)
    def pick(r, side, field):
        return r[side][field] if r and r.get(side) else None
    svc.append({"scenario": key[0], "concurrency": key[1],
                "before": {"req_s": pick(b, "service", "throughput"), "p95_ms": pick(b, "service", "p95_ms"),
                           "pgbench_tx_s": pick(b, "pgbench", "throughput"), "ratio": b.get("ratio") if b else None},
                "after": {"req_s": pick(n, "service", "throughput"), "p95_ms": pick(n, "service", "p95_ms"),
                          "pgbench_tx_s": pick(n, "pgbench", "throughput"), "ratio": n.get("ratio") if n else None}})

out = {"note": a.note, "sql_before_after": sql_summary, "service_before_after": svc,
       "service_before_command": before_doc.get("command"), "service_after_command": after_doc.get("command"),
       "service_before_generated_at": before_doc.get("generated_at"), "service_after_generated_at": after_doc.get("generated_at")}
json.dump(out, open(a.out + ".json", "w"), indent=1, ensure_ascii=False)


def f(x, fmt="{:,.0f}"):
    return "" if x is None else fmt.format(x)


md = ["# Listings, deep pages, Arabic search, create: before and after", "", a.note, "",
      "## The SQL alone (`bench/listings-pgbench.sh`: baseline and current statements alternately, pgbench -M prepared)", "",
      "| scenario | clients | rounds | before tx/s | after tx/s | after/before |", "|---|---:|---:|---:|---:|---:|"]
for s in sql_summary:
    md.append(f"| {s['scenario']} | {s['clients']} | {s['rounds']} | {f(s['baseline_tps'])} | {f(s['tps'])} | {f(s['speedup'], '{:.2f}')} |")
md += ["", "## The service (`bench/run.sh`, one run each; pgbench runs the twin of the statements of that build)", "",
       "| scenario | conc. | before req/s | after req/s | before p95 ms | after p95 ms | before pgbench tx/s | after pgbench tx/s | before ratio | after ratio |",
       "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for s in svc:
    b, n = s["before"], s["after"]
    md.append(f"| {s['scenario']} | {s['concurrency']} | {f(b['req_s'])} | {f(n['req_s'])} | {f(b['p95_ms'], '{:.1f}')} | "
              f"{f(n['p95_ms'], '{:.1f}')} | {f(b['pgbench_tx_s'])} | {f(n['pgbench_tx_s'])} | {f(b['ratio'], '{:.2f}')} | {f(n['ratio'], '{:.2f}')} |")
md += ["", f"Before: `{before_doc.get('command')}` ({before_doc.get('generated_at')}).",
       f"After: `{after_doc.get('command')}` ({after_doc.get('generated_at')}).", ""]
open(a.out + ".md", "w").write("\n".join(md))
