#!/usr/bin/env python3
"""The python3-jieba peer of bench/segment: segments UTF-8 lines from
standard input with jieba.cut (precise mode), HMM on or off, and writes
each line's words separated by single spaces; whitespace is dropped.

usage: jieba_seg.py --hmm | --no-hmm
"""
import sys

import jieba


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("--hmm", "--no-hmm"):
        sys.exit(__doc__)
    hmm = sys.argv[1] == "--hmm"
    jieba.setLogLevel(60)
    jieba.initialize()
    out = sys.stdout
    for line in sys.stdin:
        words = jieba.cut(line.rstrip("\r\n"), HMM=hmm)
        out.write(" ".join(w for w in words if not w.isspace()) + "\n")


if __name__ == "__main__":
    main()
