#!/usr/bin/env python3
"""Deals, the docking pipeline, notifications and the closed-loop figures
over the API (tests/fixtures/http): a deal's workflow with ETag and
If-Match (412 on a stale version, 428 without one, 409 naming the state
and the allowed moves on an illegal one), two writers at once, milestones,
a demand moved from new to success with its broker and owner notified and
both sides rating it, a deal's reference to a confidential demand blanked,
the workflow fields kept out of reach of generic writes,
and figures that count confidential demands for operators only, as JSON
and as a workbook, and how long a published listing stays live.  Output
is TAP.
"""
import datetime
import sys
import threading

from httptest import Client, Server, add_user, build_db, eq, expect_problem, run_tap

WORKFLOW = "/api/v1/deals/DEA-T-2/workflow"


def move(c, path, to, etag, **extra):
    return c.request("POST", path, body={"to": to, **extra}, headers={"If-Match": etag})


def test_deal_workflow_and_moves(c):
    r = c["public"].get(WORKFLOW)
    eq(r.status, 200, "workflow")
    eq(r.header("etag"), '"1"', "ETag is the version")
    doc = r.json()
    eq(doc["allowed"], ["negotiation", "terminated"], "allowed from intent")
    expect_problem(c["public"].request("POST", WORKFLOW, body={"to": "negotiation"}), 401,
                   "eauth", "a move without credentials")
    expect_problem(c["buyer"].request("POST", WORKFLOW, body={"to": "negotiation"}), 428,
                   "eprecond", "a move without If-Match")
    expect_problem(move(c["buyer"], WORKFLOW, "negotiation", '"7"'), 412, "eprecond",
                   "a stale If-Match")
    p = expect_problem(move(c["buyer"], WORKFLOW, "completed", '"1"'), 409, "econflict",
                       "an illegal move")
    eq(p["detail"], "deal 'DEA-T-2' is 'intent': it can move to negotiation or terminated, "
       "not to 'completed'", "the detail names the state and the allowed ones")
    p = expect_problem(move(c["buyer"], WORKFLOW, "sold", '"1"'), 400, "einval", "no such state")
    if "sold" not in p["detail"]:
        raise AssertionError("the detail does not name the value: %r" % p["detail"])
    etag = '"1"'
    for to in ("negotiation", "signed", "registered", "performance", "completed"):
        r = move(c["buyer"], WORKFLOW, to, etag)
        eq(r.status, 200, "to %s (%r)" % (to, r.body[:200]))
        eq(r.json()["deal"]["state"], to, "state " + to)
        etag = r.header("etag")
    doc = c["public"].get(WORKFLOW).json()
    eq(doc["allowed"], [], "nothing after completed")
    if not doc["deal"].get("signed") or not doc["deal"].get("registered"):
        raise AssertionError("signed and registered dates not filled: %r" % doc["deal"])
    eq([a["version"] for a in doc["audit"]], list(range(1, 7)), "the audit trail of each move")
    p = expect_problem(move(c["buyer"], WORKFLOW, "terminated", etag), 409, "econflict",
                       "terminated after completed")
    if "a final state" not in p["detail"]:
        raise AssertionError(p["detail"])


def test_two_writers_at_once(c):
    r = c["operator"].request("POST", "/api/v1/deals", body={
        "title": "并发测试合同", "type": "service", "buyer": "ORG-T-3", "seller": "ORG-T-1"})
    eq(r.status, 201, "a new deal")
    path = "/api/v1/deals/%s/workflow" % r.json()["id"]
    etag = c["public"].get(path).header("etag")
    results = []

    def one(who, to):
        results.append(move(c[who], path, to, etag).status)
    threads = [threading.Thread(target=one, args=("buyer", "negotiation")),
               threading.Thread(target=one, args=("seller", "terminated"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(sorted(results), [200, 412], "one wins, the other is told its version is stale")


def test_milestones(c):
    path = "/api/v1/deals/DEA-T-2/milestones"
    r = c["buyer"].request("POST", path, body={"title": "首期款", "due": "2026-12-31",
                                                "amount": "40"})
    eq(r.status, 201, "a milestone (%r)" % r.body[:200])
    eq(r.json()["milestones"][-1], {"title": "首期款", "due": "2026-12-31", "amount": 40.0},
       "the milestone (unpaid: no paid date)")
    p = expect_problem(c["buyer"].request("POST", path, body={"title": "x", "due": "2026-13-40"}),
                       400, "einval", "a bad date")
    if "2026-13-40" not in p["detail"]:
        raise AssertionError(p["detail"])
    expect_problem(c["buyer"].request("POST", path, body={"due": "2026-12-31"}), 400, "einval",
                   "no title")
    expect_problem(c["other"].request("POST", path, body={"title": "x"}), 403, "eperm",
                   "not a party")


def test_confidential_demand_of_a_deal(c):
    for who in ("public", "other"):
        r = c[who].get("/api/v1/deals/DEA-T-1/workflow")
        eq(r.status, 200, who + " reads the deal")
        eq(r.json()["deal"]["demand"], None, who + ": the hidden demand is blanked")
        if b"DEM-T-2" in r.body or b"SECRET" in r.body:
            raise AssertionError(who + ": the workflow names the hidden demand")
    eq(c["operator"].get("/api/v1/deals/DEA-T-1/workflow").json()["deal"]["demand"], "DEM-T-2",
       "an operator sees the reference")
    missing = c["public"].get("/api/v1/demands/DEM-NONE/docking")
    r = c["public"].get("/api/v1/demands/DEM-T-2/docking")
    eq(r.status, 404, "the confidential demand's docking")
    eq(r.body.replace(b"DEM-T-2", b"X"), missing.body.replace(b"DEM-NONE", b"X"),
       "answered as a missing demand")


def test_docking_from_new_to_success(c):
    path = "/api/v1/demands/DEM-T-1/docking"
    r = c["public"].get(path)
    doc, etag = r.json(), r.header("etag")
    eq((doc["state"], doc["allowed"]), ("new", ["assigned", "abandoned"]), "a new demand")
    p = expect_problem(move(c["owner"], path, "agreed", etag), 409, "econflict", "new to agreed")
    eq(p["detail"], "demand 'DEM-T-1' is 'new': it can move to assigned or abandoned, "
       "not to 'agreed'", "the detail")
    r = move(c["owner"], path, "assigned", etag, broker="ORG-T-7", note="交检测中心对接")
    eq(r.status, 200, "assigned (%r)" % r.body[:200])
    expect_problem(move(c["owner"], path, "docking", etag), 412, "eprecond", "the old ETag")
    etag = r.header("etag")
    notes = c["broker"].get("/api/v1/notifications?unread=true").json()
    eq(notes["recipient"], "ORG-T-7", "the broker's notifications")
    if not any(n.get("demand") == "DEM-T-1" or "DEM-T-1" in str(n) for n in notes["items"]):
        raise AssertionError("the broker was not notified: %r" % notes)
    expect_problem(c["owner"].request("POST", "/api/v1/demands/DEM-T-1/ratings",
                                      body={"side": "demand", "score": 5}),
                   400, "einval", "rating an open docking")
    for to in ("docking", "agreed", "success"):
        r = move(c["owner"], path, to, etag)
        eq(r.status, 200, "to " + to)
        etag = r.header("etag")
    doc = r.json()
    eq([s["to"] for s in doc["steps"]], ["assigned", "docking", "agreed", "success"], "steps")
    if not doc["first_response"]:
        raise AssertionError("no first response recorded")
    rate = "/api/v1/demands/DEM-T-1/ratings"
    eq(c["owner"].request("POST", rate, body={"side": "demand", "score": 4,
                                               "comment": "响应及时"}).status, 201, "demand side")
    eq(c["seller"].request("POST", rate, body={"side": "supply", "score": 5}).status, 201,
       "supply side: the seller of a deal from the demand")
    expect_problem(c["other"].request("POST", rate, body={"side": "supply", "score": 5}), 403,
                   "eperm", "supply side by a stranger")
    expect_problem(c["owner"].request("POST", rate, body={"side": "demand", "score": 6}), 400,
                   "einval", "a score of 6")
    ratings = c["public"].get(path).json()["ratings"]
    eq(sorted((x["side"], x["score"]) for x in ratings), [("demand", 4), ("supply", 5)],
       "both ratings")
    owner_notes = c["owner"].get("/api/v1/notifications").json()["items"]
    if not owner_notes:
        raise AssertionError("the owner was not told of the close")
    eq(c["owner"].request("POST", "/api/v1/notifications/read").status, 204, "mark read")
    eq(c["owner"].get("/api/v1/notifications?unread=true").json()["items"], [], "all read")


def test_figures(c):
    everything = c["operator"].get("/api/v1/figures").json()
    public = c["public"].get("/api/v1/figures").json()
    eq(everything["scope"]["include_confidential"], True, "operators count everything")
    eq(public["scope"]["include_confidential"], False, "the public does not")
    eq(everything["total"]["demands"] - public["total"]["demands"], 2,
       "the two confidential demands are counted for operators only")
    if public["total"]["docked"] < 1:
        raise AssertionError("the docked demand is not counted: %r" % public["total"])
    by_city = c["public"].get("/api/v1/figures?by=city").json()
    if not by_city["cities"] or not all("region" in row for row in by_city["cities"]):
        raise AssertionError("rows per city without a region")
    r = c["public"].get("/api/v1/figures?format=xlsx&region=42")
    eq(r.status, 200, "workbook")
    eq(r.header("content-type"),
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "workbook type")
    eq(r.body[:2], b"PK", "a zip file")
    expect_problem(c["public"].get("/api/v1/figures?by=week"), 400, "einval", "by=week")
    expect_problem(c["public"].get("/api/v1/figures?format=pdf"), 400, "einval", "format=pdf")


def test_listing_days(c):
    """serve --listing-days sets how long a published listing stays live."""
    r = c["owner"].request("POST", "/api/v1/demands",
                           body={"title": "涂层寿命", "region": "4201", "visibility": "public"})
    eq(r.status, 201, "created (%r)" % r.body[:200])
    doc = r.json()
    created = datetime.date.fromisoformat(doc["created_at"][:10])
    eq(doc["expires"], (created + datetime.timedelta(days=30)).isoformat(), "expires in 30 days")
    r = c["owner"].request("POST", "/api/v1/demands", body={
        "title": "涂层寿命二", "region": "4201", "visibility": "public", "expires": "2030-01-31"})
    eq(r.json()["expires"], "2030-01-31", "a date the owner gives stays")


def test_generic_writes_keep_the_workflow(c):
    """A deal's state and a demand's docking status change only by moves."""
    expect_problem(c["operator"].request("POST", "/api/v1/deals", body={
        "title": "跳过流程", "type": "service", "buyer": "ORG-T-3", "seller": "ORG-T-1",
        "state": "completed"}), 400, "einval", "a new deal that starts completed")
    r = c["operator"].request("POST", "/api/v1/deals", body={
        "title": "流程字段", "type": "service", "buyer": "ORG-T-3", "seller": "ORG-T-1"})
    eq(r.status, 201, "a new deal (%r)" % r.body[:200])
    deal = r.json()
    path = "/api/v1/deals/" + deal["id"]
    eq(move(c["buyer"], path + "/workflow", "negotiation", '"1"').status, 200, "moved")
    p = expect_problem(c["buyer"].request("PATCH", path, body={"state": "completed"},
                                          headers={"If-Match": '"2"'}),
                       409, "econflict", "a PATCH that would skip the machine")
    if "negotiation" not in p["detail"] or "completed" not in p["detail"]:
        raise AssertionError(p["detail"])
    body = {k: v for k, v in deal.items() if k in ("title", "type", "buyer", "seller")}
    body["title"] = "流程字段（改）"
    r = c["buyer"].request("PUT", path, body=body, headers={"If-Match": '"2"'})
    eq(r.status, 200, "a PUT that leaves the state out (%r)" % r.body[:200])
    eq(r.json()["state"], "negotiation", "the PUT kept the state")
    r = c["owner"].request("POST", "/api/v1/demands",
                           body={"title": "状态字段", "region": "4201", "visibility": "public"})
    eq(r.status, 201, "a new demand")
    demand = "/api/v1/demands/" + r.json()["id"]
    expect_problem(c["owner"].request("PATCH", demand, body={"status": "success"},
                                      headers={"If-Match": '"1"'}),
                   409, "econflict", "a PATCH of the docking status")


def main():
    def body(workdir, tap):
        db = build_db(workdir, "trade.db",
                      (("regions", "region"), ("organizations", "organization"),
                       ("persons", "person"), ("demands", "demand"), ("deals", "deal"),
                       ("matches", "match")))
        tokens = {"operator": add_user(db, "admin", "operator"),
                  "owner": add_user(db, "pumps", "enterprise", org="ORG-T-3"),
                  "buyer": add_user(db, "pumps2", "enterprise", org="ORG-T-3"),
                  "seller": add_user(db, "coat", "enterprise", org="ORG-T-1"),
                  "other": add_user(db, "laser", "enterprise", org="ORG-T-4"),
                  "broker": add_user(db, "testing", "agency", org="ORG-T-7")}
        s = Server(workdir, db, "--rate-limit", "100000,100000", "--listing-days", "30")
        try:
            c = {name: Client(s, t) for name, t in tokens.items()}
            c["public"] = Client(s)
            for fn in (test_deal_workflow_and_moves, test_two_writers_at_once, test_milestones,
                       test_confidential_demand_of_a_deal, test_docking_from_new_to_success,
                       test_figures, test_listing_days, test_generic_writes_keep_the_workflow):
                tap.run(fn, c)
        finally:
            s.stop()
    return run_tap("trade-", body)


if __name__ == "__main__":
    sys.exit(main())
