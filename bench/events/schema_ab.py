"""Statement-level A/B of the event's database cost under schema variants (issue 12: the event may add at most 10%
to a create). The create statement exactly as contact/ContactInsert.java sends it (bench/events/create_statements.py
derives the pgbench scripts from the Java source), with and without its outbox CTE, run by pgbench against
throwaway databases on the machine's PostgreSQL: one database migrated with the service's migrations, then one
copy of it per variant (CREATE DATABASE ... TEMPLATE), each variant's SQL file applied to its copy. Every round
runs each variant once, in an order that rotates from round to round, so drift of the machine's load falls on all;
with PARALLEL=1 the variants of a round run at the same time instead (CLIENTS each), so that all of them see the
same machine: on a shared machine whose load swings within seconds, the steadier comparison of CPU per transaction.

Measured per run: transactions/s, mean latency and, the steadier measure on a shared machine, the CPU time per
transaction of the PostgreSQL backends serving the run (from /proc/<pid>/stat, sampled every 0.2 s while pgbench
runs; a backend's last sample stands for it). Ratios are taken within a round against the create without its
event ("plain", run in a copy of its own so that its tables grow as the others do), then the median over rounds.

  python3 bench/events/schema_ab.py [variant.sql ...]     # each file is one variant, named after the file
  LEAVE_OUT=V27 python3 bench/events/schema_ab.py           # also: the schema without migration V27 ("before-V27")

A variant file may also change the statement's event part, with lines `-- statement: FROM ==> TO` (plain text).

Environment: PLAN_CACHE_MODE (auto), DB_PREFIX (events_schema_ab), CLIENTS (32), ROUNDS (4), SECONDS (10), WARM (2), PARALLEL (0), PGHOST (127.0.0.1), PGPORT (5432), RESULT (events-schema-ab).
Variants always run: plain (no event) and with-event (the migrated schema as it is). Writes
bench/results/$RESULT.{json,md}.
"""
import datetime
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / 'src/main/resources/db/migration'
CLIENTS = int(os.environ.get('CLIENTS', 32))
ROUNDS = int(os.environ.get('ROUNDS', 4))
SECONDS = int(os.environ.get('SECONDS', 10))
WARM = int(os.environ.get('WARM', 2))
PARALLEL = os.environ.get('PARALLEL', '0') == '1'
HOST = os.environ.get('PGHOST', '127.0.0.1')
PORT = os.environ.get('PGPORT', '5432')
RESULT = os.environ.get('RESULT', 'events-schema-ab')
LEAVE_OUT = os.environ.get('LEAVE_OUT', '')
# The service's plan mode for the create statement (kept prepared, generic plan: persistence/StatementCachingPool);
# force_custom_plan to compare with results before it.
PLAN_CACHE_MODE = os.environ.get('PLAN_CACHE_MODE', 'auto')
PREFIX = os.environ.get('DB_PREFIX', 'events_schema_ab') + '_%d' % os.getpid()
TICK_MS = 1000 / os.sysconf('SC_CLK_TCK')


def psql(db, *args, capture=False):
    command = ['psql', '-h', HOST, '-p', PORT, '-U', 'postgres', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db, *args]
    if capture:
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def version(path):
    return int(re.match(r'V(\d+)__', path.name).group(1))


def migrate(db, leave_out=None):
    psql('postgres', '-c', 'CREATE DATABASE %s' % db)
    for migration in sorted(MIGRATIONS.glob('V*.sql'), key=version):
        if leave_out is None or version(migration) != leave_out:
            psql(db, '-1', '-f', str(migration))  # each in a transaction, as Flyway runs them
    psql(db, '-c', 'VACUUM ANALYZE')


def ticks(pid):
    try:
        fields = open('/proc/%s/stat' % pid).read().rsplit(')', 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    except (OSError, IndexError):
        return None


def run(script, db, workspace):
    """One pgbench run; answers tps, mean latency (ms) and backend CPU ms per transaction after the warm-up.

    The first seconds of a run are left out of the CPU per transaction: new backends load their caches and compile
    the PL/pgSQL functions, which the service's pooled connections did long before. pgbench reports its progress
    every second (-P 1); when the report of second WARM arrives, the backends' CPU so far is taken as the baseline,
    and the transactions counted are those after it (the total minus the ones reported up to then); if not every
    client's backend is known by then, at the next report."""
    env = dict(os.environ, PGOPTIONS='-c plan_cache_mode=' + PLAN_CACHE_MODE)
    bench = subprocess.Popen(['pgbench', '-h', HOST, '-p', PORT, '-U', 'postgres', '-n', '-M', 'prepared', '-P', '1',
                              '-c', str(CLIENTS), '-j', '2', '-T', str(SECONDS), '-D', 'workspace=' + workspace,
                              '-f', str(script), db], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    last, baseline, early, pids, err = {}, {}, [0.0, 0.0], [], []  # early: transactions, time reported

    def progress():
        for line in bench.stderr:
            err.append(line)
            m = re.match(r'progress: ([\d.]+) s, ([\d.]+) tps', line)
            if m and not baseline:
                at = float(m.group(1))
                early[0] += float(m.group(2)) * (at - early[1])
                early[1] = at
                if at >= WARM and len(pids) == CLIENTS:
                    for pid in pids:
                        t = ticks(pid)
                        if t is not None:
                            baseline[pid] = t
    reader = threading.Thread(target=progress)
    reader.start()
    while bench.poll() is None:
        if len(pids) < CLIENTS:
            pids[:] = psql('postgres', '-At', '-c', "SELECT pid FROM pg_stat_activity WHERE datname = '%s' "
                           "AND application_name = 'pgbench'" % db, capture=True).split()
        for pid in pids:
            t = ticks(pid)
            if t is not None:
                last[pid] = t
        time.sleep(0.2)
    out = bench.stdout.read()
    reader.join()
    err = ''.join(err)
    tps = float(re.search(r'^tps = ([\d.]+)', out, re.M).group(1))
    latency = float(re.search(r'latency average = ([\d.]+) ms', out).group(1))
    done = int(re.search(r'number of transactions actually processed: (\d+)', out).group(1))
    failed = re.search(r'number of failed transactions: (\d+)', out)
    if done == 0 or 'aborted' in err or len(baseline) < CLIENTS:
        sys.exit('pgbench failed on %s (or its backends were not all seen by second %d):\n%s' % (db, WARM, err[-2000:]))
    measured = done - early[0]
    return dict(tps=tps, latency_ms=latency, transactions=done, failed=int(failed.group(1)) if failed else 0,
                postgres_cpu_ms_per_tx=sum(last[p] - baseline[p] for p in baseline) * TICK_MS / measured)


def statement_of(variant, work):
    """The create statement a variant runs: the service's, with the variant file's `-- statement: FROM ==> TO` lines
    applied (each FROM must occur), for a variant whose schema change also changes the statement's event part."""
    script = (work / 'create-with-event.sql').read_text()
    changed = script
    for m in re.finditer(r'^-- statement: (.*?) ==> (.*)$', variant.read_text(), re.M):
        if m.group(1) not in changed:
            sys.exit('%s: the statement has no %r' % (variant, m.group(1)))
        changed = changed.replace(m.group(1), m.group(2))
    if changed == script:
        return work / 'create-with-event.sql'
    out = work / ('create-' + variant.stem + '.sql')
    out.write_text(changed)
    return out


def main(variant_files):
    work = pathlib.Path(tempfile.mkdtemp())
    subprocess.run([sys.executable, str(ROOT / 'bench/events/create_statements.py'), str(work)], check=True)
    base = PREFIX + '_base'
    variants = [('plain', work / 'create-plain.sql', None), ('with-event', work / 'create-with-event.sql', None)]
    if LEAVE_OUT:
        variants.append(('before-' + LEAVE_OUT, work / 'create-with-event.sql', int(LEAVE_OUT.lstrip('Vv'))))
    for f in variant_files:
        variants.append((pathlib.Path(f).stem, statement_of(pathlib.Path(f), work), pathlib.Path(f)))
    databases = {}
    try:
        migrate(base)
        for i, (name, _, change) in enumerate(variants):
            db = '%s_%d' % (PREFIX, i)
            if isinstance(change, int):
                migrate(db, change)
            else:
                psql('postgres', '-c', 'CREATE DATABASE %s TEMPLATE %s' % (db, base))
                if change is not None:
                    psql(db, '-f', str(change))
            databases[name] = db
        load_start = os.getloadavg()[0]
        runs = {name: [] for name, _, _ in variants}
        loads = []
        for r in range(ROUNDS):
            order = variants[r % len(variants):] + variants[:r % len(variants)]
            results = {}

            def one(name, script):
                results[name] = run(script, databases[name], 'w%d%s' % (r, re.sub(r'\W', '', name)))
            if PARALLEL:
                threads = [threading.Thread(target=one, args=(name, script)) for name, script, _ in order]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
            else:
                for name, script, _ in order:
                    one(name, script)
            for name, _, _ in order:
                if name not in results:
                    sys.exit('a run of round %d failed' % (r + 1))
                result = results[name]
                result['round'] = r + 1
                runs[name].append(result)
                print('[schema-ab] round %d %-20s %7.0f tx/s  %6.2f ms  %.4f CPU ms/tx  load %.2f' % (
                    r + 1, name, result['tps'], result['latency_ms'], result['postgres_cpu_ms_per_tx'],
                    os.getloadavg()[0]), file=sys.stderr)
            loads.append(os.getloadavg()[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for db in list(databases.values()) + [base]:
            subprocess.run(['psql', '-h', HOST, '-p', PORT, '-U', 'postgres', '-X', '-q', '-d', 'postgres', '-c',
                            'DROP DATABASE IF EXISTS %s WITH (FORCE)' % db], stdout=subprocess.DEVNULL)
    summarize(variants, runs, load_start, loads)


def summarize(variants, runs, load_start, loads):
    plain = runs['plain']
    summary = {}
    for name, _, _ in variants:
        summary[name] = dict(
            runs=runs[name],
            cpu_ratio_per_round=[round(v['postgres_cpu_ms_per_tx'] / p['postgres_cpu_ms_per_tx'], 3) for v, p in zip(runs[name], plain)],
            latency_ratio_per_round=[round(v['latency_ms'] / p['latency_ms'], 3) for v, p in zip(runs[name], plain)],
            tps_ratio_per_round=[round(v['tps'] / p['tps'], 3) for v, p in zip(runs[name], plain)])
        for k in ('cpu', 'latency', 'tps'):
            summary[name][k + '_ratio_median'] = round(statistics.median(summary[name][k + '_ratio_per_round']), 3)
        summary[name]['cpu_ms_per_tx_median'] = round(statistics.median(v['postgres_cpu_ms_per_tx'] for v in runs[name]), 4)
    build = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    when = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    result = dict(when=when, build=build, clients=CLIENTS, parallel=PARALLEL, warm_seconds=WARM, rounds=ROUNDS, seconds_per_run=SECONDS,
                  level='statement: ContactInsert.SQL via pgbench -M prepared, plan_cache_mode=' + PLAN_CACHE_MODE,
                  load_average_1m=dict(start=load_start, after_each_round=loads), variants=summary)
    out = ROOT / 'bench/results'
    out.mkdir(exist_ok=True)
    (out / (RESULT + '.json')).write_text(json.dumps(result, indent=2) + '\n')
    lines = ['# Event cost at the statement level, schema variants (%s, build %s)' % (when, build), '',
             'pgbench, %d clients per variant, %d rounds of %d s, %s; the create statement of ContactInsert.java, '
             'prepared and planned per execution; CPU per transaction after the first %d s of each run. Load average '
             '(1 min): %.2f at the start, %s after each round.' % (
                 CLIENTS, ROUNDS, SECONDS, 'all variants of a round at the same time (PARALLEL=1)' if PARALLEL
                 else 'each round running every variant once (rotating order)', WARM, load_start,
                 ', '.join('%.2f' % x for x in loads)), '',
             'Ratios are to `plain` (the same statement without the event) in the same round; medians over rounds.', '',
             '| variant | PG CPU ms/tx (median) | CPU ratio per round | CPU ratio | latency ratio | tx/s ratio |',
             '|---|---:|---|---:|---:|---:|']
    for name, _, _ in variants:
        s = summary[name]
        lines.append('| %s | %.4f | %s | **%.3f** | %.3f | %.3f |' % (
            name, s['cpu_ms_per_tx_median'], ' '.join('%.3f' % x for x in s['cpu_ratio_per_round']),
            s['cpu_ratio_median'], s['latency_ratio_median'], s['tps_ratio_median']))
    lines += ['', 'Every run (tx/s; mean latency ms; PG CPU ms/tx):', '', '| round | ' + ' | '.join(n for n, _, _ in variants) + ' |',
              '|---:|' + '---:|' * len(variants)]
    for r in range(len(plain)):
        lines.append('| %d | ' % (r + 1) + ' | '.join('%.0f; %.2f; %.4f' % (
            runs[n][r]['tps'], runs[n][r]['latency_ms'], runs[n][r]['postgres_cpu_ms_per_tx']) for n, _, _ in variants) + ' |')
    (out / (RESULT + '.md')).write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main(sys.argv[1:])
