#!/usr/bin/env python3
"""Scores a word segmentation against the gold standard, as SIGHAN 2005 does.

usage: score.py GOLD TEST [TRAINING_WORDS]

Both files hold the same text with words separated by whitespace.  Each
word is taken as the interval of character offsets it covers in the whole
text with all whitespace removed; a test word is correct when the gold has
the same interval.  Precision = correct / test words, recall = correct /
gold words, F1 = 2PR / (P + R).  OOV recall is the recall over the gold
words that are not in TRAINING_WORDS (one word per line).  Prints
"P R F1 OOV-R" on one line; fails when the two texts differ.
"""
import sys


def spans(path):
    words = []
    chars = []
    pos = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            for w in line.split():
                words.append((pos, pos + len(w), w))
                chars.append(w)
                pos += len(w)
    return words, "".join(chars)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    gold, gtext = spans(sys.argv[1])
    test, ttext = spans(sys.argv[2])
    if gtext != ttext:
        i = next((k for k in range(min(len(gtext), len(ttext))) if gtext[k] != ttext[k]),
                 min(len(gtext), len(ttext)))
        sys.exit("score.py: %s does not hold the gold text: they differ at character %d "
                 "(%r vs %r)" % (sys.argv[2], i, gtext[i:i + 10], ttext[i:i + 10]))
    tset = {(a, b) for a, b, _ in test}
    correct = sum(1 for a, b, _ in gold if (a, b) in tset)
    p = correct / len(test) if test else 0.0
    r = correct / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    oov = float("nan")
    if len(sys.argv) == 4:
        with open(sys.argv[3], encoding="utf-8") as f_:
            vocab = {w.strip() for w in f_ if w.strip()}
        oovs = [(a, b) for a, b, w in gold if w not in vocab]
        if oovs:
            oov = sum(1 for s in oovs if s in tset) / len(oovs)
    print("%.4f %.4f %.4f %.4f" % (p, r, f, oov))


if __name__ == "__main__":
    main()
