#!/usr/bin/env python3
"""GET /api/v1/search over real HTTP: hits and their shape, filters, the
language of titles, confidential demands (never returned, never counted),
records written by the CLI while the server runs (found by the next search:
the index catches up from the store's change log), expired demands (left
out until renewed), a server started from a
snapshot older than the database, the snapshots a server writes (after a
build at start and at shutdown, so a restart replays nothing), bad
parameters, and /healthz throughout.

Runs `innolink serve` (env INNOLINK) on a free 127.0.0.1 port against
databases built from tests/fixtures/http with `innolink init` and
`import`, in a scratch directory under IL_TEST_TMPDIR.  Output is TAP.
"""
import json
import os
import re
import sys
import threading
import urllib.parse

from httptest import Server, build_db, cli, eq, expect_problem, run_tap

SECRET = "SECRET-FORMULA-XYZ"  # text only the confidential demand DEM-T-2 holds
HIDDEN = {"DEM-T-2", "DEM-T-4"}  # confidential in the fixtures (DEM-T-4 since version 2)
FIXTURES = (("regions", "region"), ("organizations", "organization"), ("demands", "demand"),
            ("demands-v2", "demand"))


def search(s, what, **params):
    """GET /api/v1/search with params (values percent-encoded); returns the
    parsed answer after checking it is a 200 JSON document."""
    path = "/api/v1/search?" + urllib.parse.urlencode(params)
    r = s.get(path)
    eq(r.status, 200, what + " status (body %r)" % r.body[:300])
    eq(r.header("content-type"), "application/json; charset=utf-8", what + " content type")
    eq(r.header("cache-control"), "no-store", what + " cache-control")
    return r.json()


def ids(doc):
    return [item["id"] for item in doc["items"]]


def write_csv(workdir, name, text):
    path = os.path.join(workdir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def expect_no_leak(doc, what, hidden=HIDDEN):
    """No item of a search answer is, or quotes, a confidential demand."""
    leaked = hidden & set(ids(doc))
    items = json.dumps(doc["items"], ensure_ascii=False)
    if leaked or SECRET in items:
        raise AssertionError("%s leaks %r: %s" % (what, leaked or SECRET, items[:300]))


# ---- answers ----

def test_finds_imported_record(s):
    doc = search(s, "q=柱塞", q="柱塞")
    eq(sorted(doc), ["items", "query", "total"], "members")
    eq(doc["query"], "柱塞", "query echoed")
    if "DEM-T-1" not in ids(doc):
        raise AssertionError("DEM-T-1 (钻井泵柱塞耐磨寿命提升) not found: %r" % ids(doc))
    item = doc["items"][ids(doc).index("DEM-T-1")]
    eq(sorted(item), ["id", "kind", "score", "terms", "title"], "item members")
    eq((item["kind"], item["title"]), ("demand", "钻井泵柱塞耐磨寿命提升"), "kind and title")
    if not isinstance(item["score"], float) or item["score"] <= 0:
        raise AssertionError("score: %r" % item["score"])
    if not item["terms"]:
        raise AssertionError("no matched terms")
    for t in item["terms"]:
        eq(sorted(t), ["field", "term", "translated"], "term members")
        if t["field"] not in ("title", "keywords", "body", "names"):
            raise AssertionError("field: %r" % t)
    scores = [i["score"] for i in doc["items"]]
    eq(scores, sorted(scores, reverse=True), "best first")
    if doc["total"] < len(doc["items"]):
        raise AssertionError("total %d below %d items" % (doc["total"], len(doc["items"])))
    # an English record reached from a Chinese query through the glossary
    english = [i for i in doc["items"] if i["id"] in ("ORG-T-1", "ORG-T-3")]
    if not any(t["translated"] for i in english for t in i["terms"]):
        raise AssertionError("no English organization through the glossary: %r" % doc)


def test_title_language(s):
    en = search(s, "English title", q="Optics Valley")
    zh = search(s, "Chinese title", q="Optics Valley", lang="zh")
    for doc, want in ((en, "Optics Valley Coatings"), (zh, "武汉光谷涂层科技有限公司")):
        eq(ids(doc)[:1], ["ORG-T-1"], "first hit")
        eq(doc["items"][0]["title"], want, "title")


def test_filters(s):
    doc = search(s, "kind", q="柱塞", kind="demand")
    eq({i["kind"] for i in doc["items"]}, {"demand"}, "kind=demand gives demands")
    doc = search(s, "kinds", q="柱塞", kind="organization,技术需求", limit="100")
    eq({i["kind"] for i in doc["items"]}, {"demand", "organization"}, "a list of kinds")
    # 测试 is in the names of ORG-T-2 (Wuhan), ORG-T-3 (Jingzhou), ORG-T-7 (Hubei)
    doc = search(s, "everywhere", q="测试", kind="organization")
    eq(sorted(ids(doc)), ["ORG-T-2", "ORG-T-3", "ORG-T-7"], "everywhere")
    doc = search(s, "region", q="测试", kind="organization", region="4201")
    eq(ids(doc), ["ORG-T-2"], "region=4201")
    doc = search(s, "province", q="测试", kind="organization", region="42")
    eq(sorted(ids(doc)), ["ORG-T-2", "ORG-T-3", "ORG-T-7"], "region=42 takes its cities")
    doc = search(s, "link", q="测试", link="LNK-NONE")
    eq((doc["items"], doc["total"]), ([], 0), "a link nothing is placed on")
    any_ = search(s, "or", q="plunger wear", limit="100")
    all_ = search(s, "and", q="plunger wear", op="and", limit="100")
    eq(ids(all_), ["DEM-T-1"], "op=and: both words")
    if not set(ids(all_)) < set(ids(any_)):
        raise AssertionError("OR %r should hold more than AND %r" % (ids(any_), ids(all_)))
    doc = search(s, "limit", q="测试", limit="1")
    eq((len(doc["items"]), doc["total"] >= 1), (1, True), "limit=1")


def test_confidential_never_returned(s):
    for q in (SECRET, "新型压裂液配方", "fracturing fluid", "高温合金焊接", "superalloys"):
        for extra in ({}, {"kind": "demand"}, {"op": "and"}):
            doc = search(s, q, q=q, **extra)
            expect_no_leak(doc, "search " + q)
            eq((doc["items"], doc["total"]), ([], 0),
               "%s %r: nothing, counted nowhere" % (q, extra))
    # DEM-T-5 was confidential and is public in its second version
    doc = search(s, "made public", q="传感器")
    eq(ids(doc), ["DEM-T-5"], "a demand made public is found")
    # a query matching public and confidential demands counts only the public
    doc = search(s, "mixed", q="钻井泵柱塞 压裂液 高温合金 传感器", kind="demand", limit="100")
    expect_no_leak(doc, "mixed query")
    eq(doc["total"], len(doc["items"]), "total counts what is shown")


def test_bad_parameters(s):
    cases = [
        ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"),
        ("limit=-1", "limit"), ("", "q"), ("kind=demand", "q"), ("q=", "q"),
        ("kind=deal", "deal"), ("kind=widget", "widget"), ("kind=demand,,person", "kind"),
        ("op=xor", "op"), ("lang=fr", "lang"), ("foo=1", "foo"), ("region=", "region"),
        ("link=", "link"), ("q=a&q=b", "twice"),
    ]
    for query, names in cases:
        if not query.startswith("q=") and names != "q":
            query = "q=%E6%9F%B1%E5%A1%9E&" + query
        path = "/api/v1/search" + ("?" + query if query else "")
        r = s.get(path)
        p = expect_problem(r, 400, "einval", path)
        eq(p["instance"], "/api/v1/search", path + " instance")
        if names not in p["detail"]:
            raise AssertionError("%s: detail %r does not name %r" % (path, p["detail"], names))


def test_methods(s):
    r = s.request("HEAD", "/api/v1/search?q=%E6%9F%B1%E5%A1%9E")
    eq((r.status, r.body), (200, b""), "HEAD")
    expect_problem(s.request("POST", "/api/v1/search?q=x"), 401, "eauth", "POST")
    expect_problem(s.get("/api/v1/search/DEM-T-1"), 404, "enotfound", "no search by id")


# ---- the index follows the store ----

def test_catches_up_with_cli_writes(s, workdir, db):
    eq(search(s, "before", q="Zetaflux")["items"], [], "nothing before the import")
    cli("import", write_csv(workdir, "live.csv",
                            "id,title,description,owner,visibility,region\n"
                            "DEM-T-9,Zetaflux 柱塞泵改造,Zetaflux pump retrofit,ORG-T-3,"
                            "public,4210\n"
                            "DEM-T-10,Omegaflux 配方,Omegaflux secret,ORG-T-6,"
                            "confidential,4210\n"),
        "--kind", "demand", "--db", db)
    doc = search(s, "after the import", q="Zetaflux")
    eq(ids(doc), ["DEM-T-9"], "a record imported while the server runs is found")
    eq(doc["items"][0]["title"], "Zetaflux 柱塞泵改造", "with its title")
    doc = search(s, "confidential import", q="Omegaflux")
    eq((doc["items"], doc["total"]), ([], 0), "a confidential demand imported live stays hidden")
    cli("import", write_csv(workdir, "live-v2.csv",
                            "id,title,description,owner,visibility,region\n"
                            "DEM-T-9,Zetaflux 柱塞泵改造,Zetaflux pump retrofit,ORG-T-3,"
                            "confidential,4210\n"),
        "--kind", "demand", "--db", db)
    doc = search(s, "made confidential", q="Zetaflux")
    eq((doc["items"], doc["total"]), ([], 0), "a demand made confidential leaves the results")
    cli("import", write_csv(workdir, "live-v3.csv",
                            "id,title,description,owner,visibility,region\n"
                            "DEM-T-9,Quasarflux 柱塞泵改造,Quasarflux pump retrofit,ORG-T-3,"
                            "public,4210\n"),
        "--kind", "demand", "--db", db)
    eq(ids(search(s, "renamed", q="Quasarflux")), ["DEM-T-9"],
       "an update is found by its new text")
    eq(search(s, "old text", q="Zetaflux")["items"], [], "and no longer by its old text")


def test_expired_left_out(s, workdir, db):
    rows = "id,title,owner,visibility,region,expires\nDEM-T-11,Lapisflux 泵,ORG-T-3,public,4210,%s\n"
    cli("import", write_csv(workdir, "expired.csv", rows % "2020-01-31"),
        "--kind", "demand", "--db", db)
    doc = search(s, "expired", q="Lapisflux")
    eq((doc["items"], doc["total"]), ([], 0), "an expired demand is neither returned nor counted")
    cli("import", write_csv(workdir, "renewed.csv", rows % "2999-12-31"),
        "--kind", "demand", "--db", db)
    eq(ids(search(s, "renewed", q="Lapisflux")), ["DEM-T-11"], "renewed, it is found again")


def test_concurrent_searches_and_writes(s, workdir, db):
    errors = []

    def client():
        try:
            for _ in range(15):
                r = s.get("/api/v1/search?q=%E6%9F%B1%E5%A1%9E&limit=100")
                if r.status != 200:
                    errors.append("status %d: %r" % (r.status, r.body[:200]))
                else:
                    expect_no_leak(r.json(), "concurrent search", HIDDEN | {"DEM-T-10"})
        except Exception as e:  # collected, reported below
            errors.append("%s: %s" % (type(e).__name__, e))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for n in range(3):
        row = "DEM-T-2%d,Burstword%d 柱塞,burst,ORG-T-3,public,4210\n" % (n, n)
        cli("import", write_csv(workdir, "burst-%d.csv" % n,
                                "id,title,description,owner,visibility,region\n" + row),
            "--kind", "demand", "--db", db)
    for t in threads:
        t.join()
    if errors:
        raise AssertionError("; ".join(errors[:5]))
    for n in range(3):
        eq(ids(search(s, "burst", q="Burstword%d" % n)), ["DEM-T-2%d" % n], "burst %d found" % n)


def test_healthz(s):
    r = s.get("/healthz")
    eq((r.status, r.json()["status"]), (200, "ok"), "/healthz")


def test_starts_from_snapshot(workdir):
    db = build_db(workdir, "snap.db", FIXTURES)
    cli("index", "rebuild", "--db", db)
    cli("import", write_csv(workdir, "after-snapshot.csv",
                            "id,title,description,owner,visibility,region\n"
                            "DEM-T-30,Snapword 柱塞,after the snapshot,ORG-T-3,public,4210\n"),
        "--kind", "demand", "--db", db)
    s = Server(workdir, db)
    try:
        eq(ids(search(s, "snapshot", q="Snapword")), ["DEM-T-30"],
           "a record written after the snapshot is found at start")
        eq(ids(search(s, "snapshot", q="传感器")), ["DEM-T-5"], "and the snapshot's own records")
        log = s.log_text()
        if "snap.db.index at store change" not in log or "caught up to" not in log:
            raise AssertionError("the log does not tell the snapshot was used:\n" + log[-1500:])
    finally:
        code = s.stop()
    eq(code, 0, "exit status")


def test_ignores_corrupt_snapshot(workdir):
    db = build_db(workdir, "corrupt.db", FIXTURES)
    with open(db + ".index", "wb") as f:
        f.write(b"innoidx\n" + b"\0" * 200)
    s = Server(workdir, db)
    try:
        eq(ids(search(s, "corrupt snapshot", q="传感器")), ["DEM-T-5"], "built from the store")
        log = s.log_text()
        if "ignoring" not in log or "built from the store" not in log:
            raise AssertionError("the log does not tell the snapshot was ignored:\n" + log[-1500:])
    finally:
        code = s.stop()
    eq(code, 0, "exit status")


def snapshot_writes(log):
    """The store changes of the snapshots the server wrote, in order."""
    return [int(m) for m in re.findall(r"wrote \S+\.index at store change (\d+)", log)]


def test_writes_snapshot(workdir):
    db = build_db(workdir, "save.db", FIXTURES)
    s = Server(workdir, db)
    try:
        if not os.path.exists(db + ".index"):
            raise AssertionError("no snapshot written after building the index at start")
        cli("import", write_csv(workdir, "while-serving.csv",
                                "id,title,description,owner,visibility,region\n"
                                "DEM-T-31,Saveword 柱塞,written while serving,ORG-T-3,public,"
                                "4210\n"),
            "--kind", "demand", "--db", db)
        eq(ids(search(s, "saved", q="Saveword")), ["DEM-T-31"], "caught up while serving")
    finally:
        code = s.stop()
    eq(code, 0, "exit status")
    writes = snapshot_writes(s.log_text())
    if len(writes) != 2 or writes[1] <= writes[0]:
        raise AssertionError("want a snapshot at start and a later one at shutdown, got %r:\n%s"
                             % (writes, s.log_text()[-1500:]))
    s = Server(workdir, db)
    try:
        eq(ids(search(s, "restarted", q="Saveword")), ["DEM-T-31"], "found after a restart")
        log = s.log_text()
        want = "at store change %d, caught up to %d:" % (writes[1], writes[1])
        if want not in log or snapshot_writes(log):
            raise AssertionError("want the shutdown snapshot loaded with nothing to replay "
                                 "(%r) and nothing written:\n%s" % (want, log[-1500:]))
    finally:
        code = s.stop()
    eq(code, 0, "exit status after the restart")


def run(workdir, tap):
    s = None
    try:
        db = build_db(workdir, "search.db", FIXTURES)
        s = Server(workdir, db, "--threads", "4")
        for t in (test_finds_imported_record, test_title_language, test_filters,
                  test_confidential_never_returned, test_bad_parameters, test_methods):
            tap.run(t, s)
        tap.run(test_catches_up_with_cli_writes, s, workdir, db)
        tap.run(test_expired_left_out, s, workdir, db)
        tap.run(test_concurrent_searches_and_writes, s, workdir, db)
        tap.run(test_confidential_never_returned, s)
        tap.run(test_healthz, s)
        log = s.log_text()
        tap.report("search index: built from the store" in log and
                   "GET /api/v1/search 200 " in log and "?q=" not in log,
                   "log: the index's origin, searches without their query text", log[-2000:])
    finally:
        if s is not None:
            code = s.stop()
            tap.report(code == 0, "server exit status %d" % code, s.log_text()[-2000:])
    tap.run(test_starts_from_snapshot, workdir)
    tap.run(test_ignores_corrupt_snapshot, workdir)
    tap.run(test_writes_snapshot, workdir)


if __name__ == "__main__":
    sys.exit(run_tap("http-search-", run))
