#!/usr/bin/env python3
"""What each process, and each of the server's thread groups, spends in each reconnect storm.

Usage: stormcpu.py sample OUT SERVER_PID HARNESS_PID
                                every 0.1 s, appends one JSON line to OUT: the time, and the CPU seconds
                                (user + system, and system alone) of both processes and of the server's
                                threads grouped by name ("push-io-4-1" and "push-io-4-2" count as push-io),
                                until both PIDs have exited
       stormcpu.py split OUT LOG
                                per storm of LOG (the harness's `reconnect-storm` output, each line
                                prefixed with the Unix time it was printed), its duration, and the CPU
                                each process and thread group spent between its gate and its recovery

Each storm's time is about (server CPU + harness CPU) / the cores both got, so this shows which of
them, and which of the server's threads, a storm is waiting on (docs/benchmarks.md, 2026-12-06).
To prefix the harness's lines:  ... reconnect-storm ... | while IFS= read -r l; do echo "$(date +%s.%N) $l"; done
"""
import collections
import glob
import json
import os
import re
import sys
import time

PERIOD = 0.1
TICKS = os.sysconf("SC_CLK_TCK")


def _times(stat_path):
    with open(stat_path) as f:
        text = f.read()
    fields = text.rsplit(")", 1)[1].split()
    return text[text.index("(") + 1 : text.rindex(")")], int(fields[11]) / TICKS, int(fields[12]) / TICKS


def _group(thread_name):
    return re.sub(r"[-#]?[\d-]+$", "", thread_name)


def sample(out, server, harness):
    with open(out, "a") as f:
        while os.path.exists(f"/proc/{server}") or os.path.exists(f"/proc/{harness}"):
            cpu = collections.Counter()
            for label, pid in (("server", server), ("harness", harness)):
                try:
                    _, user, system = _times(f"/proc/{pid}/stat")
                except OSError:
                    continue
                cpu[label] += user + system
                cpu[label + ":sys"] += system
            for task in glob.glob(f"/proc/{server}/task/*/stat"):
                try:
                    name, user, system = _times(task)
                except OSError:
                    continue  # the thread ended
                cpu["thread " + _group(name)] += user + system
            f.write(json.dumps({"t": time.time(), "cpu": cpu}) + "\n")
            f.flush()
            time.sleep(PERIOD)


def split(out, log):
    with open(out) as f:
        rows = [json.loads(line) for line in f]

    def at(t):
        return min(rows, key=lambda r: abs(r["t"] - t))["cpu"]

    gate = None
    with open(log) as f:
        for line in f:
            t = float(line.split()[0])
            if "reconnecting all at once" in line:
                gate = t
            elif "STORM RECOVERY" in line and gate is not None:
                ms = float(line.split("RECOVERY: ")[1].split(" ms")[0].replace(",", ""))
                before, after = at(gate), at(gate + ms / 1000)
                spent = {k: after.get(k, 0) - before.get(k, 0) for k in after}
                cores = (spent.get("server", 0) + spent.get("harness", 0)) / (ms / 1000)
                threads = sorted(((v, k[7:]) for k, v in spent.items() if k.startswith("thread ") and v >= 0.05), reverse=True)
                print(
                    f"{ms:8.1f} ms  server {spent.get('server', 0):.2f} s (system {spent.get('server:sys', 0):.2f})"
                    f"  harness {spent.get('harness', 0):.2f} s (system {spent.get('harness:sys', 0):.2f})"
                    f"  cores {cores:.2f}  | " + ", ".join(f"{name} {v:.2f}" for v, name in threads)
                )
                gate = None


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "sample":
        sample(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
