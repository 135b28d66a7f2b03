"""N non-reading clients (small receive buffer) join a room; the admin API publishes 16 KiB messages
until every one of them is evicted; prints the kernel's TCP memory (pages) at rest and at its peak,
and the server's RSS. Usage: measure.py TCP_PORT ADMIN_PORT TOKEN_SECRET API_KEY SERVER_PID N"""
import socket, sys, time, json, base64, hmac, hashlib, urllib.request, threading
tcp, admin, secret, key, pid, n = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
def b64(b): return base64.urlsafe_b64encode(b).rstrip(b'=')
def token(sub):
    h = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
    p = b64(json.dumps({"sub": sub, "exp": int(time.time()) + 3600, "caps": [{"channels": ["*"], "allow": ["join"]}]}).encode())
    s = b64(hmac.new(secret.encode(), h + b'.' + p, hashlib.sha256).digest())
    return (h + b'.' + p + b'.' + s).decode()
def varint(v):
    out = b''
    while True:
        b = v & 0x7f; v >>= 7
        if v: out += bytes([b | 0x80])
        else: return out + bytes([b])
def field(num, wt, payload):
    if wt == 0: return varint(num << 3) + varint(payload)
    return varint(num << 3 | 2) + varint(len(payload)) + payload
def frame(body): return varint(len(body)) + body
def tcp_mem_pages():
    for line in open('/proc/net/sockstat'):
        if line.startswith('TCP:'):
            parts = line.split(); return int(parts[parts.index('mem') + 1])
def rss_mib():
    for line in open(f'/proc/{pid}/status'):
        if line.startswith('VmRSS'): return int(line.split()[1]) // 1024
socks = []
for i in range(n):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096); s.connect(('127.0.0.1', tcp))
    connect = field(1, 0, 1) + field(2, 2, field(1, 2, token(f"nr{i}").encode()) + field(2, 0, 1))
    join = field(1, 0, 2) + field(4, 2, field(1, 2, b"sndbuf.room"))
    s.sendall(frame(connect) + frame(join)); socks.append(s)
time.sleep(2)
base, base_rss = tcp_mem_pages(), rss_mib()
payload = base64.b64encode(b'x' * 16384).decode()
peak, peak_rss, stop = base, base_rss, time.time() + 40
def closed(s):
    s.setblocking(False)
    try:
        return s.recv(1, socket.MSG_PEEK) == b''
    except BlockingIOError: return False
    except OSError: return True
sent = 0
while time.time() < stop:
    for _ in range(50):
        req = urllib.request.Request(f"http://127.0.0.1:{admin}/api/v1/channels/sndbuf.room/messages",
            data=json.dumps({"kind": "blob", "payload": payload}).encode(), headers={"Authorization": "Bearer " + key})
        try: urllib.request.urlopen(req).read(); sent += 1
        except Exception: pass
    peak, peak_rss = max(peak, tcp_mem_pages()), max(peak_rss, rss_mib())
    if sent > 3000: break
print(json.dumps({"clients": n, "published": sent, "tcp_mem_MiB_at_rest": base * 4 // 1024, "tcp_mem_MiB_peak": peak * 4 // 1024,
                  "server_rss_MiB_at_rest": base_rss, "server_rss_MiB_peak": peak_rss}))
