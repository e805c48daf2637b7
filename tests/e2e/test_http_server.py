#!/usr/bin/env python3
"""The HTTP server under stress over real sockets: body and URL limits,
malformed requests, 200 concurrent clients, a second server on a taken
port, and SIGTERM arriving while a large answer is still being sent.

Runs `innolink serve` (env INNOLINK) on free 127.0.0.1 ports against
databases built with `innolink init` and `import` in a scratch directory
under IL_TEST_TMPDIR.  Output is TAP.
"""
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from httptest import (INNOLINK, PROBLEM_TYPE, Response, Server, build_db, cli, eq,
                      expect_problem, run_tap)

MAX_BODY = 1 << 20  # the server's default request body limit
# A page of BIG_ROWS organizations of BIG_TEXT bytes each: larger than the
# socket buffers (Linux lets a send buffer grow to 4 MiB), so that the server
# is still sending it while the client does not read.
BIG_ROWS = 200
BIG_TEXT = 60000


def read_response(sock):
    """Reads one HTTP/1.1 response from a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed before the headers: %r" % data[:200])
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        body += chunk
    return Response(status, headers, body)


def raw(port, *parts, timeout=20):
    """Sends the parts on a fresh connection and reads one response; sending
    may fail once the server has answered and closed, which is allowed."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        for part in parts:
            try:
                s.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break
        return read_response(s)


def build_server_db(workdir):
    db = build_db(workdir, "server.db", (("regions", "region"), ("organizations", "organization"),
                                         ("demands", "demand")))
    big = os.path.join(workdir, "big.csv")
    with open(big, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name_zh", "name_en", "kind", "region", "description"])
        for i in range(BIG_ROWS):
            w.writerow(["ORG-BIG-%03d" % i, "大型测试企业%03d" % i, "Big Test %03d" % i,
                        "enterprise", "4210", ("filler%03d " % i) * (BIG_TEXT // 10)])
    cli("import", big, "--kind", "organization", "--db", db)
    return db


def request_head(method, path, extra=""):
    return ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n" % (method, path, extra)).encode()


# ---- limits ----

def test_body_over_limit_by_content_length(s):
    # the headers alone are enough to refuse: no byte of the body is sent
    head = request_head("POST", "/api/v1/demands",
                        "Content-Type: application/json\r\nContent-Length: %d\r\n"
                        % (MAX_BODY + 1))
    p = expect_problem(raw(s.port, head), 413, "etoobig", "Content-Length over the limit")
    if str(MAX_BODY) not in p["detail"]:
        raise AssertionError("detail should name the limit: %r" % p["detail"])
    if not s.healthy():
        raise AssertionError("/healthz after the 413")


def test_body_over_limit_chunked(s):
    # without Content-Length the bytes are counted as they arrive
    head = request_head("POST", "/api/v1/demands", "Transfer-Encoding: chunked\r\n")
    piece = b"x" * 65536
    chunks = [b"10000\r\n" + piece + b"\r\n"] * (MAX_BODY // 65536 + 2)
    status, headers, _ = raw(s.port, head, *chunks, b"0\r\n\r\n")
    eq(status, 413, "chunked body over the limit")
    eq(headers.get("connection", "").lower(), "close", "the connection is not kept")
    if not s.healthy():
        raise AssertionError("/healthz after the chunked 413")


def test_body_at_limit_is_read(s):
    # exactly max_body bytes are allowed: the write is refused for lack of
    # credentials, not for its size
    status, _, body = s.request("POST", "/api/v1/demands", body=b"{" * MAX_BODY,
                                headers={"Content-Type": "application/json"})
    eq(status, 401, "POST of exactly the limit (body %r)" % body[:200])


def test_long_url(s):
    path = "/api/v1/organizations?q=" + "a" * 9000
    p = expect_problem(raw(s.port, request_head("GET", path)), 414, "euri", "9000 bytes")
    if "8192" not in p["detail"]:
        raise AssertionError("detail should name the limit: %r" % p["detail"])
    # far past the connection's memory: libmicrohttpd refuses it itself
    status, _, _ = raw(s.port, request_head("GET", "/api/v1/organizations?q=" + "a" * 100000))
    if status not in (413, 414, 431):
        raise AssertionError("100 kB URL answered %d" % status)
    if not s.healthy():
        raise AssertionError("/healthz after long URLs")


def test_too_many_parameters(s):
    query = "&".join("region=%d" % i for i in range(65))
    p = expect_problem(s.get("/api/v1/organizations?" + query), 400, "einval", "65 parameters")
    if "64" not in p["detail"]:
        raise AssertionError("detail should name the limit: %r" % p["detail"])


def test_malformed_requests(s):
    bad = ["/api/v1/organizations?q=%zz", "/api/v1/organizations?q=%4", "/api/v1/organizations?q=%",
           "/api/v1/organizations?q=%FF%FE", "/api/v1/organizations?q=%C0%AF",
           "/api/v1/organizations?q=%ED%A0%80", "/api/v1/organizations?q=a%00b",
           "/api/v1/organizations?q=%0A", "/api/v1/organizations?%zz=1", "/api/v1/organizations?=1",
           "/api/v1/organizations?limit=-1", "/api/v1/organizations?limit=1000",
           "/api/v1/organizations?limit=", "/api/v1/organizations?offset=abc",
           "/api/v1/organizations?offset=99999999999999999999999",
           "/api/v1/demands/%zz", "/api/v1/demands/%FF", "/api/v1/%00"]
    for path in bad:
        status, headers, body = s.get(path)
        eq(status, 400, path + " (body %r)" % body[:200])
        eq(headers.get("content-type"), "application/problem+json", path + " content type")
        p = json.loads(body)  # the detail must be valid JSON text even for bad bytes
        eq(p["type"], PROBLEM_TYPE + "einval", path + " type")
    # requests libmicrohttpd itself refuses, or answers, before any handler
    for junk in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\n\r\n", b"\x00\xff\r\n\r\n",
                 b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"):
        try:
            with socket.create_connection(("127.0.0.1", s.port), timeout=5) as c:
                c.sendall(junk)
                c.recv(4096)
        except OSError:
            pass
    if not s.healthy():
        raise AssertionError("/healthz after malformed requests")


def test_concurrent_requests(s):
    paths = ["/healthz", "/api/v1/organizations?limit=5", "/api/v1/demands",
             "/api/v1/organizations/ORG-T-1", "/api/v1/regions?region=42",
             "/api/v1/organizations?region=4201&kind=enterprise"]
    n = 200
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait(timeout=30)
            status, headers, body = s.get(paths[i % len(paths)])
            json.loads(body)
            results[i] = (status, headers.get("content-type"))
        except Exception as e:
            results[i] = ("error", repr(e))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    bad = [(i, r) for i, r in enumerate(results)
           if r != (200, "application/json; charset=utf-8")]
    if bad:
        raise AssertionError("%d of %d failed, e.g. %r" % (len(bad), n, bad[:5]))


def test_port_taken(workdir, db, s):
    p = subprocess.run([INNOLINK, "serve", "--db", db, "--listen", "127.0.0.1:%d" % s.port],
                       capture_output=True, text=True, timeout=30)
    eq(p.returncode, 1, "exit status of a second server on the port")
    want = "cannot listen on 127.0.0.1:%d" % s.port
    if want not in p.stderr:
        raise AssertionError("stderr should say %r: %r" % (want, p.stderr))
    if not s.healthy():
        raise AssertionError("the first server still answers")


def test_sigint_idle(workdir, db):
    s = Server(workdir, db)
    start = time.time()
    code = s.stop(signal.SIGINT)
    eq(code, 0, "exit status after SIGINT")
    if time.time() - start > 10:
        raise AssertionError("an idle server took %.1f s to stop" % (time.time() - start))
    if "SIGINT" not in s.log_text():
        raise AssertionError("the log should say why it stopped")


def test_sigterm_finishes_requests_in_flight(workdir, db):
    s = Server(workdir, db)
    sock = socket.socket()
    try:
        # A small receive window keeps the server writing the several
        # megabytes of the page for as long as we do not read.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(30)
        sock.connect(("127.0.0.1", s.port))
        sock.sendall(request_head("GET", "/api/v1/organizations?region=4210&limit=200"))
        first = sock.recv(256)
        if not first.startswith(b"HTTP/1.1 200"):
            raise AssertionError("no answer before the signal: %r" % first)
        s.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        if s.proc.poll() is not None:
            raise AssertionError("the server exited with a request in flight")
        try:
            with socket.create_connection(("127.0.0.1", s.port), timeout=5) as c:
                c.sendall(request_head("GET", "/healthz"))
                if c.recv(64):
                    raise AssertionError("a new connection was served after SIGTERM")
        except (ConnectionRefusedError, ConnectionResetError):
            pass  # refused: what we want
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        rest = b""
        while True:
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            rest += chunk
            head, sep, body = (first + rest).partition(b"\r\n\r\n")
            if sep and b"content-length" in head.lower():
                length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")][0])
                if len(body) >= length:
                    break
        head, _, body = (first + rest).partition(b"\r\n\r\n")
        if len(body) < BIG_ROWS * BIG_TEXT // 2:
            raise AssertionError("the page is too small (%d bytes) to test a slow answer"
                                 % len(body))
        doc = json.loads(body)
        eq(len(doc["items"]), 200, "items of the page")
        eq(doc["total"], BIG_ROWS + 2, "total")  # with ORG-T-3 and ORG-T-6 of the fixtures
    finally:
        sock.close()
    try:
        code = s.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        code = "still running"
    s.stop()
    eq(code, 0, "exit status after SIGTERM")
    log = s.log_text()
    if "GET /api/v1/organizations 200" not in log:
        raise AssertionError("the answer is not in the access log:\n" + log[-1500:])


def run(workdir, tap):
    db = build_server_db(workdir)
    s = Server(workdir, db)
    try:
        for t in (test_body_over_limit_by_content_length, test_body_over_limit_chunked,
                  test_body_at_limit_is_read, test_long_url, test_too_many_parameters,
                  test_malformed_requests, test_concurrent_requests):
            tap.run(t, s)
        tap.run(test_port_taken, workdir, db, s)
    finally:
        code = s.stop()
    tap.report(code == 0, "exit status %d after the tests" % code, s.log_text()[-2000:])
    tap.run(test_sigint_idle, workdir, db)
    tap.run(test_sigterm_finishes_requests_in_flight, workdir, db)


if __name__ == "__main__":
    sys.exit(run_tap("http-server-", run))
