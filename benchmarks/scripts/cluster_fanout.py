#!/usr/bin/env python3
"""One node vs three nodes on one Redis: the harness's fanout (publisher on node 1, subscribers spread over
the nodes) closed-loop and at a fixed rate, with the CPU each process spent per delivery (servers, Redis,
harness) read from /proc/<pid>/stat around each run. Everything on loopback; every process is stopped by PID.

Mode "storm" runs the harness's reconnect-storm instead (subscribers = clients, 100 messages missed, 3 storms;
every client comes back on the next node).

Usage: cluster_fanout.py OUT_DIR [runs] [subscribers] [seconds] [modes: comma list of "closed", "storm" or publishes/s]
"""
import json, os, re, secrets, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVER = os.path.join(ROOT, "server", "target", "push-server.jar")
HARNESS = os.path.join(ROOT, "loadtest", "target", "push-loadtest.jar")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def wait_line(path, pattern, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path):
            m = re.search(pattern, open(path).read())
            if m:
                return m
        time.sleep(0.2)
    raise RuntimeError(f"{path}: no {pattern} within {timeout} s")


def run(out, nodes, mode, subscribers, seconds, tag):
    work = tempfile.mkdtemp(prefix="cluster-bench-")
    secret = secrets.token_hex(32)
    procs = []
    try:
        redis_port = free_port()
        redis = subprocess.Popen(["redis-server", "--save", "", "--appendonly", "no", "--dir", work,
                                  "--port", str(redis_port), "--bind", "127.0.0.1"],
                                 stdout=open(f"{work}/redis.log", "w"), stderr=subprocess.STDOUT)
        procs.append(redis)
        wait_line(f"{work}/redis.log", "Ready to accept connections")
        ports = []
        servers = []
        for i in range(1, nodes + 1):
            log = f"{work}/n{i}.log"
            p = subprocess.Popen(["java", "-jar", SERVER, "--engine", "redis", "--redis-url", f"redis://127.0.0.1:{redis_port}",
                                  "--node-id", f"n{i}", "--tcp-port", "0", "--ws-port", "0", "--admin-port", "0",
                                  "--data-dir", f"{work}/d{i}", "--token-secret", secret],
                                 stdout=open(log, "w"), stderr=subprocess.STDOUT)
            procs.append(p)
            servers.append(p)
            ports.append(wait_line(log, r"listening tcp=127\.0\.0\.1:(\d+)").group(1))
        if mode == "storm":
            args = ["java", "-jar", HARNESS, "reconnect-storm", "--port", ",".join(ports), "--clients", str(subscribers),
                    "--missed", "100", "--storms", "3", "--duration", f"{seconds + 120}s", "--token-secret", secret,
                    "--out", f"{out}/{tag}"]
        else:
            args = ["java", "-jar", HARNESS, "fanout", "--port", ",".join(ports), "--subscribers", str(subscribers),
                    "--duration", f"{seconds}s", "--warmup", "5s", "--token-secret", secret, "--out", f"{out}/{tag}"]
            args += ["--closed-loop"] if mode == "closed" else ["--rate", str(mode)]
        before = {p.pid: cpu_seconds(p.pid) for p in procs}
        children_before = cpu_seconds_children()
        harness = subprocess.Popen(args, stdout=open(f"{out}/{tag}.log", "w"), stderr=subprocess.STDOUT)
        harness.wait(timeout=seconds + 240)
        harness_cpu = cpu_seconds_children() - children_before  # the harness is the only child reaped meanwhile
        after = {p.pid: cpu_seconds(p.pid) for p in procs}
        summary = json.load(open(f"{out}/{tag}/summary.json"))
        return (summary, sum(after[p.pid] - before[p.pid] for p in servers), after[redis.pid] - before[redis.pid],
                harness_cpu)
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds_children():
    usage = os.times()
    return usage.children_user + usage.children_system


if __name__ == "__main__":
    out = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    subscribers = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    seconds = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    os.makedirs(out, exist_ok=True)
    rows = []
    modes = sys.argv[5].split(",") if len(sys.argv) > 5 else ["closed", "300"]
    for mode in modes:
        for nodes in [1, 3]:
            for r in range(runs):
                tag = f"{mode}-{nodes}n-{r}"
                summary, server_cpu, redis_cpu, harness_cpu = run(out, nodes, mode, subscribers, seconds, tag)
                rows.append({"tag": tag, "mode": str(mode), "nodes": nodes, "summary": summary,
                             "server_cpu_s": server_cpu, "redis_cpu_s": redis_cpu, "harness_cpu_s": harness_cpu})
                json.dump(rows, open(f"{out}/rows.json", "w"), indent=1)
                print(tag, server_cpu, redis_cpu, harness_cpu, flush=True)
