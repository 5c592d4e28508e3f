"""Aggregates `jfr print --events jdk.ExecutionSample --stack-depth 256` output (bench/create-ab.sh PROFILE=1):
top frames by self time, the innermost frame of the service's own code, CPU by library (each sample charged to
its innermost frame outside the JDK, and inclusively), and by thread. Prints JSON."""
import collections, json, re, sys

LIBRARIES = [("service", ("dev.awal.contacts.",)), ("Hibernate", ("org.hibernate.",)),
             ("PostgreSQL client", ("io.vertx.pgclient.", "io.vertx.sqlclient.", "io.vertx.mutiny.sqlclient.")),
             ("Jackson", ("com.fasterxml.jackson.",)), ("libphonenumber", ("com.google.i18n.phonenumbers.",)),
             ("Micrometer", ("io.micrometer.", "io.quarkus.micrometer.")),
             ("logging", ("org.jboss.logmanager.", "org.jboss.logging.", "io.quarkus.bootstrap.logging.")),
             ("Quarkus REST", ("org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive.")),
             ("Vert.x Web", ("io.vertx.ext.web.",)), ("Vert.x core", ("io.vertx.core.",)), ("Netty", ("io.netty.",)),
             ("Mutiny", ("io.smallrye.mutiny.",)), ("context propagation", ("io.smallrye.context.",)),
             ("CDI (ArC)", ("io.quarkus.arc.",)), ("Quarkus", ("io.quarkus.",))]
JDK = ("java.", "javax.", "jdk.", "sun.", "com.sun.")


def library(frame):
    return next((name for name, prefixes in LIBRARIES if frame.startswith(prefixes)), None)


samples, top, own = 0, collections.Counter(), collections.Counter()
self_by, inclusive, threads = collections.Counter(), collections.Counter(), collections.Counter()
stack, thread = None, None
for line in open(sys.argv[1]):
    if line.startswith("jdk.ExecutionSample"):
        stack, thread = [], None
    elif stack is not None and line.strip().startswith("sampledThread"):
        thread = re.sub(r"-\d+$", "-N", line.split('"')[1]) if '"' in line else "?"
    elif stack is not None and re.match(r"\s+[\w$.<>/+]+\(", line) and "line:" in line:
        stack.append(line.strip().split("(")[0])
    elif stack is not None and line.strip() == "}":
        if stack:
            samples += 1
            top[stack[0]] += 1
            threads[thread] += 1
            own[next((f for f in stack if f.startswith("dev.awal.contacts.")), "(no frame of the service's own code)")] += 1
            outside = next((f for f in stack if not f.startswith(JDK)), None)
            self_by[(library(outside) or "other: " + ".".join(outside.split(".")[:3])) if outside else "JDK only"] += 1
            for name in {library(f) for f in stack} - {None}:
                inclusive[name] += 1
        stack = None
pct = lambda c, n=25: [{"frame": f, "percent": round(100 * k / max(samples, 1), 1)} for f, k in c.most_common(n)]
print(json.dumps({"samples": samples, "top_self": pct(top), "innermost_own_frame": pct(own, 30),
                  "self_by_library": pct(self_by), "inclusive_by_library": pct(inclusive), "threads": pct(threads, 8)}))
