#!/usr/bin/env python3
"""Writes JSON Lines files of the matching benchmark's stress case: N records in all, in the demo data's proportions of
kinds scaled up (achievements 80%, persons 8%, organizations 6%, demands 6%).

Every text is recombined from the repository's own demo records (data/demo),
sentence by sentence, in their own language, so the vocabulary, the mix of
Chinese and English and the field lengths are the demo's; ids, owners,
inventors, regions, TRL, prices and dates are drawn at random (seeded, so
every run writes the same files).  A tenth of the demands are confidential.

It is a worst case, not a likeness: 544 texts recombined over a million
records make every term common and tie thousands of scores.  make_store.py
writes the realistic store, from real text of ../shared/data.

usage: make_stress.py N OUTDIR   (writes OUTDIR/{organization,person,
achievement,demand}.jsonl; load them after region.jsonl and link.jsonl)
"""
import json, os, random, re, sys

n = int(sys.argv[1])
out = sys.argv[2]
root = os.path.dirname(os.path.abspath(__file__))
demo = os.path.join(root, "..", "..", "data", "demo")
rng = random.Random(20261123)


def load(prefix):
    rows = []
    for name in sorted(os.listdir(demo)):
        if name.startswith(prefix) and name.endswith(".jsonl"):
            with open(os.path.join(demo, name), encoding="utf-8") as f:
                rows += [json.loads(line) for line in f]
    return rows


def sentences(rows, field):
    """Sentences per language: Chinese split after 。；, English after '. '."""
    zh, en = [], []
    for r in rows:
        text = r.get(field) or ""
        if r.get("lang") == "en" or re.match(r"^[ -~]*$", text[:40]):
            en += [s.strip() + "." for s in text.split(". ") if len(s) > 20]
        else:
            zh += [s + "。" for s in re.split(r"[。；]", text) if len(s) > 6]
    return zh, en


regions = [r["id"] for r in load("region")]
achievements, demands = load("achievement"), load("demand")
orgs_demo, persons_demo = load("organization"), load("person")
ach_zh, ach_en = sentences(achievements, "abstract")
dem_zh, dem_en = sentences(demands, "description")
keywords = [k for r in achievements + demands for k in r.get("keywords", [])]
org_kinds = ["enterprise"] * 6 + ["university", "institute", "lab", "rnd", "agency"]

n_org, n_per, n_dem = max(50, n * 6 // 100), max(50, n * 8 // 100), max(50, n * 6 // 100)
n_ach = max(50, n - n_org - n_per - n_dem)
os.makedirs(out, exist_ok=True)


def text(zh, en, lang, k):
    pool = zh if lang == "zh" else en
    return ("" if lang == "zh" else " ").join(rng.choice(pool) for _ in range(k))


def date():
    return "%d-%02d-%02d" % (rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28))


with open(os.path.join(out, "organization.jsonl"), "w", encoding="utf-8") as f:
    for i in range(n_org):
        base = orgs_demo[i % len(orgs_demo)]
        f.write(json.dumps({
            "id": "SO-%d" % i, "name_zh": "%s%d" % (base["name_zh"], i),
            "kind": rng.choice(org_kinds), "region": rng.choice(regions),
            "industry_codes": base.get("industry_codes", []),
            "description": text(ach_zh, ach_en, "zh", 2),
            "products": rng.sample(keywords, 3)}, ensure_ascii=False) + "\n")

names = []
with open(os.path.join(out, "person.jsonl"), "w", encoding="utf-8") as f:
    for i in range(n_per):
        base = persons_demo[i % len(persons_demo)]
        name = "%s%d" % (base["name_zh"], i)
        names.append(name)
        f.write(json.dumps({
            "id": "SP-%d" % i, "name_zh": name, "kind": "expert",
            "affiliation": "SO-%d" % rng.randrange(n_org), "region": rng.choice(regions),
            "fields": rng.sample(keywords, 2), "keywords": rng.sample(keywords, 3),
            "bio": text(ach_zh, ach_en, "zh", 2)}, ensure_ascii=False) + "\n")

with open(os.path.join(out, "achievement.jsonl"), "w", encoding="utf-8") as f:
    for i in range(n_ach):
        lang = "en" if rng.random() < 0.25 else "zh"
        abstract = text(ach_zh, ach_en, lang, 3)
        title = abstract[:24] if lang == "zh" else " ".join(abstract.split()[:8])
        f.write(json.dumps({
            "id": "SA-%d" % i, "title": title, "abstract": abstract,
            "keywords": rng.sample(keywords, 4), "owner": "SO-%d" % rng.randrange(n_org),
            "inventors": rng.sample(names, 2), "trl": rng.randint(3, 9),
            "asking_price": rng.choice([None, 10, 30, 60, 120, 300]),
            "industry_codes": rng.choice(achievements).get("industry_codes", []),
            "region": rng.choice(regions), "lang": lang, "published": date()},
            ensure_ascii=False) + "\n")

with open(os.path.join(out, "demand.jsonl"), "w", encoding="utf-8") as f:
    for i in range(n_dem):
        lang = "en" if rng.random() < 0.2 else "zh"
        desc = text(dem_zh, dem_en, lang, 3)
        title = desc[:20] if lang == "zh" else " ".join(desc.split()[:7])
        f.write(json.dumps({
            "id": "SD-%d" % i, "title": title, "description": desc,
            "keywords": rng.sample(keywords, 3), "owner": "SO-%d" % rng.randrange(n_org),
            "budget": rng.choice([None, 20, 50, 100, 300, 1000]), "trl_need": rng.randint(3, 8),
            "region": rng.choice(regions),
            "visibility": "confidential" if rng.random() < 0.1 else "public",
            "industry_codes": rng.choice(demands).get("industry_codes", []),
            "status": "new", "published": date(), "lang": lang},
            ensure_ascii=False) + "\n")
print("%d organizations, %d persons, %d achievements, %d demands" % (n_org, n_per, n_ach, n_dem))
