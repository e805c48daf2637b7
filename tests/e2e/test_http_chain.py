#!/usr/bin/env python3
"""Chains over the API on the bundled demo data with its records placed
(`innolink chain assign`): every chain with its links, one chain's tree, a
region's gaps with each link's class, what would fill a weak link,
indicators and targets, the parameters' errors, and a confidential demand
that is never counted on a link.  The answers are held against the CLI's
--json, which reads the same database.  Output is TAP.
"""
import json
import os
import sys

from httptest import Client, Server, add_user, cli, eq, expect_problem, run_tap

CHAIN = "CHN-JZ-PETROMACH"
CLASSES = {"strong", "industry_only", "innovation_only", "weak"}


def test_chain_maps(s, db):
    maps = s.get("/api/v1/chain-maps").json()
    eq(len(maps), len(s.get("/api/v1/chains?limit=200").json()["items"]), "every chain")
    one = s.get("/api/v1/chain-maps/" + CHAIN)
    eq(one.status, 200, "one chain")
    tree = one.json()
    eq(tree, next(m for m in maps if m["id"] == CHAIN), "the tree is the chain of the list")
    eq({link["segment"] for link in tree["links"]}, {"upstream", "midstream", "downstream"},
       "segments")
    if sum(link["placed"] for link in tree["links"]) == 0:
        raise AssertionError("nothing placed on the chain after chain assign")
    expect_problem(s.get("/api/v1/chain-maps/CHN-NONE"), 404, "enotfound", "no chain")


def test_gaps_against_the_cli(s, db):
    api = s.get("/api/v1/chains/%s/gaps?region=4210" % CHAIN).json()
    mine = json.loads(cli("chain", "gaps", "--region", "4210", "--chain", CHAIN, "--json",
                          "--db", db).stdout)
    eq(api["links"], mine, "the API's gaps are the CLI's")
    classes = {link["class"] for link in api["links"]}
    if not classes <= CLASSES or len(classes) < 2:
        raise AssertionError("classes %r" % classes)
    eq(api["region"], "4210", "region")


def test_fill_a_weak_link(s, db):
    gaps = s.get("/api/v1/chains/%s/gaps?region=4210" % CHAIN).json()["links"]
    weak = next(link["link"] for link in gaps if link["class"] != "strong")
    r = s.get("/api/v1/links/%s/fill?region=4210&limit=3" % weak)
    eq(r.status, 200, "fill (%r)" % r.body[:200])
    doc = r.json()
    eq(doc["link"], weak, "link")
    if not doc["lacks"]:
        raise AssertionError("a link below strong that lacks nothing")
    for key in ("local_enterprises", "experts", "laboratories", "achievements",
                "enterprises_to_attract"):
        if len(doc[key]) > 3:
            raise AssertionError("%s: %d items for limit=3" % (key, len(doc[key])))
    if not any(doc[key] for key in ("experts", "laboratories", "achievements",
                                    "enterprises_to_attract")):
        raise AssertionError("nothing would fill %s" % weak)


def test_indicators_and_targets(s, db):
    series = s.get("/api/v1/regions/4210/indicators").json()
    if not any(p.get("source") == "computed" for x in series for p in x["points"]):
        raise AssertionError("no computed series")
    plain = s.get("/api/v1/regions/4210/indicators?computed=false").json()
    eq(any(p.get("source") == "computed" for x in plain for p in x["points"]), False,
       "computed=false")
    targets = s.get("/api/v1/regions/4210/targets").json()
    if not targets or not all(t["region"] for t in targets):
        raise AssertionError("no targets for Jingzhou")
    expect_problem(s.get("/api/v1/regions/9999/targets"), 404, "enotfound", "no region")


def test_bad_parameters(s, db):
    for target, word in (("/api/v1/chains/%s/gaps" % CHAIN, "region"),
                         ("/api/v1/chains/%s/gaps?region=4210&x=1" % CHAIN, "'x'"),
                         ("/api/v1/links/LNK-JZ-PETROMACH-01/fill?region=4210&limit=0", "limit"),
                         ("/api/v1/regions/4210/indicators?computed=maybe", "computed")):
        p = expect_problem(s.get(target), 400, "einval", target)
        if word not in p["detail"]:
            raise AssertionError("%s: %r does not name %s" % (target, p["detail"], word))
    expect_problem(s.get("/api/v1/chains/CHN-NONE/gaps?region=4210"), 404, "enotfound",
                   "no chain")


def placed(s, link):
    tree = s.get("/api/v1/chain-maps/" + CHAIN).json()
    return next(x["placed"] for x in tree["links"] if x["id"] == link)


def test_confidential_demand_is_not_counted(s, db, owner):
    link = "LNK-JZ-PETROMACH-01"
    ids = {}
    for vis in ("public", "confidential"):
        r = owner.request("POST", "/api/v1/demands", body={
            "title": "特殊钢管材需求 " + vis, "region": "4210", "visibility": vis})
        eq(r.status, 201, "post " + vis)
        ids[vis] = r.json()["id"]
    before = placed(s, link)
    cli("chain", "place", "demand", ids["confidential"], link, "--db", db)
    eq(placed(s, link), before, "a confidential demand placed on the link is not counted")
    cli("chain", "place", "demand", ids["public"], link, "--db", db)
    eq(placed(s, link), before + 1, "a public one is")
    fill = s.get("/api/v1/links/%s/fill?region=4210&limit=100" % link).body
    if ids["confidential"].encode() in fill:
        raise AssertionError("the link report names the confidential demand")


def test_new_records_are_placed(s, db, owner):
    """A record written through the API goes on the chains' links, as an
    import puts it."""
    r = owner.request("POST", "/api/v1/demands", body={
        "title": "PDC钻头与牙轮钻头的耐磨寿命", "description": "石油钻井用钻头，寿命提高一倍",
        "region": "4210", "visibility": "public"})
    eq(r.status, 201, "post (%r)" % r.body[:200])
    rid = r.json()["id"]
    out = cli("export", "--kind", "assignment", "--filter", "entity=" + rid, "--format",
              "jsonl", "--db", db).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    if not rows:
        raise AssertionError("the new demand %s is on no link" % rid)
    eq(sorted({row["method"] for row in rows} - {"rule", "classifier"}), [],
       "placed by rule or classifier")


def main():
    def body(workdir, tap):
        db = os.path.join(workdir, "chain.db")
        cli("init", "--demo", "--db", db)
        token = add_user(db, "qiye", "enterprise", org="CO-002962")
        s = Server(workdir, db, "--rate-limit", "100000,100000")
        try:
            for fn in (test_chain_maps, test_gaps_against_the_cli, test_fill_a_weak_link,
                       test_indicators_and_targets, test_bad_parameters):
                tap.run(fn, s, db)
            tap.run(test_confidential_demand_is_not_counted, s, db, Client(s, token))
            tap.run(test_new_records_are_placed, s, db, Client(s, token))
        finally:
            s.stop()
    return run_tap("chain-", body)


if __name__ == "__main__":
    sys.exit(main())
