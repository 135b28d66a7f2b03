#!/usr/bin/env python3
"""Splits processes' CPU time into user and system time, stretch by stretch.

Usage: cpusplit.py sample OUT PID...   every 0.25 s, appends "time pid utime stime" (clock ticks, from
                                       /proc/<pid>/stat) to OUT until every PID has exited
       cpusplit.py split OUT           per PID, each busy stretch (above 0.3 of a core for 3 s or more)
                                       with its cores and its user and system shares

Run the sampler beside a `compare` run of two targets: each target's server is busy only while it is
measured, so its stretches are the target's runs, in order (docs/benchmarks.md, 2026-12-06).
"""
import collections
import sys
import time

BUSY_CORES, MIN_SECONDS, PERIOD = 0.3, 3.0, 0.25
TICKS = 100  # USER_HZ


def sample(out, pids):
    with open(out, "a") as f:
        while True:
            alive, now = 0, time.time()
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/stat") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                f.write(f"{now:.3f} {pid} {fields[11]} {fields[12]}\n")
                alive += 1
            f.flush()
            if not alive:
                return
            time.sleep(PERIOD)


def split(path):
    rows = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            t, pid, user, system = line.split()
            rows[pid].append((float(t), int(user), int(system)))
    for pid, samples in rows.items():
        stretch = None
        for a, b in zip(samples, samples[1:]):
            if (b[1] + b[2] - a[1] - a[2]) / TICKS / (b[0] - a[0]) > BUSY_CORES:
                stretch = (stretch[0] if stretch else a, b)
            else:
                report(pid, stretch)
                stretch = None
        report(pid, stretch)


def report(pid, stretch):
    if not stretch or stretch[1][0] - stretch[0][0] < MIN_SECONDS:
        return
    (t0, u0, s0), (t1, u1, s1) = stretch
    user, system = u1 - u0, s1 - s0
    print(f"pid {pid} from {t0:.0f} for {t1 - t0:4.1f} s: cores {(user + system) / TICKS / (t1 - t0):4.2f}"
          f" user {user / (user + system):.2f} system {system / (user + system):.2f}")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "sample":
        sample(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 3 and sys.argv[1] == "split":
        split(sys.argv[2])
    else:
        sys.exit(__doc__)
