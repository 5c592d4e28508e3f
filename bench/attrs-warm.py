"""Warm server-side work of the attribute statements of an earlier round (BEFORE, default bench/attributes/round5:
V24's two statements per filter listing; bench/attributes/round4: before V24) and the current ones (bench/attributes), with their references: planning and execution medians of N repetitions (default 40, the
first left out) in one session each, EXPLAIN (ANALYZE, SUMMARY, TIMING OFF). A function's own statements run
inside its execution (their generic plans are made on the first call of the session). Also checks that each
pair of variants returns the same rows. Usage: DB=attrs_bench python3 bench/attrs-warm.py [N]"""
import os, re, statistics, subprocess, sys
DB = os.environ.get("DB", "attrs_bench")
BEFORE = os.environ.get("BEFORE", "bench/attributes/round5")
HOST = os.environ.get("PGHOST", "127.0.0.1")
def psql(sql):
    return subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-At", "-d", DB], input=sql, capture_output=True, text=True, check=True).stdout
if os.path.exists(f"{BEFORE}/install.sh"):
    # round 5's statements call V24's window function, which V26 replaced: installed under its own name
    subprocess.run([f"{BEFORE}/install.sh"], env=dict(os.environ, DB=DB, PGHOST=HOST, PGUSER="postgres"), check=True)
top = psql("SELECT created_at || '|' || id FROM contacts WHERE workspace = 'bench' ORDER BY created_at DESC, id DESC LIMIT 1").strip()
at, tid = top.split("|")
grp = psql("SELECT id FROM contact_groups WHERE workspace = 'bench' ORDER BY id LIMIT 1 OFFSET 7").strip()
attrs = dict(p.split("=") for p in psql("SELECT key || '=' || id FROM contact_attributes WHERE workspace = 'bench'").split())
name_at = psql("SELECT name || '|' || id FROM contacts WHERE workspace = 'bench' ORDER BY name, id OFFSET 99999 LIMIT 1").strip()
orders_at = psql(f"SELECT num_value || '|' || contact_id FROM contact_attribute_values WHERE attribute_id = {attrs['orders']} AND num_value IS NOT NULL ORDER BY num_value, contact_id OFFSET 99999 LIMIT 1").strip()
subs = {":top_at": f"'{at}'", ":top_id": tid, ":group": grp, ":city": attrs["city"], ":loyalty": attrs["loyalty"], ":orders_after_id": orders_at.split("|")[1],
        ":orders_after": "'" + orders_at.split("|")[0] + "'", ":orders": attrs["orders"], ":name_after_id": name_at.split("|")[1],
        ":name_after": "'" + name_at.split("|")[0] + "'"}
def statements(path):
    sql = open(path).read()
    for k in sorted(subs, key=len, reverse=True):
        sql = sql.replace(k, subs[k])
    stmts = [s for s in sql.split("\n") if s.strip()]
    if "@IDS@" in sql:
        ids = ",".join(psql(stmts[0]).split())
        stmts = [s.replace("@IDS@", ids or "NULL") for s in stmts]
    return stmts
N = int(sys.argv[1]) if len(sys.argv) > 1 else 40
def warm(path):
    stmts = statements(path)
    script = "".join("EXPLAIN (ANALYZE, SUMMARY, TIMING OFF, COSTS OFF) " + s + "\n" for _ in range(N) for s in stmts)
    out = psql(script)
    pl = [float(x) for x in re.findall(r"Planning Time: ([0-9.]+)", out)]
    ex = [float(x) for x in re.findall(r"Execution Time: ([0-9.]+)", out)]
    k = len(stmts)
    tot = [sum(pl[i*k:(i+1)*k]) + sum(ex[i*k:(i+1)*k]) for i in range(N)]
    parts = ["plan %.3f exec %.3f" % (statistics.median(pl[j::k][1:]), statistics.median(ex[j::k][1:])) for j in range(k)]
    return statistics.median(tot[1:]), " ; ".join(parts), psql(stmts[-1])
queries = sys.argv[2:] or ["group_filter", "attr_equality", "attr_equality_rare", "attr_equality_multi", "attr_number_range",
                           "attr_number_range_broad", "name_sort_first", "attr_sort_first", "name_sort_page5000", "attr_sort_page5000"]
for q in queries:
    variants = [("", f"bench/attributes/{q}.sql")] if not os.path.exists(f"{BEFORE}/{q}.sql") else \
        [("before", f"{BEFORE}/{q}.sql"), ("after", f"bench/attributes/{q}.sql")]
    rows = {}
    for label, path in variants:
        total, parts, result = warm(path)
        # the rows' ids (first column of the listing statements; the second of the functions' pages, after custom_attributes)
        rows[label] = [line.split("|")[1 if "_page(" in open(path).read() else 0] for line in result.split("\n") if line]
        print(f"{q} {label}: total median {total:.3f} ms | {parts}", flush=True)
    if len(rows) == 2:
        print(f"{q}: same rows in the same order: {rows['before'] == rows['after']} ({len(rows['after'])} rows)", flush=True)
