"""Load for bench/pg: search latency against running servers, and the delay
from a write (an `innolink import` of one demand) to its visibility in
search on another server.  Prints one line of JSON.

usage: load.py search PORT[,PORT...] SECONDS
       load.py visibility INNOLINK DB PORT COUNT WORKDIR
"""
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse

QUERIES = ["钻井泵柱塞耐磨", "激光熔覆", "新能源汽车 电池", "optical fiber", "光纤通信",
           "芯片 封装", "wear resistant coating", "磷化工", "智能家电", "生物医药"]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def get(conn, q):
    conn.request("GET", "/api/v1/search?" + urllib.parse.urlencode({"q": q, "limit": "10"}))
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise RuntimeError("search %r: %d %r" % (q, r.status, body[:200]))
    return json.loads(body)


def search(ports, seconds):
    conns = [http.client.HTTPConnection("127.0.0.1", int(p), timeout=30) for p in ports]
    lat = []
    end = time.time() + seconds
    i = 0
    while time.time() < end:
        t0 = time.perf_counter()
        get(conns[i % len(conns)], QUERIES[i % len(QUERIES)])
        lat.append((time.perf_counter() - t0) * 1000)
        i += 1
    print(json.dumps({"searches": len(lat), "per_s": round(len(lat) / seconds),
                      "p50_ms": round(pct(lat, 50), 2), "p99_ms": round(pct(lat, 99), 2)}))


def word(n):
    letters = "abcdefghijklmnopqrstuvwxyz"
    w = ""
    for _ in range(6):
        w += letters[n % 26]
        n //= 26
    return "zq" + w


def visibility(innolink, db, port, count, workdir):
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
    delays = []
    base = int(time.time()) % 100000 * 1000
    for i in range(count):
        w = word(base + i)
        path = os.path.join(workdir, "vis.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("id,title,description,owner\nDEM-VIS-%d,%s,%s,UNI-4142010489\n" % (base + i, w, w))
        subprocess.run([innolink, "import", path, "--kind", "demand", "--db", db], check=True,
                       stdout=subprocess.DEVNULL)
        t0 = time.perf_counter()  # committed: the import has exited
        while not get(conn, w)["items"]:
            if time.perf_counter() - t0 > 10:
                raise RuntimeError("%s not visible after 10 s" % w)
            time.sleep(0.001)
        delays.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"writes": count, "p50_ms": round(pct(delays, 50), 1),
                      "p99_ms": round(pct(delays, 99), 1), "max_ms": round(max(delays), 1)}))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "search":
        search(sys.argv[2].split(","), float(sys.argv[3]))
    elif len(sys.argv) == 7 and sys.argv[1] == "visibility":
        visibility(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    else:
        sys.exit(__doc__)
