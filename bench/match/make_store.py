#!/usr/bin/env python3
"""Writes JSON Lines files of a large innovation landscape for the matching
benchmark, its text taken from real data sets of ../shared/data: N records
in all, in the demo data's proportions of kinds scaled up (achievements
80%, persons 8%, organizations 6%, demands 6%).

Where each part comes from (read-only; nothing is copied into the
repository):
  English text   sentences of the SciFact abstracts (scifact/corpus.jsonl)
                 and of the DBLP papers of the expert-finding set
                 (expert_finding_brochier/docs.tsv); titles are SciFact
                 titles, keywords phrases of IPC class titles
                 (ipc_scheme_en/ipc_core_2006.tsv)
  Chinese text   clauses of the GB/T 4754-2017 industry remarks
                 (gbt4754_2017_industry), sentences of the PKU news corpus
                 (sighan2005/pku_test.utf8) and of the Hubei news reports
                 (../seeds); titles and keywords are
                 GB/T class names and Shenwan industry names
                 (chainkg/industry.json)
  organizations  enterprises named after A-share companies
                 (chainkg/company.json), universities from the Ministry of
                 Education list (cn_universities), institutes and
                 laboratories after those universities
  persons        the demo's expert names, numbered (no data set has names)
Each record recombines sentences of one language (a quarter of the
achievements and a fifth of the demands are English), so its vocabulary,
field lengths and the spread of its terms are those of real text: no two
records share a text, and scores rarely tie.  Regions, owners, inventors,
TRL, prices, dates and industry codes (placing records on the demo chains'
links) are drawn at random, seeded, so every run writes the same files.  A
tenth of the demands are confidential.  make_stress.py writes the stress
case instead: every text recombined from the demo's own 544 achievements.

usage: make_store.py N OUTDIR [DATA]   (DATA: the shared data folder,
default ../shared/data; writes OUTDIR/{organization,person,achievement,
demand}.jsonl; load them after the demo's region.jsonl and link.jsonl)
"""
import csv, json, os, random, re, sys

n = int(sys.argv[1])
out = sys.argv[2]
root = os.path.dirname(os.path.abspath(__file__))
data = sys.argv[3] if len(sys.argv) > 3 else os.path.join(root, "..", "..", "..", "shared", "data")
demo = os.path.join(root, "..", "..", "data", "demo")
rng = random.Random(20261123)


def path(*p):
    f = os.path.join(data, *p)
    if not os.path.exists(f):
        sys.exit("make_store.py: %s is missing (the shared data folder is absent)" % f)
    return f


def jsonl(f):
    with open(f, encoding="utf-8") as h:
        return [json.loads(line) for line in h if line.strip()]


def load_demo(prefix):
    rows = []
    for name in sorted(os.listdir(demo)):
        if name.startswith(prefix) and name.endswith(".jsonl"):
            rows += jsonl(os.path.join(demo, name))
    return rows


def en_sentences(text):
    return [s.strip() + "." for s in re.split(r"(?<=[a-z0-9)])\. ", text) if len(s) > 30]


scifact = jsonl(path("scifact", "corpus.jsonl"))
en_sent, en_titles = [], []
for d in scifact:
    en_sent += en_sentences(d["text"])
    en_titles.append(d["title"].rstrip("."))
with open(path("expert_finding_brochier", "docs.tsv"), encoding="utf-8") as f:
    for line in f:
        en_sent += en_sentences(line.rstrip("\n").split("\t", 1)[-1])
en_kw = set()
with open(path("ipc_scheme_en", "ipc_core_2006.tsv"), encoding="utf-8") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        for part in re.split(r"[;,]", row["title"]):
            part = re.sub(r"\[.*?\]|\(.*?\)", "", part).strip().lower()
            if 3 <= len(part.split()) <= 4 or (len(part.split()) == 2 and len(part) > 12):
                en_kw.add(part)
en_kw = sorted(en_kw)

zh_sent, zh_names = [], []
with open(path("gbt4754_2017_industry", "gbt4754_2017.csv"), encoding="utf-8") as f:
    for row in csv.DictReader(f):
        zh_names.append(row["name"])
        zh_sent += [s + "。" for s in re.split(r"[。；]", row["remark"]) if len(s) > 8]
with open(path("sighan2005", "pku_test.utf8"), encoding="utf-8") as f:
    for line in f:
        zh_sent += [s + "。" for s in re.split(r"[。！？]", line.strip()) if len(s) > 8]
seeds = os.path.join(data, "..", "seeds")
for name in sorted(os.listdir(seeds)) if os.path.isdir(seeds) else []:
    with open(os.path.join(seeds, name), encoding="utf-8") as f:
        zh_sent += [s + "。" for s in re.split(r"[。！？\n]", f.read()) if len(s.strip()) > 8]
zh_names += [r["name"] for r in jsonl(path("chainkg", "industry.json"))]
zh_names = sorted(set(zh_names))
companies = [r["fullname"] for r in jsonl(path("chainkg", "company.json")) if r.get("fullname")]
with open(path("cn_universities", "cn_universities_moe.csv"), encoding="utf-8") as f:
    universities = [re.sub(r"\s+", "", r["name"]) for r in csv.DictReader(f)]

regions = [r["id"] for r in load_demo("region")]
codes = [r.get("industry_codes", []) for r in load_demo("achievement") + load_demo("demand")]
persons_demo = load_demo("person")

n_org, n_per, n_dem = max(50, n * 6 // 100), max(50, n * 8 // 100), max(50, n * 6 // 100)
n_ach = max(50, n - n_org - n_per - n_dem)
os.makedirs(out, exist_ok=True)


def text(lang, k):
    if lang == "zh":
        return "".join(rng.choice(zh_sent) for _ in range(k))
    return " ".join(rng.choice(en_sent) for _ in range(k))


def title(lang, body):
    if lang == "en":
        return rng.choice(en_titles)
    first = re.split(r"[，。；、]", body)[0][:18]
    return rng.choice(zh_names) + "：" + first


def keywords(lang, k):
    return rng.sample(en_kw if lang == "en" else zh_names, k)


def date():
    return "%d-%02d-%02d" % (rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28))


def org(i):
    kind = rng.choice(["enterprise"] * 6 + ["university", "institute", "lab", "rnd", "agency"])
    uni = rng.choice(universities)
    name = {"enterprise": rng.choice(companies), "university": uni,
            "institute": uni + "研究院", "lab": uni + "重点实验室",
            "rnd": uni + "新型研发机构", "agency": rng.choice(companies)[:-4] + "技术转移服务中心"}[kind]
    # a number keeps names apart: an import merges organizations of one name
    return {"id": "SO-%d" % i, "name_zh": "%s%d" % (name, i), "kind": kind, "region": rng.choice(regions),
            "industry_codes": rng.choice(codes), "description": text("zh", 2),
            "products": keywords("zh", 3)}


with open(os.path.join(out, "organization.jsonl"), "w", encoding="utf-8") as f:
    for i in range(n_org):
        f.write(json.dumps(org(i), ensure_ascii=False) + "\n")

names = []
with open(os.path.join(out, "person.jsonl"), "w", encoding="utf-8") as f:
    for i in range(n_per):
        base = persons_demo[i % len(persons_demo)]
        name = "%s%d" % (base["name_zh"], i)
        names.append(name)
        lang = "en" if rng.random() < 0.25 else "zh"
        f.write(json.dumps({
            "id": "SP-%d" % i, "name_zh": name, "kind": "expert",
            "affiliation": "SO-%d" % rng.randrange(n_org), "region": rng.choice(regions),
            "fields": keywords(lang, 2), "keywords": keywords(lang, 3),
            "bio": text(lang, 2)}, ensure_ascii=False) + "\n")

with open(os.path.join(out, "achievement.jsonl"), "w", encoding="utf-8") as f:
    for i in range(n_ach):
        lang = "en" if rng.random() < 0.25 else "zh"
        abstract = text(lang, 4)
        f.write(json.dumps({
            "id": "SA-%d" % i, "title": title(lang, abstract), "abstract": abstract,
            "keywords": keywords(lang, 4), "owner": "SO-%d" % rng.randrange(n_org),
            "inventors": rng.sample(names, 2), "trl": rng.randint(3, 9),
            "asking_price": rng.choice([None, 10, 30, 60, 120, 300]),
            "industry_codes": rng.choice(codes), "region": rng.choice(regions), "lang": lang,
            "published": date()}, ensure_ascii=False) + "\n")

with open(os.path.join(out, "demand.jsonl"), "w", encoding="utf-8") as f:
    for i in range(n_dem):
        lang = "en" if rng.random() < 0.2 else "zh"
        desc = text(lang, 3)
        f.write(json.dumps({
            "id": "SD-%d" % i, "title": title(lang, desc), "description": desc,
            "keywords": keywords(lang, 3), "owner": "SO-%d" % rng.randrange(n_org),
            "budget": rng.choice([None, 20, 50, 100, 300, 1000]), "trl_need": rng.randint(3, 8),
            "region": rng.choice(regions),
            "visibility": "confidential" if rng.random() < 0.1 else "public",
            "industry_codes": rng.choice(codes), "status": "new", "published": date(),
            "lang": lang}, ensure_ascii=False) + "\n")
print("%d organizations, %d persons, %d achievements, %d demands; text from %d English and "
      "%d Chinese sentences of ../shared/data" % (n_org, n_per, n_ach, n_dem, len(en_sent),
                                                 len(zh_sent)))
