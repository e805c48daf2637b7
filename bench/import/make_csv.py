#!/usr/bin/env python3
"""Writes N achievement rows as CSV for the import benchmark.

Titles and abstracts are sentences of real scientific abstracts: SciFact's
corpus (../shared/data/scifact/corpus.jsonl) when it is there, recombined so
that every row is different; without it, the sentences of the repository's
own demo achievements.  Owners and regions are drawn from the regions and
organizations the benchmark loads first.
"""
import json, os, random, sys

n = int(sys.argv[1])
out = sys.argv[2]
root = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(root, "..", "..", "..", "shared", "data", "scifact", "corpus.jsonl")
sentences = []
if os.path.exists(shared):
    source = "SciFact corpus sentences"
    with open(shared, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            for s in doc["text"].split(". "):
                if 40 < len(s) < 400:
                    sentences.append(s.strip())
else:
    source = "demo achievement sentences (../shared/data not found)"
    demo = os.path.join(root, "..", "..", "data", "demo")
    for name in sorted(os.listdir(demo)):
        if name.startswith("achievement") and name.endswith(".jsonl"):
            with open(os.path.join(demo, name), encoding="utf-8") as f:
                for line in f:
                    a = json.loads(line).get("abstract", "")
                    sentences += [s for s in a.replace("。", ". ").split(". ") if len(s) > 10]
print(f"text: {source}, {len(sentences)} sentences", file=sys.stderr)
rnd = random.Random(42)
owners = ["UNI-4142010489", "UNI-4142010487", "CO-000852", "ORG-JZ-PUMP"]
regions = ["4201", "4210", "P-JZETDZ", "4208"]
kinds = ["patent", "result", "software", "process", "product"]
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("id,title,abstract,keywords,kind,owner,trl,asking_price,region,published\n")
    for i in range(n):
        title = rnd.choice(sentences)[:120].replace('"', '""')
        abstract = " ".join(rnd.choice(sentences) for _ in range(2)).replace('"', '""')
        kw = ";".join(w.strip(",.()").lower() for w in rnd.sample(title.split(), min(3, len(title.split()))))
        f.write(f'ACH-B-{i},"{title}","{abstract}","{kw.replace(chr(34), "")}",'
                f'{rnd.choice(kinds)},{rnd.choice(owners)},{rnd.randint(1, 9)},'
                f'{rnd.randint(5, 500)},{rnd.choice(regions)},2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}\n')
