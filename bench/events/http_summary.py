"""Summary of bench/events-overhead-http.sh: reads the runs it recorded (one JSON line per wrk run) and writes
bench/results/events-overhead-http.{json,md}. Arguments: runs file, build, command, connections, seconds per run,
preloaded contacts, events and contacts in the workspace at the end, and the result files' name (default
events-overhead-http)."""
import datetime, json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
build, command, connections, measure, preload, events, contacts = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
name = sys.argv[9] if len(sys.argv) > 9 else 'events-overhead-http'
TICK_MS = 10
rows = []
for r in runs:
    seconds = r['duration_us'] / 1e6
    errors = r['connect_errors'] + r['read_errors'] + r['write_errors'] + r['status_errors'] + r['timeouts']
    if r['wrapped'] > 0:
        sys.exit('wrk sent more creates than were signed; raise the count in requests()')
    rows.append(dict(round=r['round'], variant=r['variant'], requests=r['requests'], errors=errors,
                     throughput=r['requests'] / seconds, mean_ms=r['mean_us'] / 1e3, p50_ms=r['p50_us'] / 1e3,
                     p95_ms=r['p95_us'] / 1e3, p99_ms=r['p99_us'] / 1e3,
                     service_cpu_ms_per_request=r['service_ticks'] * TICK_MS / r['requests'],
                     postgres_cpu_ms_per_request=r['postgres_ticks'] * TICK_MS / r['requests'],
                     client_cpu_ms_per_request=r['cpu_ticks'] * TICK_MS / r['requests'],
                     load_before=r['load_before'], load_after=r['load_after']))
by_round = {}
for row in rows:
    by_round.setdefault(row['round'], {})[row['variant']] = row
for row in rows:
    row['cpu_ms_per_request'] = row['service_cpu_ms_per_request'] + row['postgres_cpu_ms_per_request']
keys = ['mean_ms', 'p50_ms', 'p95_ms', 'throughput', 'service_cpu_ms_per_request', 'postgres_cpu_ms_per_request',
        'cpu_ms_per_request']
ratios = {k: [by_round[n]['with-event'][k] / by_round[n]['without-event'][k] for n in sorted(by_round)] for k in keys}
median = lambda xs: statistics.median(xs)
result = {
    'when': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
    'build': build, 'command': command, 'connections': connections, 'measure_seconds': measure,
    'level': 'HTTP (POST /api/developer/contacts, wrk, signed requests, unique bodies)',
    'preloaded_contacts': preload, 'contacts_after': contacts, 'events_after': events,
    'runs': rows,
    'ratios_with_over_without_per_round': {k: [round(x, 3) for x in v] for k, v in ratios.items()},
    'ratios_with_over_without_median': {k: round(median(v), 3) for k, v in ratios.items()},
    'medians': {variant: {k: round(median([r[k] for r in rows if r['variant'] == variant]), 3)
                          for k in keys + ['client_cpu_ms_per_request']} for variant in ('with-event', 'without-event')},
    'target': 'mean create latency with/without the event <= 1.10 at 32 connections',
}
json.dump(result, open(f'bench/results/{name}.json', 'w'), indent=2)
loads = [r['load_before'] for r in rows] + [r['load_after'] for r in rows]
m, q = result['medians'], result['ratios_with_over_without_median']
lines = [
    f"# Event overhead through the HTTP API ({result['when']}, build {build})", "",
    f"`{command}`: POST /contacts with wrk at {connections} connections, {len(by_round)} interleaved rounds of {measure} s, "
    f"both jars running against one database ({preload:,} contacts preloaded; {contacts:,} contacts and {events:,} events "
    f"in the workspace at the end). Load average (1 min) during the runs: {min(loads):.2f} to {max(loads):.2f}.", "",
    "| round | variant | req/s | mean ms | p50 ms | p95 ms | service CPU ms/req | PostgreSQL CPU ms/req | errors | load |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for row in rows:
    lines.append(f"| {row['round']} | {row['variant']} | {row['throughput']:.0f} | {row['mean_ms']:.2f} | {row['p50_ms']:.2f} | "
                 f"{row['p95_ms']:.2f} | {row['service_cpu_ms_per_request']:.3f} | {row['postgres_cpu_ms_per_request']:.3f} | "
                 f"{row['errors']} | {row['load_before']:.2f}–{row['load_after']:.2f} |")
lines += ["", "Ratios with/without the event, each round's pair, then the median:", "",
          "| | " + " | ".join(f"round {n}" for n in sorted(by_round)) + " | median |",
          "|---|" + "---:|" * (len(by_round) + 1)]
for k in keys:
    lines.append(f"| {k} | " + " | ".join(f"{x:.3f}" for x in ratios[k]) + f" | **{q[k]:.3f}** |")
lines += ["", f"Target: mean create latency with the event ≤ 1.10 × without, at 32 connections. Measured: **{q['mean_ms']:.3f}**."]
open(f'bench/results/{name}.md', 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
