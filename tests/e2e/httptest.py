"""What the end-to-end tests of `innolink serve` share: the `innolink`
command (env INNOLINK), databases built from tests/fixtures/http, a server
on a free 127.0.0.1 port, requests to it, checks and TAP output.

Not a test itself: tests/CMakeLists.txt registers only e2e/test_*.py.  The
tests run as `python3 tests/e2e/test_x.py`, and Python puts the script's
directory first on sys.path, so they import this module by its name.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import NamedTuple

INNOLINK = os.environ.get("INNOLINK")
SRCDIR = os.environ.get("IL_TEST_SRCDIR") or os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))
FIXTURES = os.path.join(SRCDIR, "fixtures", "http")
PROBLEM_TYPE = "https://innolink.example/problems/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args):
    p = subprocess.run([INNOLINK, *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("innolink %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                             p.stderr.strip()))
    return p


def build_db(workdir, name, fixtures):
    """Creates workdir/name with `innolink init` and imports into it each
    (file, kind) of `fixtures`, a file being tests/fixtures/http/<file>.csv."""
    db = os.path.join(workdir, name)
    cli("init", "--db", db)
    for fixture, kind in fixtures:
        cli("import", os.path.join(FIXTURES, fixture + ".csv"), "--kind", kind, "--db", db)
    return db


class Response(NamedTuple):
    """One answer; unpacks as (status, headers, body).  Header names are
    lower case."""
    status: int
    headers: dict
    body: bytes

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Server:
    """`innolink serve --db db *extra` on a free port, its output in
    workdir/serve-<port>.log; the constructor returns once /healthz answers."""

    def __init__(self, workdir, db, *extra):
        self.port = free_port()
        self.log_path = os.path.join(workdir, "serve-%d.log" % self.port)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [INNOLINK, "serve", "--db", db, "--listen", "127.0.0.1:%d" % self.port, *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        # a sanitized build on a loaded machine starts slowly
        deadline = time.time() + (90 if os.environ.get("IL_SANITIZED") else 30)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %d:\n%s" % (self.proc.returncode,
                                                                    self.log_text()))
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("server did not answer /healthz:\n" + self.log_text())
            time.sleep(0.05)

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def get(self, path):
        return self.request("GET", path)

    def healthy(self):
        r = self.get("/healthz")
        return r.status == 200 and r.json()["status"] == "ok"

    def stop(self, sig=signal.SIGTERM):
        """Sends sig, waits (killing it after 30 s) and returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Tap:
    """Numbers the tests and prints an ok / not ok line for each."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def report(self, ok, name, detail=""):
        """Records a test whose outcome is known; a failure's detail follows
        as # lines."""
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, name), flush=True)
        if not ok:
            self.failed += 1
            for line in detail.splitlines():
                print("# " + line, flush=True)

    def run(self, fn, *args):
        """Runs fn(*args), named after fn without its test_ prefix; an
        exception fails it and the run goes on."""
        name = fn.__name__[5:] if fn.__name__.startswith("test_") else fn.__name__
        try:
            fn(*args)
        except Exception as e:  # report every failure, keep going
            self.report(False, name, "%s: %s" % (type(e).__name__, e))
        else:
            self.report(True, name)


def run_tap(prefix, body):
    """A test script's main(): calls body(workdir, tap) with a fresh scratch
    directory under IL_TEST_TMPDIR (removed when every test passed), counts
    an exception out of it as a failed setup and prints the TAP plan.
    Returns the exit status; skips everything when INNOLINK is not set."""
    if not INNOLINK:
        print("1..0 # SKIP INNOLINK is not set")
        return 0
    tmp = os.environ.get("IL_TEST_TMPDIR") or tempfile.gettempdir()
    os.makedirs(tmp, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix=prefix, dir=tmp)
    tap = Tap()
    try:
        body(workdir, tap)
    except Exception as e:
        tap.report(False, "setup", "%s: %s" % (type(e).__name__, e))
    print("1..%d" % tap.n)
    if tap.failed == 0:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if tap.failed else 0


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def expect_problem(r, status, errname, what):
    """Checks that r is a problem document (application/problem+json) of
    that status for the error errname; returns it parsed."""
    eq(r.status, status, what + " status (body %r)" % r.body[:300])
    eq(r.header("content-type"), "application/problem+json", what + " content type")
    p = r.json()
    eq(p["type"], PROBLEM_TYPE + errname, what + " type")
    eq(p["status"], status, what + " status member")
    return p


def add_user(db, name, role, password="password-1234", **refs):
    """`innolink user add` with the password in INNOLINK_PASSWORD; refs are
    region=, org=, person=.  Returns an API token for the account."""
    args = ["user", "add", name, "--role", role, "--db", db]
    for key, value in refs.items():
        args += ["--" + key, value]
    env = dict(os.environ, INNOLINK_PASSWORD=password)
    p = subprocess.run([INNOLINK, *args], capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise RuntimeError("user add %s failed: %s" % (name, p.stderr.strip()))
    return json.loads(cli("user", "token", name, "--label", "tests", "--db", db,
                          "--json").stdout)["token"]


class Client:
    """Requests to a Server as one caller: a bearer token, a logged-in
    session (cookie and CSRF token), or the public when neither is given."""

    def __init__(self, server, token=None):
        self.s = server
        self.token = token
        self.cookie = None
        self.csrf = None

    def login(self, name, password):
        r = self.s.request("POST", "/api/v1/session",
                           body=json.dumps({"name": name, "password": password}).encode(),
                           headers={"Content-Type": "application/json"})
        if r.status == 200:
            self.cookie = r.header("set-cookie").split(";")[0]
            self.csrf = r.json()["csrf"]
        return r

    def request(self, method, path, body=None, headers=None, csrf=True):
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.cookie:
            h["Cookie"] = self.cookie
            if csrf and self.csrf and method not in ("GET", "HEAD"):
                h["X-CSRF-Token"] = self.csrf
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        return self.s.request(method, path, body=body, headers=h)

    def get(self, path):
        return self.request("GET", path)

    def write(self, method, path, body=None, etag=None):
        """A write with If-Match: etag, or the current ETag of path as this
        caller reads it (None when the read fails)."""
        if etag is None and method in ("PUT", "PATCH", "DELETE"):
            etag = self.get(path).header("etag")
        headers = {"If-Match": etag} if etag else {}
        return self.request(method, path, body=body, headers=headers)
