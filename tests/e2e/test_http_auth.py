#!/usr/bin/env python3
"""Accounts and writes over real HTTP: log-in sessions and their cookie,
CSRF, API tokens and their revocation, disabled accounts, create / update
/ delete with ETag and If-Match (428, 412: no lost update), validation that
names the field, body and page limits, rate limits (429 with Retry-After),
a trusted reverse proxy's X-Forwarded-For and -Proto (and no one else's),
import and export of files, and the operators' account routes.

Runs `innolink serve` on a free 127.0.0.1 port against a database built
from tests/fixtures/http.  Output is TAP.
"""
import datetime
import http.client
import json
import socket
import subprocess
import sys
import threading
import urllib.parse

from httptest import (INNOLINK, Client, Server, add_user, build_db, cli, eq, expect_problem,
                      run_tap)

PASSWORD = "password-1234"


def build(workdir):
    db = build_db(workdir, "auth.db",
                  (("regions", "region"), ("organizations", "organization"),
                   ("persons", "person"), ("demands", "demand"), ("deals", "deal")))
    tokens = {
        "root": add_user(db, "root", "operator"),
        "pumps": add_user(db, "pumps", "enterprise", org="ORG-T-3"),
        "laser": add_user(db, "laser", "enterprise", org="ORG-T-4"),
    }
    return db, tokens


def test_login_sets_a_strict_cookie(s):
    c = Client(s)
    r = c.login("pumps", PASSWORD)
    eq(r.status, 200, "log-in")
    cookie = r.header("set-cookie")
    for attr in ("HttpOnly", "SameSite=Strict", "Path=/"):
        if attr not in cookie:
            raise AssertionError("cookie lacks %s: %s" % (attr, cookie))
    doc = r.json()
    eq(doc["account"]["name"], "pumps", "account")
    eq(doc["account"]["org"], "ORG-T-3", "organization")
    eq(len(doc["csrf"]), 64, "csrf token")
    me = c.get("/api/v1/session").json()
    eq(me["account"]["role"], "enterprise", "session knows the account")
    eq(me["csrf"], doc["csrf"], "session gives the CSRF token back")
    eq(Client(s).get("/api/v1/session").json(), {"account": None, "csrf": None}, "public")


def test_wrong_logins_look_alike(s):
    answers = []
    for name, pw in (("pumps", "wrong-password"), ("nobody", PASSWORD), ("pumps", "")):
        r = Client(s).login(name, pw)
        p = expect_problem(r, 401, "eauth", "log-in %s" % name)
        if not r.header("www-authenticate"):
            raise AssertionError("401 without WWW-Authenticate")
        answers.append(p["detail"])
    eq(len(set(answers)), 1, "one answer for a wrong name and a wrong password")
    expect_problem(s.request("POST", "/api/v1/session", body=b"{"), 400, "einval", "bad JSON")
    p = expect_problem(s.request("POST", "/api/v1/session",
                                 body=json.dumps({"name": "pumps"}).encode()), 400, "einval",
                       "no password")
    if "password" not in p["detail"]:
        raise AssertionError("detail does not name the field: " + p["detail"])


def test_csrf(s):
    c = Client(s)
    c.login("pumps", PASSWORD)
    body = {"title": "需要CSRF的需求"}
    p = expect_problem(c.request("POST", "/api/v1/demands", body=body, csrf=False), 403,
                       "eperm", "write without the CSRF token")
    if "CSRF" not in p["detail"]:
        raise AssertionError(p["detail"])
    r = c.request("POST", "/api/v1/demands", body=body,
                  headers={"X-CSRF-Token": "0" * 64}, csrf=False)
    expect_problem(r, 403, "eperm", "wrong CSRF token")
    eq(c.request("POST", "/api/v1/demands", body=body).status, 201, "with the token")


def test_logout_ends_the_session(s):
    c = Client(s)
    c.login("laser", PASSWORD)
    r = c.request("DELETE", "/api/v1/session")
    eq(r.status, 204, "log-out")
    if "Max-Age=0" not in r.header("set-cookie"):
        raise AssertionError("log-out does not clear the cookie")
    eq(c.get("/api/v1/session").json()["account"], None, "the old cookie is no one")
    expect_problem(c.request("POST", "/api/v1/demands", body={"title": "x"}), 401, "eauth",
                   "write with the old cookie")


def test_tokens(s, tokens):
    root = Client(s, tokens["root"])
    r = root.request("POST", "/api/v1/tokens", body={"label": "script"})
    eq(r.status, 201, "token made")
    made = r.json()
    script = Client(s, made["token"])
    eq(script.get("/api/v1/session").json()["account"]["name"], "root", "token's account")
    listed = root.get("/api/v1/tokens").json()["items"]
    if not any(t["id"] == made["id"] and t["label"] == "script" for t in listed):
        raise AssertionError("token not listed: %r" % listed)
    if any("token" in t for t in listed):
        raise AssertionError("a token list shows secrets")
    eq(root.request("DELETE", "/api/v1/tokens/%d" % made["id"]).status, 204, "revoked")
    p = expect_problem(script.get("/api/v1/demands"), 401, "eauth", "revoked token")
    if "revoked" not in p["detail"]:
        raise AssertionError(p["detail"])
    expect_problem(Client(s, "f" * 64).get("/api/v1/demands"), 401, "eauth", "unknown token")
    expect_problem(s.request("GET", "/api/v1/demands", headers={"Authorization": "Basic eDp5"}),
                   401, "eauth", "not a bearer token")
    # another account's token is not this account's to revoke
    laser_token = Client(s, tokens["laser"]).request("POST", "/api/v1/tokens", body={}).json()
    expect_problem(root.request("DELETE", "/api/v1/tokens/%d" % laser_token["id"]), 404,
                   "enotfound", "someone else's token")


def test_disabled_account(workdir, db, s):
    tok = add_user(db, "temp", "enterprise", org="ORG-T-1")
    c = Client(s, tok)
    eq(c.get("/api/v1/session").json()["account"]["name"], "temp", "before")
    cli("user", "disable", "temp", "--db", db)
    expect_problem(c.get("/api/v1/session"), 401, "eauth", "token of a disabled account")
    expect_problem(Client(s).login("temp", PASSWORD), 401, "eauth", "log-in when disabled")


def test_create_update_delete_with_etags(s, tokens):
    c = Client(s, tokens["pumps"])
    r = c.request("POST", "/api/v1/demands",
                  body={"title": "柱塞表面强化", "budget": 88, "keywords": ["柱塞", "强化"],
                        "region": "4210", "visibility": "public"})
    eq(r.status, 201, "created (%r)" % r.body[:200])
    doc = r.json()
    path = r.header("location")
    eq(path, "/api/v1/demands/" + doc["id"], "Location")
    eq(r.header("etag"), '"1"', "ETag of a new record")
    eq(doc["owner"], "ORG-T-3", "owner")
    eq(doc["keywords"], ["柱塞", "强化"], "list field")
    created = datetime.date.fromisoformat(doc["created_at"][:10])
    eq(doc["expires"], (created + datetime.timedelta(days=365)).isoformat(),
       "a listing published here expires a year after, unless renewed")
    got = c.get(path)
    eq(got.header("etag"), '"1"', "ETag on read")
    p = expect_problem(c.request("PATCH", path, body={"budget": 90}), 428, "eprecond",
                       "PATCH without If-Match")
    if "If-Match" not in p["detail"]:
        raise AssertionError(p["detail"])
    expect_problem(c.request("PATCH", path, body={"budget": 90}, headers={"If-Match": "*"}),
                   428, "eprecond", "If-Match: *")
    r = c.write("PATCH", path, {"budget": 90}, etag='"1"')
    eq(r.status, 200, "PATCH")
    eq(r.header("etag"), '"2"', "new ETag")
    eq(r.json()["title"], "柱塞表面强化", "PATCH keeps what it does not name")
    # a second writer with the old ETag loses, and says so
    p = expect_problem(c.write("PATCH", path, {"budget": 95}, etag='"1"'), 412, "eprecond",
                       "stale If-Match")
    if "version is 2" not in p["detail"]:
        raise AssertionError(p["detail"])
    eq(c.get(path).json()["budget"], 90, "the stale write changed nothing")
    # PUT replaces: fields left out are cleared
    r = c.write("PUT", path, {"title": "柱塞表面强化（修订）", "region": "4210"}, etag='"2"')
    eq(r.status, 200, "PUT (%r)" % r.body[:200])
    put = r.json()
    eq("budget" in put, False, "PUT clears what it leaves out")
    eq(put["owner"], "ORG-T-3", "PUT keeps the owner an enterprise must keep")
    # what a GET gave can be sent back as it is
    back = c.get(path)
    eq(c.write("PUT", path, back.json(), etag=back.header("etag")).status, 200, "round trip")
    expect_problem(c.write("PUT", path, dict(back.json(), id="DEM-OTHER")), 400, "einval",
                   "PUT with another id")
    eq(c.write("DELETE", path).status, 204, "DELETE")
    expect_problem(c.get(path), 404, "enotfound", "deleted")
    hist = c.get(path + "/history").json()["items"]
    eq([v["source"] for v in hist], ["api:pumps"] * len(hist), "history names the writer")


def test_concurrent_writers_lose_no_update(s, tokens):
    c = Client(s, tokens["root"])
    path = "/api/v1/demands/DEM-T-3"
    etag = c.get(path).header("etag")
    results = []

    def write(n):
        results.append(c.write("PATCH", path, {"budget": 1000 + n}, etag=etag).status)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(sorted(results), [200] + [412] * 7, "one writer wins, the others learn they lost")


def test_search_sees_writes(s, tokens):
    # search answers titles from a cache; a write must reach the next search
    c = Client(s, tokens["root"])
    q = "/api/v1/search?q=" + urllib.parse.quote("激光熔覆") + "&kind=demand"
    hits = c.get(q).json()["items"]
    eq([h["id"] for h in hits], ["DEM-T-3"], "found before")
    eq(c.write("PATCH", "/api/v1/demands/DEM-T-3", {"title": "激光熔覆工艺优化（二期）"}).status,
       200, "retitled")
    eq(c.get(q).json()["items"][0]["title"], "激光熔覆工艺优化（二期）", "the new title is found")
    eq(c.write("PATCH", "/api/v1/demands/DEM-T-3", {"visibility": "confidential"}).status, 200,
       "made confidential")
    eq(Client(s).get(q).json()["items"], [], "the public no longer finds it")
    eq(len(c.get(q).json()["items"]), 1, "an operator still does")
    eq(c.write("PATCH", "/api/v1/demands/DEM-T-3", {"visibility": "public"}).status, 200,
       "public again")


def test_validation_names_the_field(s, tokens):
    c = Client(s, tokens["root"])
    cases = [
        ({"title": "x", "budget": "lots"}, "budget"),
        ({"title": "x", "deadline": "next week"}, "deadline"),
        ({"title": "x", "visibility": "secret"}, "visibility"),
        ({"title": "x", "budgte": 1}, "budgte"),
        ({"title": "x", "owner": "ORG-NOPE"}, "ORG-NOPE"),
        ({"budget": 1}, "title"),
        ({"title": "x", "keywords": [{"a": 1}]}, "keywords"),
        ({"title": "x", "trl_need": 12}, "trl_need"),
    ]
    for body, field in cases:
        r = c.request("POST", "/api/v1/demands", body=body)
        if r.status not in (400, 404):
            raise AssertionError("%r: %d" % (body, r.status))
        p = r.json()
        if field not in p["detail"]:
            raise AssertionError("%r: detail does not name %s: %s" % (body, field, p["detail"]))
    expect_problem(c.request("POST", "/api/v1/demands", body=b"[1,2]"), 400, "einval", "array")
    p = expect_problem(c.request("POST", "/api/v1/demands", body=b'{"title": "x",}'), 400,
                       "einval", "bad JSON")
    if "line 1" not in p["detail"]:
        raise AssertionError(p["detail"])
    expect_problem(c.request("POST", "/api/v1/demands", body={"id": "DEM-X", "title": "x",
                                                               "id2": 1}), 400, "einval", "id2")
    # only operators choose ids
    p = expect_problem(Client(s, tokens["pumps"]).request(
        "POST", "/api/v1/demands", body={"id": "DEM-T-2", "title": "probe"}), 400, "einval",
        "an enterprise choosing an id")
    if "id" not in p["detail"]:
        raise AssertionError(p["detail"])
    expect_problem(c.request("POST", "/api/v1/nokind", body={"title": "x"}), 404, "enotfound",
                   "unknown kind")


def test_limits(s, tokens):
    c = Client(s, tokens["root"])
    expect_problem(c.get("/api/v1/demands?limit=201"), 400, "einval", "page size")
    # refused from the headers, before the body is sent
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as sock:
        sock.sendall(("POST /api/v1/demands HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                      "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                      % (tokens["root"], 2 << 20)).encode())
        head = sock.recv(4096).decode("utf-8", "replace")
    if not head.startswith("HTTP/1.1 413"):
        raise AssertionError("body over the limit: " + head[:200])
    r = c.get("/api/v1/search?q=" + "a" * 9000)
    eq(r.status, 414, "query too long")


def test_import_and_export(s, tokens):
    root = Client(s, tokens["root"])
    csv = "id,name_zh,kind,region\nORG-IMP-1,导入测试企业,enterprise,4201\n".encode()
    r = root.request("POST", "/api/v1/import/organizations?format=csv", body=csv)
    eq(r.status, 200, "import (%r)" % r.body[:300])
    eq(r.json()["inserted"], 1, "inserted")
    eq(root.get("/api/v1/organizations/ORG-IMP-1").json()["source"][:4], "api:", "source")
    bad = "id,name_zh,kind\nORG-IMP-2,坏行,spaceship\n".encode()
    p = expect_problem(root.request("POST", "/api/v1/import/organizations?format=csv", body=bad),
                       400, "einval", "bad row")
    if "upload:2" not in p["detail"] or "kind" not in p["detail"] or "/tmp" in p["detail"]:
        raise AssertionError(p["detail"])
    expect_problem(root.request("POST", "/api/v1/import/organizations", body=csv), 400, "einval",
                   "import without a format")
    r = root.get("/api/v1/export/organizations?format=csv&kind=enterprise")
    eq(r.status, 200, "export")
    eq(r.header("content-type"), "text/csv; charset=utf-8", "content type")
    if "attachment" not in r.header("content-disposition"):
        raise AssertionError("not an attachment")
    text = r.body.decode("utf-8-sig")
    if "ORG-IMP-1" not in text or "ORG-T-2" in text:
        raise AssertionError("export does not follow the filter:\n" + text[:500])
    r = root.get("/api/v1/export/demands?format=xlsx")
    eq(r.body[:2], b"PK", "xlsx is a zip")
    expect_problem(root.get("/api/v1/export/demands?format=pdf"), 400, "einval", "format")
    expect_problem(Client(s).get("/api/v1/export/deals"), 403, "eperm", "deals by the public")


def test_accounts_routes(s, tokens):
    root = Client(s, tokens["root"])
    r = root.request("POST", "/api/v1/accounts",
                     body={"name": "wuhan-op", "role": "city_operator", "region": "4201",
                           "password": PASSWORD})
    eq(r.status, 201, "account made (%r)" % r.body[:200])
    for body, field in (({"name": "x1", "role": "king", "password": PASSWORD}, "role"),
                        ({"name": "x2", "role": "city_operator", "password": PASSWORD},
                         "region"),
                        ({"name": "x3", "role": "enterprise", "org": "ORG-NOPE",
                          "password": PASSWORD}, "org"),
                        ({"name": "x4", "role": "operator", "password": "short"}, "password"),
                        ({"name": "wuhan-op", "role": "operator", "password": PASSWORD},
                         "wuhan-op")):
        r = root.request("POST", "/api/v1/accounts", body=body)
        if r.status < 400 or field not in r.json()["detail"]:
            raise AssertionError("%r: %d %r" % (body, r.status, r.body[:200]))
    names = [a["name"] for a in root.get("/api/v1/accounts").json()["items"]]
    if "wuhan-op" not in names or any("pwhash" in a for a in names):
        raise AssertionError(names)
    eq(Client(s).login("wuhan-op", PASSWORD).status, 200, "the new account logs in")
    r = root.request("PATCH", "/api/v1/accounts/wuhan-op", body={"disabled": True})
    eq(r.json()["disabled"], True, "disabled")
    eq(Client(s).login("wuhan-op", PASSWORD).status, 401, "a disabled account cannot log in")


def at_once(calls):
    """Runs the calls in threads started together; their results in order."""
    results = [None] * len(calls)

    def run(i):
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_rate_limits(workdir, db, tokens):
    s = Server(workdir, db, "--rate-limit", "5,2")
    try:
        statuses = [s.get("/api/v1/regions").status for _ in range(30)]
        if 429 not in statuses:
            raise AssertionError("no 429 in %r" % statuses)
        r = s.get("/api/v1/regions")
        while r.status != 429:
            r = s.get("/api/v1/regions")
        p = expect_problem(r, 429, "ebusy", "read flood")
        if not r.header("retry-after") or int(r.header("retry-after")) < 1:
            raise AssertionError("Retry-After: %r" % r.header("retry-after"))
        if "address" not in p["detail"]:
            raise AssertionError(p["detail"])
    finally:
        s.stop()
    s = Server(workdir, db, "--rate-limit", "100000,1")
    try:
        c = Client(s, tokens["root"])
        statuses = [c.request("POST", "/api/v1/tokens", body={}).status for _ in range(6)]
        if statuses.count(201) > 3 or 429 not in statuses:
            raise AssertionError("writes: %r" % statuses)
        # log-ins count as writes: guessing passwords is held back too.  The
        # guesses go at once: one at a time, each Argon2id check (slow under
        # a sanitizer) would give the bucket time to refill.
        guesses = at_once([lambda i=i: Client(s).login("root", "guess-%d" % i).status
                           for i in range(6)])
        if 429 not in guesses:
            raise AssertionError("log-ins: %r" % guesses)
        eq(s.get("/api/v1/regions").status, 200, "reads go on")
    finally:
        s.stop()
    # one account's password guessed from many addresses: held back by its name
    s = Server(workdir, db, "--rate-limit", "100000,1")
    try:
        def guess(i):
            conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60,
                                              source_address=("127.0.0.%d" % (i + 2), 0))
            try:
                conn.request("POST", "/api/v1/session", body=json.dumps(
                    {"name": "root", "password": "guess-%d" % i}).encode())
                return conn.getresponse().status
            finally:
                conn.close()

        # each address alone is under its limit, so only the name's limit can
        # answer 429; how many pass depends on how far apart the six arrive
        # on a loaded machine (the bucket refills one a second)
        statuses = at_once([lambda i=i: guess(i) for i in range(6)])
        if 429 not in statuses or statuses.count(401) > 4:
            raise AssertionError("guesses from six addresses: %r" % statuses)
    finally:
        s.stop()


def test_trusted_proxy(workdir, db):
    """Only the proxy named by --trusted-proxy may name the client and the
    scheme: rate limits then count each forwarded client, and a log-in
    forwarded from HTTPS gets a Secure cookie."""
    def reads(s, addresses):
        return [s.request("GET", "/api/v1/regions", headers={"X-Forwarded-For": a}).status
                for a in addresses]

    def cookie(s, proto):
        h = {"Content-Type": "application/json", "X-Forwarded-For": "198.51.100.9"}
        if proto:
            h["X-Forwarded-Proto"] = proto
        r = s.request("POST", "/api/v1/session", headers=h,
                      body=json.dumps({"name": "root", "password": PASSWORD}).encode())
        eq(r.status, 200, "log-in through the proxy")
        return r.header("set-cookie")

    # the proxy appends the client it saw; what comes before, the client wrote
    many = ["10.0.0.1, 203.0.113.%d" % i for i in range(1, 31)]
    s = Server(workdir, db, "--rate-limit", "5,100000", "--trusted-proxy", "127.0.0.1")
    try:
        if "Secure" not in cookie(s, "https") or "Secure" in cookie(s, "http"):
            raise AssertionError("the cookie's Secure flag does not follow X-Forwarded-Proto")
        eq(reads(s, many), [200] * 30, "thirty clients behind the proxy, one read each")
        if 429 not in reads(s, ["192.0.2.1"] * 30):
            raise AssertionError("one forwarded client's flood was not held back")
        if 429 not in reads(s, ["not an address"] * 30):
            raise AssertionError("malformed X-Forwarded-For headers escaped the limit")
        eq(reads(s, ["192.0.2.2"]), [200], "another client is not held back")
    finally:
        s.stop()
    s = Server(workdir, db, "--rate-limit", "5,100000")
    try:
        if "Secure" in cookie(s, "https"):
            raise AssertionError("X-Forwarded-Proto believed without --trusted-proxy")
        if 429 not in reads(s, many):
            raise AssertionError("X-Forwarded-For believed without --trusted-proxy")
    finally:
        s.stop()
    p = subprocess.run([INNOLINK, "serve", "--db", db, "--trusted-proxy", "nginx"],
                       capture_output=True, text=True, timeout=60)
    eq(p.returncode, 2, "--trusted-proxy takes an address (%s)" % p.stderr.strip())


def main():
    def body(workdir, tap):
        db, tokens = build(workdir)
        s = Server(workdir, db, "--rate-limit", "100000,100000")
        try:
            tap.run(test_login_sets_a_strict_cookie, s)
            tap.run(test_wrong_logins_look_alike, s)
            tap.run(test_csrf, s)
            tap.run(test_logout_ends_the_session, s)
            tap.run(test_tokens, s, tokens)
            tap.run(test_disabled_account, workdir, db, s)
            tap.run(test_create_update_delete_with_etags, s, tokens)
            tap.run(test_concurrent_writers_lose_no_update, s, tokens)
            tap.run(test_search_sees_writes, s, tokens)
            tap.run(test_validation_names_the_field, s, tokens)
            tap.run(test_limits, s, tokens)
            tap.run(test_import_and_export, s, tokens)
            tap.run(test_accounts_routes, s, tokens)
        finally:
            s.stop()
        tap.run(test_rate_limits, workdir, db, tokens)
        tap.run(test_trusted_proxy, workdir, db)
    return run_tap("auth-", body)


if __name__ == "__main__":
    sys.exit(main())
