#!/usr/bin/env python3
"""Waits until GET http://127.0.0.1:<port><path> answers 200 and prints the wall-clock time of that answer
(nanoseconds since the epoch).

    bench/wait_ready.py <port> <path> <timeout seconds> [<pid that must stay alive>]

Exit status 0 when ready, 1 on timeout, 2 when the process named by <pid> ended first.

The start benchmarks measure JVM launch to the first served request on a 2-core machine. Their earlier
poller ran `curl` and `sleep` as new processes every 10-20 ms: about half a core of process start-ups for
the whole start, taken from the JVM it was timing (measured: 100 rounds of curl + sleep 0.01 used 1.1 CPU-s
in 2.1 s). This one is a single process that asks with a plain socket every 5 ms; a refused connection costs
it microseconds. (A readiness probe in Kubernetes asks every few seconds, and costs the pod nothing.)
"""
import os
import socket
import sys
import time


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def status(port, path):
    """The status code of one GET, or None if no HTTP answer came."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(request)
            head = b""
            while b"\r\n" not in head and len(head) < 256:
                chunk = s.recv(256)
                if not chunk:
                    break
                head += chunk
    except OSError:
        return None
    parts = head.split(b" ", 2)
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else None


def main():
    port, path, timeout = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    pid = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if status(port, path) == 200:
            print(time.time_ns())
            return 0
        if pid and not alive(pid):
            return 2
        time.sleep(0.005)
    return 1


if __name__ == "__main__":
    sys.exit(main())
