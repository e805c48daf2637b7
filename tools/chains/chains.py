#!/usr/bin/env python3
"""The bundled chain definitions (data/chains/*.json) and what derives from them.

  chains.py demo [--out DIR]     write DIR/chain.jsonl and DIR/link.jsonl (default
                                 data/demo) from data/chains/*.json
  chains.py format               rewrite data/chains/*.json in the canonical layout
  chains.py check [--data DIR]   check the definitions: ids, tree, upstream_of
                                 targets; with DIR (../shared/data by default, when
                                 present) also the GB/T 4754-2017, Shenwan and IPC
                                 codes, and cross-check every upstream_of relation
                                 against chainkg/industry_up.json

The definitions are the source: edit them, then run `chains.py demo` so the demo
data loads the same chains (tests/cli/test_chain_data.sh fails when they differ).
Standard library only.
"""
import argparse
import collections
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CHAINS_DIR = os.path.join(ROOT, "data", "chains")
SEGMENTS = ("upstream", "midstream", "downstream")
CHAIN_FIELDS = ["name_zh", "name_en", "region", "description", "industry_codes"]
LINK_FIELDS = ["name_zh", "name_en", "keywords", "industry_codes", "sw_codes", "ipc", "products",
               "upstream_of"]
LINK_ORDER = ["chain", "parent", "segment", "name_zh", "name_en", "keywords", "industry_codes",
              "sw_codes", "ipc", "products", "position", "upstream_of"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=collections.OrderedDict)


def definitions(d=CHAINS_DIR):
    return [(p, load(p)) for p in sorted(glob.glob(os.path.join(d, "*.json")))]


def flatten(chain):
    """The chain's records: the chain, then its links in tree order (a link,
    then its sub-links), with chain, parent, segment and position filled in."""
    c = collections.OrderedDict(id=chain["id"], demo=True)
    for f in CHAIN_FIELDS:
        if chain.get(f):
            c[f] = chain[f]
    links = []

    def walk(items, seg, parent):
        for pos, l in enumerate(items, 1):
            r = collections.OrderedDict(id=l["id"], demo=True)
            vals = dict(l, chain=chain["id"], segment=seg, position=pos)
            if parent:
                vals["parent"] = parent
            for f in LINK_ORDER:
                if vals.get(f) not in (None, "", []):
                    r[f] = vals[f]
            links.append(r)
            walk(l.get("links", []), seg, l["id"])

    for seg in SEGMENTS:
        walk(chain.get("segments", {}).get(seg, []), seg, None)
    return c, links


def dump(obj, ind=0):
    """JSON with objects indented and lists of strings on one line."""
    pad = "  " * (ind + 1)
    if isinstance(obj, dict):
        items = ["%s%s: %s" % (pad, json.dumps(k, ensure_ascii=False), dump(v, ind + 1))
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * ind + "}"
    if isinstance(obj, list) and any(isinstance(v, dict) for v in obj):
        return "[\n" + ",\n".join(pad + dump(v, ind + 1) for v in obj) + "\n" + "  " * ind + "]"
    return json.dumps(obj, ensure_ascii=False)


def cmd_format(_args):
    for path, chain in definitions():
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(dump(chain) + "\n")


def cmd_demo(args):
    chains, links = [], []
    for _path, chain in definitions():
        c, ls = flatten(chain)
        chains.append(c)
        links += ls
    os.makedirs(args.out, exist_ok=True)
    for name, recs in (("chain", chains), ("link", links)):
        path = os.path.join(args.out, name + ".jsonl")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print("%-6s %4d  %s" % (name, len(recs), path))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def check_codes(data, links, problems):
    import csv
    with open(os.path.join(data, "gbt4754_2017_industry", "gbt4754_2017.csv"), encoding="utf-8") as f:
        gb = {r["code"] for r in csv.DictReader(f) if r["level"] == "4"}
    sw = {r["code"]: r["name"] for r in read_jsonl(os.path.join(data, "chainkg", "industry.json"))}
    ipc = set()
    with open(os.path.join(data, "ipc_scheme_en", "ipc_core_2006.tsv"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) > 1 and parts[1] == "subclass":
                ipc.add(parts[0])
    for l in links:
        for c in l.get("industry_codes", []):
            if c not in gb:
                problems.append("%s: GB/T class %s is not in GB/T 4754-2017" % (l["id"], c))
        for c in l.get("sw_codes", []):
            if c not in sw:
                problems.append("%s: Shenwan code %s is unknown" % (l["id"], c))
        for c in l.get("ipc", []):
            if c not in ipc:
                problems.append("%s: IPC subclass %s is not in IPC core 2006" % (l["id"], c))
    return sw


def crosscheck(data, links, sw):
    """upstream_of A -> B is confirmed when a Shenwan industry of A is among the
    upstream industries industry_up.json lists for a Shenwan industry of B, and
    contradicted when the table lists B's industry as upstream of A's instead."""
    ups = {r["industry"]: set(r["ups"]) for r in read_jsonl(os.path.join(data, "chainkg", "industry_up.json"))}
    by_id = {l["id"]: l for l in links}
    total = covered = confirmed = 0
    reversed_ = []
    for a in links:
        for bid in a.get("upstream_of", []):
            b = by_id[bid]
            total += 1
            an = {sw[c] for c in a.get("sw_codes", []) if c in sw}
            bn = {sw[c] for c in b.get("sw_codes", []) if c in sw}
            if not an or not bn or not (an & set(ups) or bn & set(ups)):
                continue
            covered += 1
            if any(an & ups.get(n, set()) for n in bn):
                confirmed += 1
            elif any(bn & ups.get(n, set()) for n in an):
                reversed_.append((a["id"], bid))
    return total, covered, confirmed, reversed_


def cmd_check(args):
    problems, links, ids = [], [], set()
    for path, chain in definitions():
        c, ls = flatten(chain)
        if not chain.get("name_zh") or not chain.get("name_en"):
            problems.append("%s: chain needs name_zh and name_en" % path)
        for l in [c] + ls:
            if l["id"] in ids:
                problems.append("%s: id %s given twice" % (path, l["id"]))
            ids.add(l["id"])
        for l in ls:
            if not l.get("name_zh") or not l.get("name_en") or not l.get("keywords"):
                problems.append("%s: link %s needs name_zh, name_en and keywords" % (path, l["id"]))
        links += ls
    for l in links:
        for u in l.get("upstream_of", []):
            if u not in ids or u == l["id"]:
                problems.append("%s: upstream_of names %s, not another link" % (l["id"], u))
    print("%d chains, %d links" % (len({l['chain'] for l in links}), len(links)))
    if args.data and os.path.isdir(os.path.join(args.data, "chainkg")):
        sw = check_codes(args.data, links, problems)
        total, covered, confirmed, rev = crosscheck(args.data, links, sw)
        print("upstream_of relations: %d; with Shenwan industries industry_up.json knows: %d; "
              "confirmed there: %d; listed the other way round there: %d" % (total, covered, confirmed, len(rev)))
        for a, b in rev:
            print("  %s -> %s: industry_up.json lists the reverse (mutual supply, or an error)" % (a, b))
    else:
        print("no reference data at %s: codes and upstream relations not cross-checked" % args.data)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("demo")
    d.add_argument("--out", default=os.path.join(ROOT, "data", "demo"))
    sub.add_parser("format")
    c = sub.add_parser("check")
    c.add_argument("--data", default=os.path.normpath(os.path.join(ROOT, "..", "shared", "data")))
    args = ap.parse_args()
    return {"demo": cmd_demo, "format": cmd_format, "check": cmd_check}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
