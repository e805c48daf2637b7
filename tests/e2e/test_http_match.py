#!/usr/bin/env python3
"""Matching over the API on the bundled demo data: a demand's ranked,
explained matches per kind and blended, a Chinese demand reaching English
achievements through the glossary, achievements and persons matched to
adopters and demands, free text, the parameters' errors, feedback on a
demand's matches (who may give it, where it shows), a confidential
demand that never leaks through matches, counts or feedback, and the
workers' kept matchers seeing a write at once.  Output is TAP.
"""
import os
import sys
import urllib.parse

from httptest import Client, Server, add_user, cli, eq, expect_problem, run_tap

SECRET = "绝密钛合金激光焊接配方"
WELDING = "厚钢板激光焊接工艺开发"


def quote(s):
    return urllib.parse.quote(s, safe="")


def post_demand(c, title, visibility):
    r = c.request("POST", "/api/v1/demands", body={
        "title": title, "description": title + "，需要激光焊接熔深控制", "region": "4210",
        "visibility": visibility, "keywords": ["激光焊接"]})
    eq(r.status, 201, "post %s (%r)" % (title, r.body[:200]))
    return r.json()["id"]


def test_demand_matches_are_ranked_and_explained(s, ids):
    doc = s.get("/api/v1/demands/%s/matches?top=5" % ids["welding"]).json()
    eq(doc["from"]["id"], ids["welding"], "from id")
    eq(doc["from"]["kind"], "demand", "from kind")
    eq(doc["order"], "kind", "grouped by kind by default")
    results = doc["results"]
    if not results:
        raise AssertionError("no matches for a welding demand")
    kinds = {r["kind"] for r in results}
    for kind in kinds:
        mine = [r for r in results if r["kind"] == kind]
        eq([r["rank"] for r in mine], list(range(1, len(mine) + 1)), kind + " ranks")
        eq(sorted((r["score"] for r in mine), reverse=True), [r["score"] for r in mine],
           kind + " best first")
        if len(mine) > 5:
            raise AssertionError("%s: %d results for top=5" % (kind, len(mine)))
        eq(doc["count"][kind], len(mine), kind + " count")
    for r in results:
        parts = sum(c["part"] for c in r["components"].values())
        if abs(parts - r["score"]) > 1e-3:
            raise AssertionError("%s: parts add to %f, score %f" % (r["id"], parts, r["score"]))
        if not r["reasons"]:
            raise AssertionError(r["id"] + " has no reasons")
    terms = [x for r in results for x in r["reasons"] if x["type"] == "term"]
    if not any(x.get("snippet") and x.get("highlights") for x in terms):
        raise AssertionError("no term reason with a highlighted snippet")
    for x in terms:
        for start, end in x.get("highlights", []):
            if not 0 <= start < end <= len(x["snippet"].encode()):
                raise AssertionError("highlight %r outside the snippet" % [start, end])


def test_chinese_demand_reaches_english_achievements(s, ids):
    doc = s.get("/api/v1/demands/%s/matches?kind=achievement&top=20" % ids["welding"]).json()
    english = [r for r in doc["results"] if r["id"].startswith("ACH-E-")]
    if not english:
        raise AssertionError("no English achievement among %r" % [r["id"] for r in doc["results"]])
    bridged = [x for r in english for x in r["reasons"] if x["type"] == "term" and x["translated"]]
    if not bridged or not all(x.get("from") for x in bridged):
        raise AssertionError("English matches without glossary-bridged terms naming their source")
    eq({r["kind"] for r in doc["results"]}, {"achievement"}, "kind=achievement")


def test_blended_order(s, ids):
    doc = s.get("/api/v1/demands/%s/matches?order=best&top=5" % ids["welding"]).json()
    eq(doc["order"], "best", "order")
    scores = [r["score"] for r in doc["results"]]
    eq(scores, sorted(scores, reverse=True), "one ranking across kinds")
    if len({r["kind"] for r in doc["results"]}) < 2:
        raise AssertionError("a blended answer of one kind")


def test_achievement_and_person_matches(s, ids):
    doc = s.get("/api/v1/achievements/ACH-E-0093/matches?top=5").json()
    kinds = {r["kind"] for r in doc["results"]}
    if not kinds <= {"enterprise", "demand"} or not kinds:
        raise AssertionError("an achievement matched to %r" % kinds)
    person = s.get("/api/v1/persons?limit=1").json()["items"][0]["id"]
    r = s.get("/api/v1/persons/%s/matches?kind=enterprise,demand" % person)
    eq(r.status, 200, "person matches (%r)" % r.body[:200])
    if not {x["kind"] for x in r.json()["results"]} <= {"enterprise", "demand"}:
        raise AssertionError("a person matched outside enterprises and demands")


def test_free_text_and_region(s, ids):
    doc = s.get("/api/v1/match?q=%s&kind=achievement&top=3" % quote("激光焊接")).json()
    eq(doc["from"]["kind"], "text", "free text source")
    eq(len(doc["results"]), 3, "top 3")
    everywhere = s.get("/api/v1/match?q=%s&kind=expert&top=50" % quote("激光")).json()
    wuhan = s.get("/api/v1/match?q=%s&kind=expert&top=50&region=4201" % quote("激光")).json()
    if len(wuhan["results"]) > len(everywhere["results"]):
        raise AssertionError("a region filter that widens the answer")
    p = expect_problem(s.get("/api/v1/match?q=x&kind=demand"), 400, "einval", "text to demands")
    if "demand" not in p["detail"]:
        raise AssertionError("the detail does not name the kind: %r" % p["detail"])


def test_bad_parameters(s, ids):
    d = ids["welding"]
    for target, word in (("/api/v1/match", "'q' is required"),
                         ("/api/v1/match?q=x&top=0", "top"),
                         ("/api/v1/match?q=x&top=101", "top"),
                         ("/api/v1/demands/%s/matches?kind=widgets" % d, "widgets"),
                         ("/api/v1/demands/%s/matches?order=random" % d, "order"),
                         ("/api/v1/demands/%s/matches?q=x" % d, "'q'"),
                         ("/api/v1/demands/%s/matches?top=1&top=2" % d, "twice")):
        p = expect_problem(s.get(target), 400, "einval", target)
        if word not in p["detail"]:
            raise AssertionError("%s: detail %r does not name %s" % (target, p["detail"], word))
    expect_problem(s.get("/api/v1/organizations/CO-002962/matches"), 404, "enotfound",
                   "matches from an organization")
    expect_problem(s.get("/api/v1/demands/DEM-NONE/matches"), 404, "enotfound", "no demand")


def test_kept_matchers_see_writes(s, ids, c):
    # workers keep their matcher between requests; a write must reach it:
    # a new agency is known to the matcher (its kind decides its list)
    # only if the matcher was opened after the write
    target = "/api/v1/demands/%s/matches?kind=agency&top=50" % ids["welding"]
    for _ in range(8):
        eq(s.get(target).status, 200, "agency matches before the write")
    r = c["operator"].request("POST", "/api/v1/organizations", body={
        "name_zh": "激光焊接熔深控制技术服务中心", "kind": "agency", "region": "4210",
        "description": "厚钢板激光焊接工艺开发，激光焊接熔深控制"})
    eq(r.status, 201, "post an agency (%r)" % r.body[:200])
    new = r.json()["id"]
    for i in range(8):
        ids_now = [x["id"] for x in s.get(target).json()["results"]]
        if new not in ids_now:
            raise AssertionError("request %d after the write: %s not among %r" % (i, new, ids_now))


def test_confidential_demand_never_leaks(s, ids, c):
    secret = ids["secret"]
    missing = s.get("/api/v1/demands/DEM-NONE/matches")
    for who in ("public", "other"):
        r = c[who].get("/api/v1/demands/%s/matches" % secret)
        eq(r.status, 404, who + " matches of the confidential demand")
        eq(r.body.replace(secret.encode(), b"X"), missing.body.replace(b"DEM-NONE", b"X"),
           who + ": answered as a missing demand")
        expect_problem(c[who].get("/api/v1/demands/%s/feedback" % secret), 404, "enotfound",
                       who + " feedback of the confidential demand")
        text = c[who].get("/api/v1/match?q=%s&top=100" % quote(SECRET))
        eq(text.status, 200, who + " free text")
        if secret.encode() in text.body:
            raise AssertionError(who + ": free text reached the confidential demand")
        person = c[who].get("/api/v1/persons?limit=1").json()["items"][0]["id"]
        pm = c[who].get("/api/v1/persons/%s/matches?kind=demand&top=100" % person).json()
        if any(r["id"] == secret for r in pm["results"]):
            raise AssertionError(who + ": a person's demands hold the confidential one")
        ach = c[who].get("/api/v1/achievements/ACH-E-0093/matches?kind=demand&top=100").json()
        if any(r["id"] == secret for r in ach["results"]):
            raise AssertionError(who + ": an achievement's demands hold the confidential one")
        eq(ach["count"]["demand"], len(ach["results"]), who + ": the count shows what is listed")
    eq(c["owner"].get("/api/v1/demands/%s/matches" % secret).status, 200, "the owner matches it")
    eq(c["operator"].get("/api/v1/demands/%s/matches" % secret).status, 200, "an operator")
    eq(c["jingzhou"].get("/api/v1/demands/%s/matches" % secret).status, 200,
       "the operator of its city")


def test_feedback(s, ids, c):
    d = ids["welding"]
    top = s.get("/api/v1/demands/%s/matches?kind=achievement&top=1" % d).json()["results"][0]
    body = {"to_kind": "achievement", "to_id": top["id"], "action": "useful", "score": top["score"]}
    expect_problem(c["public"].request("POST", "/api/v1/demands/%s/feedback" % d, body=body),
                   401, "eauth", "public feedback")
    expect_problem(c["other"].request("POST", "/api/v1/demands/%s/feedback" % d, body=body),
                   403, "eperm", "another enterprise's feedback")
    r = c["owner"].request("POST", "/api/v1/demands/%s/feedback" % d, body=body)
    eq(r.status, 201, "the owner's feedback (%r)" % r.body[:200])
    items = s.get("/api/v1/demands/%s/feedback" % d).json()["items"]
    eq([(i["to_id"], i["action"], i["who"]) for i in items], [(top["id"], "useful", "api:qiye")],
       "the feedback shows on the demand")
    for bad, word in (({**body, "action": "loved"}, "action"), ({**body, "to_kind": "x"}, "to_kind"),
                      ({**body, "extra": 1}, "extra"), ({**body, "to_id": "ACH-NONE"}, "")):
        r = c["owner"].request("POST", "/api/v1/demands/%s/feedback" % d, body=bad)
        if r.status not in (400, 404) or word not in r.json()["detail"]:
            raise AssertionError("bad feedback %r: %d %r" % (bad, r.status, r.body[:200]))
    # feedback counts in the next match: the useful one keeps a positive part
    again = s.get("/api/v1/demands/%s/matches?kind=achievement&top=20" % d).json()["results"]
    mine = [r for r in again if r["id"] == top["id"]]
    if not mine or mine[0]["components"]["feedback"]["value"] <= 0:
        raise AssertionError("useful feedback not in the next match: %r" % mine[:1])
    fb = c["owner"].request("POST", "/api/v1/demands/%s/feedback" % ids["secret"],
                            body={"to_kind": "organization", "to_id": "CO-000988",
                                  "action": "contacted"})
    eq(fb.status, 201, "feedback on the owner's confidential demand")
    # the contacted party is now matched with it and may see it; others still may not
    eq(c["other"].get("/api/v1/demands/%s" % ids["secret"]).status, 200,
       "the contacted party sees the demand")
    eq(c["public"].get("/api/v1/demands/%s" % ids["secret"]).status, 404, "the public does not")


def main():
    def body(workdir, tap):
        db = os.path.join(workdir, "match.db")
        cli("init", "--demo", "--db", db)
        tokens = {"owner": add_user(db, "qiye", "enterprise", org="CO-002962"),
                  "other": add_user(db, "qita", "enterprise", org="CO-000988"),
                  "operator": add_user(db, "admin", "operator"),
                  "jingzhou": add_user(db, "jingzhou", "city_operator", region="4210")}
        s = Server(workdir, db, "--rate-limit", "100000,100000")
        try:
            c = {name: Client(s, t) for name, t in tokens.items()}
            c["public"] = Client(s)
            ids = {"welding": post_demand(c["owner"], WELDING, "public"),
                   "secret": post_demand(c["owner"], SECRET, "confidential")}
            for fn in (test_demand_matches_are_ranked_and_explained,
                       test_chinese_demand_reaches_english_achievements, test_blended_order,
                       test_achievement_and_person_matches, test_free_text_and_region,
                       test_bad_parameters):
                tap.run(fn, s, ids)
            tap.run(test_confidential_demand_never_leaks, s, ids, c)
            tap.run(test_feedback, s, ids, c)
            tap.run(test_kept_matchers_see_writes, s, ids, c)
        finally:
            s.stop()
    return run_tap("match-", body)


if __name__ == "__main__":
    sys.exit(main())
