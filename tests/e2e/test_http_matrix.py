#!/usr/bin/env python3
"""The matrix of role x route x record ownership: every account kind (and
the public) asks every route that reads or writes records, on records it
owns, records of its region, records of others and a confidential demand,
and each answer's status is checked against the table below.

Records (tests/fixtures/http): DEM-T-1 public demand of ORG-T-3 in 420111
(Hongshan, inside Wuhan 4201); DEM-T-2 confidential demand of ORG-T-6 in
4201, matched with ORG-T-2 (MAT-T-1); ORG-T-4 an enterprise in 4201;
PER-T-1 an expert; region 4201.  Output is TAP.
"""
import sys
import urllib.parse

from httptest import Client, Server, add_user, build_db, eq, expect_problem, run_tap

SECRET = "SECRET-FORMULA"

# callers: name -> (role, refs)
CALLERS = {
    "operator": ("operator", {}),
    "wuhan": ("city_operator", {"region": "4201"}),
    "jingzhou": ("city_operator", {"region": "4210"}),
    "pumps": ("enterprise", {"org": "ORG-T-3"}),  # owns DEM-T-1
    "petro": ("enterprise", {"org": "ORG-T-6"}),  # owns DEM-T-2 (confidential)
    "laser": ("enterprise", {"org": "ORG-T-4"}),  # owns nothing asked about
    "university": ("institution", {"org": "ORG-T-2"}),  # matched with DEM-T-2
    "testing": ("agency", {"org": "ORG-T-7"}),
    "zhang": ("expert", {"person": "PER-T-1"}),
}
ORDER = ["public"] + list(CALLERS)

# Reading the confidential demand DEM-T-2 by id: 200 or the 404 of a missing one.
SEE_CONFIDENTIAL = {"operator": 200, "wuhan": 200, "jingzhou": 404, "pumps": 404, "petro": 200,
                    "laser": 404, "university": 200, "testing": 404, "zhang": 404, "public": 404}

# (method, path, body) -> expected status per caller.
WRITES = [
    ("PATCH", "/api/v1/demands/DEM-T-1", {"budget": 130},
     {"operator": 200, "wuhan": 200, "jingzhou": 403, "pumps": 200, "petro": 403, "laser": 403,
      "university": 403, "testing": 403, "zhang": 403, "public": 401}),
    # the confidential demand: those who cannot see it get the 404 of a missing one
    ("PATCH", "/api/v1/demands/DEM-T-2", {"budget": 310},
     {"operator": 200, "wuhan": 200, "jingzhou": 404, "pumps": 404, "petro": 200, "laser": 404,
      "university": 403, "testing": 404, "zhang": 404, "public": 401}),
    ("PATCH", "/api/v1/organizations/ORG-T-4", {"description": "Fibre lasers and optics"},
     {"operator": 200, "wuhan": 200, "jingzhou": 403, "pumps": 403, "petro": 403, "laser": 200,
      "university": 403, "testing": 403, "zhang": 403, "public": 401}),
    ("PATCH", "/api/v1/persons/PER-T-1", {"title": "教授"},
     {"operator": 200, "wuhan": 200, "jingzhou": 403, "pumps": 403, "petro": 403, "laser": 403,
      "university": 403, "testing": 403, "zhang": 200, "public": 401}),
    ("PATCH", "/api/v1/regions/420111", {"description": "光谷所在地"},
     {"operator": 200, "wuhan": 200, "jingzhou": 403, "pumps": 403, "petro": 403, "laser": 403,
      "university": 403, "testing": 403, "zhang": 403, "public": 401}),
    # a demand moved out of the caller's reach is refused (old in, new out)
    ("PATCH", "/api/v1/demands/DEM-T-1", {"owner": "ORG-T-4"},
     {"operator": None, "wuhan": None, "jingzhou": 403, "pumps": 403, "petro": 403,
      "laser": 403, "university": 403, "testing": 403, "zhang": 403, "public": 401}),
    ("PATCH", "/api/v1/demands/DEM-T-1", {"region": "4210"},
     {"operator": None, "wuhan": 403, "jingzhou": 403, "pumps": None, "petro": 403,
      "laser": 403, "university": 403, "testing": 403, "zhang": 403, "public": 401}),
    # feedback on a match: its parties (and operators of its region) may set its state;
    # who cannot see the confidential demand it is from gets a 404
    ("PATCH", "/api/v1/matches/MAT-T-1", {"state": "useful"},
     {"operator": 200, "wuhan": 200, "jingzhou": 404, "pumps": 404, "petro": 200, "laser": 404,
      "university": 200, "testing": 404, "zhang": 404, "public": 401}),
    # a party may change nothing else
    ("PATCH", "/api/v1/matches/MAT-T-2", {"score": 0.99},
     {"operator": None, "wuhan": None, "jingzhou": 403, "pumps": 403, "petro": 403,
      "laser": 403, "university": 403, "testing": 403, "zhang": 403, "public": 401}),
    ("DELETE", "/api/v1/organizations/ORG-T-7", None,
     {"operator": None, "wuhan": 403, "jingzhou": 403, "pumps": 403, "petro": 403, "laser": 403,
      "university": 403, "testing": 403, "zhang": 403, "public": 401}),
]

# Creating a demand: (body, expected per caller).  Bodies without an owner
# get the caller's organization as owner.
CREATES = [
    ({"title": "新需求", "region": "4201"},
     {"operator": 201, "wuhan": 201, "jingzhou": 403, "pumps": 201, "petro": 201, "laser": 201,
      "university": 201, "testing": 201, "zhang": 403, "public": 401}),
    ({"title": "替别人发布", "owner": "ORG-T-1", "region": "4201"},
     {"operator": 201, "wuhan": 201, "jingzhou": 403, "pumps": 403, "petro": 403, "laser": 403,
      "university": 403, "testing": 403, "zhang": 403, "public": 401}),
]

# Operators' routes: accounts and imports.
ADMIN = [
    ("GET", "/api/v1/accounts", None,
     {"operator": 200, "public": 401, **{c: 403 for c in CALLERS if c != "operator"}}),
    ("POST", "/api/v1/import/regions?format=csv&dry_run=1",
     "id,name_zh,level,parent\n429004,仙桃市,city,42\n".encode(),
     {"operator": 200, "public": 401, **{c: 403 for c in CALLERS if c != "operator"}}),
]


# The workflow routes' repeatable writes: feedback on a demand's matches
# (its owner, operators of its region, the matched party) and a deal's
# milestones (its parties; deals of the fixtures have no region).
FLOW_WRITES = [
    ("POST", "/api/v1/demands/DEM-T-1/feedback",
     {"to_kind": "organization", "to_id": "ORG-T-7", "action": "useful"},
     {"operator": 201, "wuhan": 201, "jingzhou": 403, "pumps": 201, "petro": 403, "laser": 403,
      "university": 403, "testing": 201, "zhang": 403, "public": 401}),
    ("POST", "/api/v1/demands/DEM-T-2/feedback",
     {"to_kind": "organization", "to_id": "ORG-T-2", "action": "contacted"},
     {"operator": 201, "wuhan": 201, "jingzhou": 404, "pumps": 404, "petro": 201, "laser": 404,
      "university": 201, "testing": 404, "zhang": 404, "public": 401}),
    ("POST", "/api/v1/deals/DEA-T-2/milestones", {"title": "首期款"},
     {"operator": 201, "wuhan": 403, "jingzhou": 403, "pumps": 201, "petro": 403, "laser": 403,
      "university": 403, "testing": 403, "zhang": 403, "public": 401}),
    ("POST", "/api/v1/notifications/read", None,
     {"public": 401, **{c: 204 for c in CALLERS}}),
]

# State moves: every caller refused first (the record stays as it is), then
# the one allowed caller named last moves it.
FLOW_MOVES = [
    ("/api/v1/deals/DEA-T-2/workflow", {"to": "negotiation"},
     {"wuhan": 403, "jingzhou": 403, "petro": 403, "laser": 403, "university": 403,
      "testing": 403, "zhang": 403, "public": 401}, "pumps"),
    ("/api/v1/demands/DEM-T-1/docking", {"to": "assigned", "broker": "ORG-T-7"},
     {"jingzhou": 403, "petro": 403, "laser": 403, "university": 403, "testing": 403,
      "zhang": 403, "public": 401}, "pumps"),
    ("/api/v1/demands/DEM-T-2/docking", {"to": "assigned", "broker": "ORG-T-7"},
     {"jingzhou": 404, "pumps": 404, "laser": 404, "university": 403, "testing": 404,
      "zhang": 404, "public": 401}, "wuhan"),
]

ERRNAMES = {401: "eauth", 403: "eperm", 404: "enotfound"}


def build(workdir):
    db = build_db(workdir, "matrix.db",
                  (("regions", "region"), ("organizations", "organization"),
                   ("persons", "person"), ("demands", "demand"), ("demands-v2", "demand"),
                   ("deals", "deal"), ("matches", "match")))
    tokens = {name: add_user(db, name, role, **refs) for name, (role, refs) in CALLERS.items()}
    return db, tokens


def clients(server, tokens):
    c = {name: Client(server, token) for name, token in tokens.items()}
    c["public"] = Client(server)
    return c


def personal(body, who):
    """The body with values made the caller's own, so that each allowed
    write is a change (an unchanged write makes no version to check)."""
    if body is None:
        return None
    out = dict(body)
    for key, value in body.items():
        if key == "budget":
            out[key] = value + ORDER.index(who)
        elif key in ("description", "title"):
            out[key] = value + " " + who
    return out


def check_cell(c, who, method, path, body, want):
    if want is None:  # allowed but not asked: it would change what later rows expect
        return
    # the ETag is read by the operator, who sees every record, so that a
    # caller who cannot see one still sends a well-formed write
    etag = c["operator"].get(path).header("etag") if method != "POST" else None
    r = c[who].write(method, path, personal(body, who), etag=etag)
    what = "%s %s %s" % (who, method, path)
    if want >= 400:
        p = expect_problem(r, want, {401: "eauth", 403: "eperm", 404: "enotfound"}[want], what)
        if SECRET in p["detail"] or ("ORG-T-6" in p["detail"] and want == 404):
            raise AssertionError(what + ": the problem tells of the hidden demand")
    else:
        eq(r.status, want, what + " (%r)" % r.body[:200])
        doc = r.json()
        eq(doc["source"], "api:" + who, what + ": the version names its writer")
        if doc["entity"] == "match":
            eq(doc["actor"], who, what + ": feedback names who gave it")


def test_read_confidential(c):
    for who in ORDER:
        r = c[who].get("/api/v1/demands/DEM-T-2")
        eq(r.status, SEE_CONFIDENTIAL[who], who + " GET DEM-T-2")
        if r.status == 404:
            missing = c[who].get("/api/v1/demands/DEM-T-404")
            eq(r.body.replace(b"DEM-T-2", b"X"), missing.body.replace(b"DEM-T-404", b"X"),
               who + ": the hidden demand answers as a missing one")


def test_confidential_in_lists_search_and_exports(c):
    for who in ORDER:
        listed = c[who].get("/api/v1/demands?limit=200").json()
        ids = [d["id"] for d in listed["items"]]
        search = c[who].get("/api/v1/search?q=" + urllib.parse.quote(SECRET)).json()
        export = c[who].get("/api/v1/export/demands?format=csv")
        eq(export.status, 200, who + " export")
        everything = who == "operator"
        eq("DEM-T-2" in ids, everything, who + " list shows DEM-T-2")
        eq(listed["total"], len(ids), who + " list total counts only what is shown")
        eq(any(h["id"] == "DEM-T-2" for h in search["items"]), everything, who + " search")
        eq(search["total"], len(search["items"]), who + " search total")
        eq(SECRET.encode() in export.body, everything, who + " export holds the secret")
        # the match naming the hidden demand: listed for operators only (a
        # list's total must not count what it cannot show), by id for all
        # who may see the demand
        matches = c[who].get("/api/v1/matches?limit=200").json()
        eq(any(m["id"] == "MAT-T-1" for m in matches["items"]), everything,
           who + " lists the match of DEM-T-2")
        eq(matches["total"], len(matches["items"]), who + " match total")
        eq(c[who].get("/api/v1/matches/MAT-T-1").status, SEE_CONFIDENTIAL[who],
           who + " GET the match of DEM-T-2")


def test_owner_and_region_lists(c):
    # an owner's own list and a city operator's region list count its confidential demands
    r = c["petro"].get("/api/v1/demands?owner=ORG-T-6").json()
    eq([d["id"] for d in r["items"]], ["DEM-T-2"], "petro's own demands")
    r = c["wuhan"].get("/api/v1/demands?region=4201&limit=200").json()
    eq("DEM-T-2" in [d["id"] for d in r["items"]], True, "wuhan's region list")
    r = c["jingzhou"].get("/api/v1/demands?owner=ORG-T-6").json()
    eq(r["total"], 0, "another city's operator filtering on the owner")
    # the matches of a demand the caller may see are listed and counted
    for who, want in (("petro", ["MAT-T-1"]), ("university", ["MAT-T-1"]), ("pumps", []),
                      ("public", [])):
        r = c[who].get("/api/v1/matches?from_kind=demand&from_id=DEM-T-2").json()
        eq([m["id"] for m in r["items"]], want, who + " lists the matches of DEM-T-2")
        eq(r["total"], len(want), who + " counts them")


def test_writes(c):
    for method, path, body, want in WRITES:
        for who in ORDER:
            check_cell(c, who, method, path, body, want[who])


def test_creates(c):
    for body, want in CREATES:
        for who in ORDER:
            r = c[who].request("POST", "/api/v1/demands", body=body)
            what = "%s POST %r" % (who, body)
            if want[who] >= 400:
                expect_problem(r, want[who], {401: "eauth", 403: "eperm"}[want[who]], what)
                continue
            eq(r.status, 201, what + " (%r)" % r.body[:200])
            doc = r.json()
            eq(doc["source"], "api:" + who, what + " source names the account")
            owner = CALLERS[who][1].get("org")
            if "owner" not in body and owner:
                eq(doc["owner"], owner, what + " owner defaults to the caller's organization")


def test_admin_routes(c):
    for method, path, body, want in ADMIN:
        for who in ORDER:
            r = c[who].request(method, path, body=body)
            eq(r.status, want[who], "%s %s %s (%r)" % (who, method, path, r.body[:200]))


def test_history_names_writers(c):
    versions = c["operator"].get("/api/v1/demands/DEM-T-1/history").json()["items"]
    sources = [v["source"] for v in versions]
    for who in ("operator", "wuhan", "pumps"):
        if "api:" + who not in sources:
            raise AssertionError("history lacks %s's write: %r" % (who, sources))


def test_flow_writes(c):
    for method, path, body, want in FLOW_WRITES:
        for who in ORDER:
            r = c[who].request(method, path, body=body)
            what = "%s %s %s" % (who, method, path)
            if want[who] >= 400:
                p = expect_problem(r, want[who], ERRNAMES[want[who]], what)
                if SECRET in p["detail"] or "ORG-T-6" in p["detail"]:
                    raise AssertionError(what + ": the problem tells of the hidden demand")
            else:
                eq(r.status, want[who], what + " (%r)" % r.body[:200])


def test_flow_moves(c):
    for path, body, refused, allowed in FLOW_MOVES:
        etag = c["operator"].get(path).header("etag")
        for who, status in refused.items():
            r = c[who].request("POST", path, body=body, headers={"If-Match": etag})
            expect_problem(r, status, ERRNAMES[status], "%s POST %s" % (who, path))
        eq(c["operator"].get(path).header("etag"), etag, path + " unchanged by the refused")
        r = c[allowed].request("POST", path, body=body, headers={"If-Match": etag})
        eq(r.status, 200, "%s POST %s (%r)" % (allowed, path, r.body[:200]))
        doc = r.json()
        eq(doc["deal"]["state"] if "deal" in doc else doc["state"], body["to"],
           path + " moved by " + allowed)


def test_notifications_need_an_account(c):
    for who in ORDER:
        r = c[who].get("/api/v1/notifications")
        if who == "public":
            expect_problem(r, 401, "eauth", "public notifications")
        else:
            eq(r.status, 200, who + " notifications")


def main():
    def body(workdir, tap):
        db, tokens = build(workdir)
        # limits high enough for the whole matrix from one address
        s = Server(workdir, db, "--rate-limit", "100000,100000")
        try:
            c = clients(s, tokens)
            for fn in (test_read_confidential, test_confidential_in_lists_search_and_exports,
                       test_owner_and_region_lists, test_writes, test_creates,
                       test_admin_routes, test_history_names_writers, test_flow_writes,
                       test_flow_moves, test_notifications_need_an_account):
                tap.run(fn, c)
        finally:
            s.stop()
    return run_tap("matrix-", body)


if __name__ == "__main__":
    sys.exit(main())
