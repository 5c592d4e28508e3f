"""Warm server-side work of each filter statement of bench/attributes/*.sql: planning and execution medians of
N repetitions (default 40, the first left out) in one session, EXPLAIN ANALYZE with TIMING OFF. Less sensitive to a
busy machine than pgbench latencies. Attribute ids as a fresh load numbers them. Usage (after bench/attributes.sh has loaded DB): python3 bench/attributes/warm.py [N]"""
import subprocess, re, statistics, sys
import os
DB=os.environ.get("DB", "contacts_bench_attrs")
HOST=os.environ.get("PGHOST", "127.0.0.1")
top=subprocess.run(["psql","-h",HOST,"-U","postgres","-At","-d",DB,"-c","SELECT created_at || '|' || id FROM contacts WHERE workspace = 'bench' ORDER BY created_at DESC, id DESC LIMIT 1"],capture_output=True,text=True).stdout.strip()
at,tid=top.split("|")
grp=subprocess.run(["psql","-h",HOST,"-U","postgres","-At","-d",DB,"-c","SELECT id FROM contact_groups WHERE workspace = 'bench' ORDER BY id LIMIT 1 OFFSET 7"],capture_output=True,text=True).stdout.strip()
subs={":top_at":"'"+at+"'",":top_id":tid,":group":grp,":city":"1",":loyalty":"3",":orders":"5"}
N=int(sys.argv[1]) if len(sys.argv)>1 else 40
for q in ["group_filter","attr_equality","attr_equality_rare","attr_equality_multi","attr_number_range","attr_number_range_broad"]:
    sql=open(f"bench/attributes/{q}.sql").read()
    for k in sorted(subs,key=len,reverse=True): sql=sql.replace(k,subs[k])
    stmts=[s for s in sql.split("\n") if s.strip()]
    script=""
    for i in range(N):
        for s in stmts: script+="EXPLAIN (ANALYZE, SUMMARY, TIMING OFF, COSTS OFF) "+s+"\n"
    out=subprocess.run(["psql","-h",HOST,"-U","postgres","-At","-d",DB],input=script,capture_output=True,text=True).stdout
    pl=[float(x) for x in re.findall(r"Planning Time: ([0-9.]+)",out)]
    ex=[float(x) for x in re.findall(r"Execution Time: ([0-9.]+)",out)]
    k=len(stmts)
    tot=[sum(pl[i*k:(i+1)*k])+sum(ex[i*k:(i+1)*k]) for i in range(N)]
    # per-statement medians, skipping the first (cold) repetition
    parts=[]
    for j in range(k):
        parts.append("plan %.3f exec %.3f"%(statistics.median(pl[j::k][1:]),statistics.median(ex[j::k][1:])))
    print(f"{q}: total median {statistics.median(tot[1:]):.3f} ms | "+" ; ".join(parts))
