#!/usr/bin/env python3
"""The read-only JSON API over real HTTP: routes, paging, filters,
confidentiality, problem documents, methods and static files.

Runs `innolink serve` (env INNOLINK) on a free 127.0.0.1 port against a
database built from tests/fixtures/http with `innolink init` and `import`,
in a scratch directory under IL_TEST_TMPDIR.  Output is TAP.
"""
import http.client
import json
import os
import sys
import urllib.parse

from httptest import Server, build_db, eq, expect_problem, run_tap

SECRET = "SECRET-FORMULA"  # text only the confidential demand holds


def expect_json(r, status, what):
    eq(r.status, status, what + " status (body %r)" % r.body[:300])
    eq(r.header("content-type"), "application/json; charset=utf-8", what + " content type")
    eq(r.header("x-content-type-options"), "nosniff", what + " nosniff")
    return r.json()


def expect_api_problem(r, status, errname, path, what):
    """A problem document as the API answers one: besides what expect_problem
    checks, no caching, nosniff, exactly the RFC 9457 members, the path as
    instance and a title and detail."""
    p = expect_problem(r, status, errname, what)
    eq(r.header("cache-control"), "no-store", what + " cache-control")
    eq(r.header("x-content-type-options"), "nosniff", what + " nosniff")
    eq(sorted(p), ["detail", "instance", "status", "title", "type"], what + " members")
    eq(p["instance"], path, what + " instance")
    if not p["title"] or not p["detail"]:
        raise AssertionError(what + ": empty title or detail: %r" % p)
    return p


def ids(doc):
    return [item["id"] for item in doc["items"]]


def build_api_db(workdir):
    return build_db(workdir, "api.db", (("regions", "region"), ("organizations", "organization"),
                                        ("demands", "demand"), ("demands-v2", "demand"),
                                        ("deals", "deal"), ("matches", "match")))


def build_web(workdir):
    web = os.path.join(workdir, "web")
    os.makedirs(os.path.join(web, "css"))
    os.makedirs(os.path.join(web, ".hidden"))
    files = {
        "index.html": "<!doctype html><title>innolink</title>",
        "css/app.css": "body { margin: 0 }",
        "app.mjs": "export const x = 1;",
        "logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "data.json": "{}",
        ".hidden/key": "hidden",
    }
    for name, text in files.items():
        with open(os.path.join(web, name), "w") as f:
            f.write(text)
    with open(os.path.join(workdir, "outside.txt"), "w") as f:
        f.write("OUTSIDE-THE-WEB-ROOT")
    return web


# ---- health and index ----

def test_healthz(s):
    r = s.get("/healthz")
    doc = expect_json(r, 200, "/healthz")
    eq(doc["status"], "ok", "status")
    if not isinstance(doc["schema"], int) or doc["schema"] < 1:
        raise AssertionError("schema: %r" % doc["schema"])
    if not isinstance(doc["version"], str) or not doc["version"]:
        raise AssertionError("version: %r" % doc["version"])
    eq(r.header("cache-control"), "no-store", "cache-control")
    h = s.request("HEAD", "/healthz")
    eq(h.status, 200, "HEAD status")
    eq(h.body, b"", "HEAD body")


def test_api_index(s):
    doc = expect_json(s.get("/api/v1"), 200, "/api/v1")
    hrefs = [k["href"] for k in doc["kinds"]]
    for h in ("/api/v1/organizations", "/api/v1/demands", "/api/v1/regions"):
        if h not in hrefs:
            raise AssertionError("%s missing from %r" % (h, hrefs))


# ---- lists ----

def test_list_shape_and_defaults(s):
    r = s.get("/api/v1/organizations")
    eq(r.header("cache-control"), "no-store", "cache-control")
    doc = expect_json(r, 200, "list")
    eq(sorted(doc), ["items", "limit", "next", "offset", "total"], "members")
    eq(doc["total"], 7, "total")
    eq(doc["offset"], 0, "offset")
    eq(doc["limit"], 20, "default limit")
    eq(doc["next"], None, "next")
    eq(ids(doc), ["ORG-T-%d" % i for i in range(1, 8)], "ids in id order")
    item = doc["items"][0]
    eq(item["kind"], "enterprise", "kind value")
    eq(item["kind_label"], "enterprise", "English label by default")
    if "version" in item:
        raise AssertionError("list items carry no metadata")


def test_paging_follows_next(s):
    path = "/api/v1/organizations?limit=3"
    seen, pages = [], []
    while path:
        doc = expect_json(s.get(path), 200, path)
        eq(doc["total"], 7, "total on every page")
        eq(doc["limit"], 3, "limit")
        pages.append((doc["offset"], len(doc["items"])))
        seen += ids(doc)
        path = doc["next"]
        if path is not None:
            q = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
            eq(q.get("limit"), ["3"], "next keeps the limit")
            eq(q.get("offset"), [str(doc["offset"] + 3)], "next offset")
    eq(pages, [(0, 3), (3, 3), (6, 1)], "pages")
    eq(seen, ["ORG-T-%d" % i for i in range(1, 8)], "all ids once, in order")


def test_paging_keeps_filters_and_ends(s):
    doc = expect_json(s.get("/api/v1/organizations?region=4201&limit=1&offset=1"), 200, "page")
    eq(doc["total"], 4, "total")
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(doc["next"]).query)
    eq(q, {"region": ["4201"], "limit": ["1"], "offset": ["2"]}, "next query")
    doc = expect_json(s.get("/api/v1/organizations?region=4201&limit=1&offset=3"), 200, "last")
    eq(len(doc["items"]), 1, "last page items")
    eq(doc["next"], None, "no next after the last page")
    doc = expect_json(s.get("/api/v1/organizations?offset=100"), 200, "past the end")
    eq((doc["items"], doc["total"], doc["next"]), ([], 7, None), "past the end")


def test_region_includes_subregions(s):
    doc = expect_json(s.get("/api/v1/organizations?region=4201&limit=200"), 200, "region")
    # ORG-T-1 and ORG-T-5 are in district 420111, under city 4201
    eq(ids(doc), ["ORG-T-1", "ORG-T-2", "ORG-T-4", "ORG-T-5"], "ids under Wuhan")
    eq(doc["total"], 4, "total")
    doc = expect_json(s.get("/api/v1/organizations?region=420111"), 200, "district")
    eq(ids(doc), ["ORG-T-1", "ORG-T-5"], "ids in the district")
    doc = expect_json(s.get("/api/v1/organizations?region=42"), 200, "province")
    eq(doc["total"], 7, "the province holds every city")


def test_field_filters(s):
    doc = expect_json(s.get("/api/v1/organizations?kind=enterprise&high_tech=1"), 200, "f")
    eq(ids(doc), ["ORG-T-1", "ORG-T-4", "ORG-T-6"], "high-tech enterprises")
    q = urllib.parse.urlencode({"kind": "企业", "high_tech": "是"})
    doc = expect_json(s.get("/api/v1/organizations?" + q), 200, "Chinese values")
    eq(ids(doc), ["ORG-T-1", "ORG-T-4", "ORG-T-6"], "same filter written in Chinese")
    doc = expect_json(s.get("/api/v1/organizations?kind=university"), 200, "university")
    eq(ids(doc), ["ORG-T-2"], "universities")
    doc = expect_json(s.get("/api/v1/demands?region=4201&limit=5"), 200, "demands by region")
    eq(ids(doc), ["DEM-T-1", "DEM-T-5"], "public demands under Wuhan")


def test_prefix_and_lang(s):
    q = urllib.parse.quote("武汉")
    doc = expect_json(s.get("/api/v1/organizations?q=" + q), 200, "prefix")
    eq(ids(doc), ["ORG-T-1", "ORG-T-2", "ORG-T-4"], "names starting with 武汉")
    doc = expect_json(s.get("/api/v1/organizations?kind=university&lang=zh"), 200, "zh")
    eq(doc["items"][0]["kind_label"], "高校", "Chinese label")
    doc = expect_json(s.get("/api/v1/organizations?kind=university&lang=en"), 200, "en")
    eq(doc["items"][0]["kind_label"], "university", "English label")


def test_kind_names(s):
    for kind in ("organization", "organizations", urllib.parse.quote("机构")):
        doc = expect_json(s.get("/api/v1/%s?limit=1" % kind), 200, kind)
        eq(doc["total"], 7, kind + " total")
    expect_api_problem(s.get("/api/v1/widgets"), 404, "enotfound", "/api/v1/widgets", "bad kind")


def test_bad_list_parameters(s):
    cases = [
        ("colour=red", "colour"),
        ("description=x", "description"),  # a field, but not a filter
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=1000", "limit"),
        ("limit=201", "limit"),
        ("offset=abc", "offset"),
        ("offset=-5", "offset"),
        ("offset=1e3", "offset"),
        ("lang=fr", "lang"),
        ("high_tech=maybe", "high_tech"),
        ("limit=1&limit=2", "limit"),
    ]
    for query, name in cases:
        p = expect_api_problem(s.get("/api/v1/organizations?" + query), 400, "einval",
                           "/api/v1/organizations", query)
        if name not in p["detail"]:
            raise AssertionError("%s: detail %r does not name %s" % (query, p["detail"], name))


# ---- single records and history ----

def test_get_record(s):
    doc = expect_json(s.get("/api/v1/organizations/ORG-T-1"), 200, "get")
    eq(doc["id"], "ORG-T-1", "id")
    eq(doc["high_tech"], True, "typed boolean")
    eq(doc["kind_label"], "enterprise", "label")
    eq(doc["version"], 1, "metadata: version")
    for key in ("created_at", "updated_at", "source"):
        if key not in doc:
            raise AssertionError("metadata %s missing: %r" % (key, doc))
    doc = expect_json(s.get("/api/v1/organizations/ORG-T-2?lang=zh"), 200, "zh")
    eq(doc["kind_label"], "高校", "Chinese label")
    p = expect_api_problem(s.get("/api/v1/organizations/NOPE"), 404, "enotfound",
                       "/api/v1/organizations/NOPE", "missing")
    if "NOPE" not in p["detail"]:
        raise AssertionError("detail should name the id: %r" % p["detail"])
    expect_api_problem(s.get("/api/v1/organizations/ORG-T-1?x=1"), 400, "einval",
                   "/api/v1/organizations/ORG-T-1", "unknown parameter")


def test_history(s):
    doc = expect_json(s.get("/api/v1/demands/DEM-T-1/history"), 200, "history")
    eq(sorted(doc), ["items"], "members")
    eq([v["version"] for v in doc["items"]], [1, 2], "versions oldest first")
    eq([v["budget"] for v in doc["items"]], [120, 150], "each version's values")
    expect_api_problem(s.get("/api/v1/demands/DEM-T-99/history"), 404, "enotfound",
                   "/api/v1/demands/DEM-T-99/history", "no history")


# ---- confidentiality ----

def test_confidential_absent_from_lists(s):
    r = s.get("/api/v1/demands?limit=200")
    doc = expect_json(r, 200, "demands")
    # DEM-T-2 is confidential; DEM-T-4 became confidential in its second version
    eq(ids(doc), ["DEM-T-1", "DEM-T-3", "DEM-T-5"], "public demands")
    eq(doc["total"], 3, "total counts public demands only")
    for leak in (b"DEM-T-2", b"DEM-T-4", SECRET.encode()):
        if leak in r.body:
            raise AssertionError("list leaks %r" % leak)
    doc = expect_json(s.get("/api/v1/demands?visibility=confidential"), 200, "filter")
    eq((doc["items"], doc["total"]), ([], 0), "asking for confidential ones")
    doc = expect_json(s.get("/api/v1/demands?limit=1&offset=2"), 200, "paging")
    eq((ids(doc), doc["total"], doc["next"]), (["DEM-T-5"], 3, None), "paging skips them")
    q = urllib.parse.quote("新型")
    doc = expect_json(s.get("/api/v1/demands?q=" + q), 200, "prefix")
    eq((doc["items"], doc["total"]), ([], 0), "title prefix of a confidential demand")


def test_confidential_by_id_is_missing(s):
    secret = s.get("/api/v1/demands/DEM-T-2")
    missing = s.get("/api/v1/demands/DEM-T-0")
    a = expect_api_problem(secret, 404, "enotfound", "/api/v1/demands/DEM-T-2", "confidential")
    b = expect_api_problem(missing, 404, "enotfound", "/api/v1/demands/DEM-T-0", "missing")
    eq(a["detail"].replace("DEM-T-2", "ID"), b["detail"].replace("DEM-T-0", "ID"),
       "the same detail as for a missing demand")
    eq(a["title"], b["title"], "title")
    eq(sorted(secret.headers), sorted(missing.headers), "the same headers")
    if SECRET.encode() in secret.body:
        raise AssertionError("the 404 leaks the demand")
    expect_api_problem(s.get("/api/v1/demands/DEM-T-4"), 404, "enotfound",
                   "/api/v1/demands/DEM-T-4", "public, then confidential")
    expect_api_problem(s.get("/api/v1/demand/DEM-T-2"), 404, "enotfound",
                   "/api/v1/demand/DEM-T-2", "singular kind name")


def test_confidential_history(s):
    for demand in ("DEM-T-2", "DEM-T-4"):
        path = "/api/v1/demands/%s/history" % demand
        expect_api_problem(s.get(path), 404, "enotfound", path, demand + " history")
    # DEM-T-5 was confidential in version 1 and public in version 2
    r = s.get("/api/v1/demands/DEM-T-5/history")
    doc = expect_json(r, 200, "history")
    eq([v["version"] for v in doc["items"]], [2], "only the public version")
    if b"confidential" in r.body:
        raise AssertionError("history shows a confidential version")


def test_confidential_references(s):
    r = s.get("/api/v1/deals/DEA-T-1")
    doc = expect_json(r, 200, "deal")
    if "demand" in doc or b"DEM-T-2" in r.body:
        raise AssertionError("the deal names the confidential demand: %r" % doc)
    doc = expect_json(s.get("/api/v1/deals/DEA-T-2"), 200, "deal 2")
    eq(doc.get("demand"), "DEM-T-1", "a public demand stays named")
    r = s.get("/api/v1/deals")
    if b"DEM-T-2" in r.body:
        raise AssertionError("the deal list names the confidential demand")
    r = s.get("/api/v1/matches")
    doc = expect_json(r, 200, "matches")
    eq(ids(doc), ["MAT-T-2"], "a match of the confidential demand is not shown")
    expect_api_problem(s.get("/api/v1/matches/MAT-T-1"), 404, "enotfound",
                   "/api/v1/matches/MAT-T-1", "its match by id")
    doc = expect_json(s.get("/api/v1/matches?from_id=DEM-T-2"), 200, "filter by it")
    eq((doc["items"], doc["total"]), ([], 0), "filtering by the confidential id")


# ---- errors, methods ----

def test_unknown_paths(s):
    for path in ("/nope", "/api", "/api/v2/demands", "/api/v1/demands/DEM-T-1/nope",
                 "/healthz/x"):
        expect_api_problem(s.get(path), 404, "enotfound", path, path)


def test_wrong_method(s):
    for method, path, allow in (("POST", "/healthz", "GET, HEAD"), ("PUT", "/", "GET, HEAD"),
                                ("OPTIONS", "/api/v1/demands", "GET, HEAD, POST"),
                                ("DELETE", "/healthz", "GET, HEAD")):
        r = s.request(method, path)
        expect_api_problem(r, 405, "emethod", path, method + " " + path)
        eq(r.header("allow"), allow, "Allow header")


def test_writes_need_credentials(s):
    body = json.dumps({"title": "x"}).encode()
    for method, path in (("POST", "/api/v1/demands"), ("PUT", "/api/v1/demands/DEM-T-1"),
                         ("PATCH", "/api/v1/demands/DEM-T-1"),
                         ("DELETE", "/api/v1/demands/DEM-T-1"), ("POST", "/api/v1/nope")):
        r = s.request(method, path, body=body, headers={"Content-Type": "application/json"})
        expect_api_problem(r, 401, "eauth", path, method + " " + path)
        if not r.header("www-authenticate"):
            raise AssertionError("401 without WWW-Authenticate")
    doc = expect_json(s.get("/api/v1/demands/DEM-T-1"), 200, "unchanged")
    eq(doc["version"], 2, "nothing was written")


def test_body_read_on_keep_alive(s):
    # the 401 reads and drops the body, so the connection serves the next request
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=20)
    try:
        conn.request("POST", "/api/v1/demands", body=b"x" * 200000)
        r = conn.getresponse()
        r.read()
        eq(r.status, 401, "POST status")
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        eq(r.status, 200, "next request on the same connection")
        r.read()
    finally:
        conn.close()


# ---- static files ----

def test_static_files(w):
    cases = [("/", "text/html; charset=utf-8", b"<!doctype html>"),
             ("/index.html", "text/html; charset=utf-8", b"<!doctype html>"),
             ("/css/app.css", "text/css; charset=utf-8", b"margin"),
             ("/app.mjs", "text/javascript; charset=utf-8", b"export"),
             ("/logo.svg", "image/svg+xml", b"<svg"),
             ("/data.json", "application/json; charset=utf-8", b"{}"),
             ("/css/", "text/html; charset=utf-8", None)]
    for path, ctype, start in cases:
        r = w.get(path)
        if start is None:
            expect_api_problem(r, 404, "enotfound", path, "directory without index.html")
            continue
        eq(r.status, 200, path)
        eq(r.header("content-type"), ctype, path + " content type")
        eq(r.header("x-content-type-options"), "nosniff", path + " nosniff")
        if start not in r.body:
            raise AssertionError("%s: body %r" % (path, r.body[:80]))
    expect_api_problem(w.get("/missing.js"), 404, "enotfound", "/missing.js", "missing file")
    doc = expect_json(w.get("/healthz"), 200, "API beside files")
    eq(doc["status"], "ok", "health")


def test_static_traversal(w):
    for path in ("/../outside.txt", "/css/../../outside.txt", "/%2e%2e/outside.txt",
                 "/css/..%2F..%2Foutside.txt", "/css/%2E%2E/%2E%2E/outside.txt",
                 "/..%5Coutside.txt", "/.hidden/key", "/%00/index.html", "/./index.html"):
        r = w.get(path)
        if r.status not in (400, 404):
            raise AssertionError("%s answered %d" % (path, r.status))
        eq(r.header("content-type"), "application/problem+json", path + " content type")
        for leak in (b"OUTSIDE", b"hidden"):
            if leak in r.body.replace(b".hidden", b""):
                raise AssertionError("%s leaks %r" % (path, r.body))
    eq(w.get("/index.html").status, 200, "still serving")


def test_no_web_root(n):
    doc = expect_json(n.get("/"), 200, "JSON index")
    eq(doc["api"], "/api/v1", "api link")
    expect_api_problem(n.get("/index.html"), 404, "enotfound", "/index.html", "no files")


def run(workdir, tap):
    servers = []
    try:
        db = build_api_db(workdir)
        web = build_web(workdir)
        s = Server(workdir, db, "--web", web)
        servers.append(s)
        n = Server(workdir, db, "--web", os.path.join(workdir, "no-such-dir"))
        servers.append(n)
        for t in (test_healthz, test_api_index, test_list_shape_and_defaults,
                  test_paging_follows_next, test_paging_keeps_filters_and_ends,
                  test_region_includes_subregions, test_field_filters, test_prefix_and_lang,
                  test_kind_names, test_bad_list_parameters, test_get_record, test_history,
                  test_confidential_absent_from_lists, test_confidential_by_id_is_missing,
                  test_confidential_history, test_confidential_references,
                  test_unknown_paths, test_wrong_method, test_writes_need_credentials,
                  test_body_read_on_keep_alive, test_static_files, test_static_traversal):
            tap.run(t, s)
        tap.run(test_no_web_root, n)
        log = s.log_text()
        tap.report("GET /api/v1/demands 200 " in log and "POST /healthz 405 " in log,
                   "access log", log[-2000:])
    finally:
        for srv in servers:
            code = srv.stop()
            if code != 0:
                tap.report(False, "server exit status %d" % code, srv.log_text()[-2000:])


if __name__ == "__main__":
    sys.exit(run_tap("http-api-", run))
