package dev.awal.contacts.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A JVM's CPU time split by what its threads do, from /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat: the event
 * loops and workers serve requests; the JIT compilers, the VM thread (safepoints, and with the
 * serial collector the collections) and the GC threads are the runtime's own, which a short
 * window after a start overstates. A thread that ends inside the window takes its time with it,
 * so the kinds can add up to a little less than the process total.
 */
final class ThreadCpu {

    private ThreadCpu() {
    }

    /** CPU milliseconds (user + system) per kind of thread, now; empty where pid is 0. */
    static Map<String, Long> byKind(long pid) {
        Map<String, Long> kinds = new TreeMap<>();
        if (pid == 0) {
            return kinds;
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks.forEach(task -> {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) { // the thread ended since the listing
                    return;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ms = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
                kinds.merge(kind(name), ms, Long::sum);
            });
        } catch (IOException e) {
            return kinds;
        }
        return kinds;
    }

    /** Milliseconds per request by kind between two readings. */
    static Map<String, Double> perRequest(Map<String, Long> before, Map<String, Long> after, long requests) {
        Map<String, Double> out = new TreeMap<>();
        if (requests == 0 || after.isEmpty()) {
            return out;
        }
        after.forEach((kind, ms) -> out.put(kind, (ms - before.getOrDefault(kind, 0L)) / (double) requests));
        return out;
    }

    static String kind(String thread) {
        if (thread.startsWith("C2 Compiler") || thread.startsWith("C1 Compiler")) {
            return "jit";
        }
        if (thread.equals("VM Thread") || thread.startsWith("GC Thread") || thread.startsWith("G1 ")
                || thread.startsWith("VM Periodic")) {
            return "vm_gc";
        }
        if (thread.startsWith("vert.x-eventloo")) {
            return "event_loop";
        }
        if (thread.startsWith("executor-thread") || thread.startsWith("vert.x-worker") || thread.startsWith("vert.x-internal")) {
            return "worker";
        }
        return "other";
    }
}
