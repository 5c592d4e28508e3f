"""Where the create's event spends PostgreSQL CPU (issue 12): the create statement of ContactInsert.java with and
without its outbox CTE (bench/events/create_statements.py), each run by pgbench in a throwaway database migrated
with the service's migrations, its backends sampled by `perf record -g`; the functions' inclusive samples are
divided by the transactions of the run and the difference is printed, largest first. A profile, not a timing:
on a busy machine the split between functions stays readable even when absolute numbers do not.

  python3 bench/events/perf_diff.py            # needs perf (linux-perf) and pgbench; run as a user perf may trace
  (env: CLIENTS 2, SECONDS 12, DB_PREFIX ev_perf, PGHOST 127.0.0.1, PGPORT 5432, RESULT events-perf-diff)

Writes bench/results/$RESULT.md. PL/pgSQL's own frames show as plpgsql_exec_function (its library has no symbols).
"""
import collections
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import schema_ab  # noqa: E402  (its psql and migrate helpers)

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLIENTS = int(os.environ.get('CLIENTS', 2))
SECONDS = int(os.environ.get('SECONDS', 12))
DB = os.environ.get('DB_PREFIX', 'ev_perf') + '_%d' % os.getpid()
RESULT = os.environ.get('RESULT', 'events-perf-diff')


def profile(script, work, name):
    """Runs pgbench for SECONDS + 6 s and samples its backends for SECONDS after a 4 s warm-up; answers
    (transactions in the sampled window, {function: inclusive samples})."""
    env = dict(os.environ, PGOPTIONS='-c plan_cache_mode=auto')
    bench = subprocess.Popen(['pgbench', '-h', schema_ab.HOST, '-p', schema_ab.PORT, '-U', 'postgres', '-n', '-M', 'prepared',
                              '-c', str(CLIENTS), '-j', '1', '-T', str(SECONDS + 6), '-D', 'workspace=p' + name,
                              '-f', str(script), DB], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)
    pids = schema_ab.psql('postgres', '-At', '-c', "SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE "
                          "datname = '%s' AND application_name = 'pgbench'" % DB, capture=True).strip()
    count = "SELECT count(*) FROM contacts WHERE workspace = 'p%s'" % name
    before = int(schema_ab.psql(DB, '-At', '-c', count, capture=True))
    data = work / (name + '.perf')
    subprocess.run(['perf', 'record', '-q', '-F', '1999', '-g', '-p', pids, '-o', str(data), '--', 'sleep', str(SECONDS)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = int(schema_ab.psql(DB, '-At', '-c', count, capture=True))
    bench.wait()
    script_out = subprocess.run(['perf', 'script', '-i', str(data), '-F', 'ip,sym'], capture_output=True, text=True).stdout
    inclusive = collections.Counter()
    for sample in script_out.split('\n\n'):
        frames = {line.split()[1] for line in sample.strip().splitlines() if len(line.split()) > 1}
        for f in frames:
            if not f.startswith('[') and not re.match(r'0x[0-9a-f]+$', f):
                inclusive[f] += 1
        if sample.strip():
            inclusive['(all)'] += 1
    return after - before, inclusive


def main():
    work = pathlib.Path(tempfile.mkdtemp())
    subprocess.run([sys.executable, str(ROOT / 'bench/events/create_statements.py'), str(work)], check=True)
    try:
        schema_ab.migrate(DB)
        runs = {name: profile(work / ('create-%s.sql' % name), work, name.replace('-', '')) for name in ('plain', 'with-event')}
    finally:
        schema_ab.psql('postgres', '-c', 'DROP DATABASE IF EXISTS %s WITH (FORCE)' % DB)
    per_tx = {name: {f: n / tx for f, n in samples.items()} for name, (tx, samples) in runs.items()}
    rows = sorted(((per_tx['with-event'].get(f, 0) - per_tx['plain'].get(f, 0), f) for f in per_tx['with-event']), reverse=True)
    total = per_tx['with-event']['(all)'] - per_tx['plain']['(all)']
    lines = ['# Where the create\'s event spends PostgreSQL CPU (perf, inclusive samples per create)', '',
             'pgbench %d clients, %d s sampled per statement, plan_cache_mode=auto; transactions: plain %d, '
             'with-event %d. `share` is the function\'s part of what the event adds (%.3f samples per create, %.0f %% of the '
             'plain statement). Functions overlap (inclusive).' % (CLIENTS, SECONDS, runs['plain'][0], runs['with-event'][0],
                                                                   total, 100 * total / per_tx['plain']['(all)']), '',
             '| function | plain | with event | added | share |', '|---|---:|---:|---:|---:|']
    for added, f in rows[:40]:
        lines.append('| %s | %.4f | %.4f | %+.4f | %.0f %% |' % (f, per_tx['plain'].get(f, 0), per_tx['with-event'][f], added,
                                                               100 * added / total))
    out = ROOT / 'bench/results' / (RESULT + '.md')
    out.write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
