"""Two `innolink serve` processes on one PostgreSQL database, over real
HTTP: each finds what the other's side wrote (from concurrent `innolink
import` processes), concurrent updates of one record lose nothing (the
loser of a race gets a conflict and tries again), the API's optimistic
concurrency holds across the two servers (two clients writing one record
with the same If-Match through different servers: one 200, one 412), and
both keep serving, and keep up, across a restart of the database server.

Runs itself under tests/store/with-postgres, which makes a throwaway
cluster on a Unix socket, when $INNOLINK_TEST_PG is not set.
"""
import os
import subprocess
import sys
import threading
import time
import urllib.parse

from httptest import FIXTURES, INNOLINK, SRCDIR, Client, Server, add_user, cli, eq, run_tap

WORDS = "kestrel quokka axolotl pangolin narwhal okapi tapir ibex".split()


def search_ids(s, q):
    r = s.get("/api/v1/search?" + urllib.parse.urlencode({"q": q, "limit": "50"}))
    eq(r.status, 200, "search %r status (body %r)" % (q, r.body[:300]))
    return [item["id"] for item in r.json()["items"]]


def import_demands(pg, workdir, name, rows):
    """Imports demand rows (id, title, description) in one file; returns
    the finished process (not raising: a conflict is an outcome here)."""
    path = os.path.join(workdir, name + ".csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,title,description,owner,visibility,region\n")
        for rid, title, desc in rows:
            f.write("%s,%s,%s,ORG-T-3,public,4201\n" % (rid, title, desc))
    return subprocess.run([INNOLINK, "import", path, "--kind", "demand", "--db", pg],
                          capture_output=True, text=True)


def wait_visible(servers, q, rid, limit=10.0):
    """Seconds until every server's search for q finds rid."""
    t0 = time.time()
    pending = list(servers)
    while pending:
        pending = [s for s in pending if rid not in search_ids(s, q)]
        if pending and time.time() - t0 > limit:
            raise AssertionError("%s not found by %r on port %s after %.1fs" %
                                 (rid, q, pending[0].port, limit))
        if pending:
            time.sleep(0.01)
    return time.time() - t0


def test_each_sees_the_others_writes(a, b, pg, workdir):
    delays = []
    for i, word in enumerate(WORDS[:4]):
        rid = "DEM-PG-%d" % i
        p = import_demands(pg, workdir, "one-%d" % i, [(rid, "需求" + word, word)])
        eq(p.returncode, 0, "import %s (%s)" % (rid, p.stderr.strip()))
        delays.append(wait_visible([a, b], word, rid))
    print("# write to visible on both servers: max %.0f ms" % (max(delays) * 1000))


def test_concurrent_writers_lose_nothing(a, b, pg, workdir):
    """Two writers update one demand at once and insert their own; every
    update that reports success made a version, and both servers find
    every inserted demand."""
    ok = [0, 0]
    conflicts = [0, 0]
    errors = []

    def writer(w):
        for i in range(6):
            rows = [("DEM-T-1", "钻井泵柱塞耐磨寿命提升", "writer %d update %d" % (w, i)),
                    ("DEM-W%d-%d" % (w, i), "并发写入" + WORDS[4 + w], WORDS[4 + w])]
            for _ in range(50):
                p = import_demands(pg, workdir, "w%d-%d" % (w, i), rows)
                if p.returncode == 0:
                    ok[w] += 1
                    break
                if "changed by another writer" not in p.stderr:
                    errors.append(p.stderr.strip())
                    return
                conflicts[w] += 1
            else:
                errors.append("writer %d gave up on update %d" % (w, i))
                return

    threads = [threading.Thread(target=writer, args=(w,)) for w in (0, 1)]
    before = version_of(pg, "DEM-T-1")
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(errors, [], "writer errors")
    eq(ok, [6, 6], "successful imports per writer")
    print("# conflicts retried: %d and %d" % tuple(conflicts))
    eq(version_of(pg, "DEM-T-1"), before + 12, "versions of the demand both updated")
    history = cli("show", "demand", "DEM-T-1", "--history", "--json", "--db", pg).stdout
    eq(history.count('"writer '), 12, "every update is in the history")
    for w in (0, 1):
        for i in range(6):
            wait_visible([a, b], WORDS[4 + w], "DEM-W%d-%d" % (w, i))


def version_of(pg, rid):
    import json
    return json.loads(cli("show", "demand", rid, "--json", "--db", pg).stdout)["version"]


def restart_postgres():
    data = os.path.join(os.environ["INNOLINK_TEST_PGDIR"], "data")
    cmd = [os.path.join(os.environ["INNOLINK_TEST_PGBIN"], "pg_ctl"), "-D", data, "-m", "fast",
           "-w", "-l", os.path.join(os.environ["INNOLINK_TEST_PGDIR"], "server.log"),
           "restart"]
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_database_restart(a, b, pg, workdir):
    restart_postgres()
    # each server's connections were cut: searches reconnect, and the
    # watchers listen again and still see writes from elsewhere
    for s in (a, b):
        eq(s.get("/api/v1/search?q=kestrel").status, 200, "search after the restart")
    p = import_demands(pg, workdir, "after-restart", [("DEM-PG-R", "重启之后" + WORDS[7],
                                                       WORDS[7])])
    eq(p.returncode, 0, "import after the restart (%s)" % p.stderr.strip())
    wait_visible([a, b], WORDS[7], "DEM-PG-R")


def test_if_match_across_servers(a, b, pg):
    token = add_user(pg, "pg-operator", "operator")
    ca, cb = Client(a, token), Client(b, token)
    path = "/api/v1/demands/DEM-T-1"
    wins = 0
    for i in range(5):
        etag = ca.get(path).header("etag")
        eq(cb.get(path).header("etag"), etag, "both servers read version %s" % etag)
        results = {}

        def patch(name, c, budget):
            results[name] = (c.write("PATCH", path, {"budget": budget}, etag=etag).status,
                             budget)

        threads = [threading.Thread(target=patch, args=("a", ca, 1000 + i)),
                   threading.Thread(target=patch, args=("b", cb, 2000 + i))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(status for status, _ in results.values())
        eq(statuses, [200, 412], "round %d: one write wins, the other is stale" % i)
        wins += 1
        winner = next(budget for status, budget in results.values() if status == 200)
        for c in (ca, cb):
            got = c.get(path).json()
            eq(got["budget"], winner, "round %d: both servers hold the winner's budget" % i)
    eq(int(ca.get(path).header("etag").strip('"')), int(etag.strip('"')) + 1,
       "one new version per round (%d rounds)" % wins)


def test_watchers_in_the_logs(a, b):
    for s in (a, b):
        log = s.log_text()
        if "change watcher: following other servers' writes" not in log:
            raise AssertionError("no change watcher in the log:\n" + log[-2000:])


def body(workdir, tap):
    pg = os.environ["INNOLINK_TEST_PG"]
    cli("init", "--db", pg)
    for fixture, kind in (("regions", "region"), ("organizations", "organization"),
                          ("demands", "demand")):
        cli("import", os.path.join(FIXTURES, fixture + ".csv"), "--kind", kind, "--db", pg)
    a = Server(workdir, pg, "--threads", "2")
    b = Server(workdir, pg, "--threads", "2")
    try:
        tap.run(test_each_sees_the_others_writes, a, b, pg, workdir)
        tap.run(test_concurrent_writers_lose_nothing, a, b, pg, workdir)
        tap.run(test_if_match_across_servers, a, b, pg)
        tap.run(test_database_restart, a, b, pg, workdir)
        tap.run(test_watchers_in_the_logs, a, b)
    finally:
        for s in (a, b):
            status = s.stop()
            tap.report(status == 0, "server on port %d stops cleanly" % s.port,
                       "exit %s:\n%s" % (status, s.log_text()[-2000:]))


if __name__ == "__main__":
    if INNOLINK and not os.environ.get("INNOLINK_TEST_PG"):
        os.execvp("sh", ["sh", os.path.join(SRCDIR, "store", "with-postgres"), sys.executable,
                         *sys.argv])
    sys.exit(run_tap("pg-", body))
