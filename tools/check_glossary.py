#!/usr/bin/env python3
"""Checks the bilingual glossary files data/glossary/*.tsv.

Format: UTF-8; lines starting with '#' are comments and each file starts with
a comment block; every other line is `zh<TAB>en[<TAB>weight]` with weight in
0..1 (default 0.5).  Checked here:

  * 2 or 3 tab-separated, non-empty fields, no leading/trailing white space,
    no blank lines;
  * the Chinese side contains Han characters;
  * the English side is ASCII (a few Latin letters with diacritics allowed)
    and contains no Han characters;
  * the weight parses as a number in [0, 1];
  * no (zh, en) pair occurs twice, within a file or across files;
  * the total number of pairs is at least --min (default 3200).

Also warns (without failing) about English that starts with a capital letter
and is not an acronym or a known proper noun, so reviewers can look at it.

Usage: tools/check_glossary.py [DIR] [--min N] [--list-capitals]
Exit status 0 when all checks pass, 1 otherwise.
"""
import argparse
import glob
import os
import re
import sys

HAN = re.compile(r'[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]')
ALLOWED_NON_ASCII = set('éèêëáàâäíìîïóòôöúùûüçñ')


def check(directory, minimum, quiet=True):
    errors = []
    warnings = []
    seen = {}
    counts = {}
    files = sorted(glob.glob(os.path.join(directory, '*.tsv')))
    if not files:
        errors.append(f'{directory}: no .tsv files')
    for path in files:
        name = os.path.basename(path)
        n = 0
        try:
            with open(path, encoding='utf-8') as f:
                lines = f.read().split('\n')
        except UnicodeDecodeError as e:
            errors.append(f'{name}: not UTF-8 ({e})')
            continue
        if lines and lines[-1] == '':
            lines.pop()
        else:
            errors.append(f'{name}: does not end with a newline')
        if not lines or not lines[0].startswith('#'):
            errors.append(f'{name}:1: file must start with a comment block')
        for i, line in enumerate(lines, 1):
            where = f'{name}:{i}'
            if line.startswith('#'):
                continue
            if line.strip() == '':
                errors.append(f'{where}: blank line')
                continue
            if line != line.strip() or '\r' in line:
                errors.append(f'{where}: leading/trailing white space')
            fields = line.split('\t')
            if len(fields) not in (2, 3):
                errors.append(f'{where}: expected 2 or 3 tab-separated fields, got {len(fields)}')
                continue
            if any(x == '' or x != x.strip() for x in fields):
                errors.append(f'{where}: empty field or field with surrounding spaces')
                continue
            zh, en = fields[0], fields[1]
            if not HAN.search(zh):
                errors.append(f'{where}: Chinese side has no Han character: {zh!r}')
            if HAN.search(en):
                errors.append(f'{where}: English side has Han characters: {en!r}')
            bad = [c for c in en if ord(c) > 127 and c not in ALLOWED_NON_ASCII]
            if bad:
                errors.append(f'{where}: English side is not ASCII: {en!r}')
            if '  ' in en or '  ' in zh:
                errors.append(f'{where}: double space')
            if len(fields) == 3:
                try:
                    w = float(fields[2])
                    if not 0.0 <= w <= 1.0:
                        raise ValueError
                except ValueError:
                    errors.append(f'{where}: weight must be a number in 0..1: {fields[2]!r}')
            key = (zh, en)
            if key in seen:
                errors.append(f'{where}: duplicate pair {zh} / {en} (first at {seen[key]})')
            else:
                seen[key] = where
            first = en.split()[0]
            if first[:1].isupper() and not first.isupper() and not re.search(r'[A-Z].*[A-Z0-9]|[0-9]', first):
                warnings.append(f'{where}: English starts with a capital: {en!r}')
            n += 1
        counts[name] = n
    total = sum(counts.values())
    for name, n in counts.items():
        print(f'{name:24s} {n:6d}')
    print(f'{"total":24s} {total:6d}')
    if total < minimum:
        errors.append(f'total {total} pairs < required {minimum}')
    if warnings:
        print(f'{len(warnings)} entries with capitalised English (fine for proper nouns'
              f'{"" if not quiet else "; list them with --list-capitals"})')
        if not quiet:
            for w in warnings:
                print('  ' + w)
    for e in errors:
        print('ERROR ' + e, file=sys.stderr)
    return not errors


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('dir', nargs='?', default=os.path.join(here, '..', 'data', 'glossary'))
    ap.add_argument('--min', type=int, default=3200)
    ap.add_argument('--list-capitals', action='store_true',
                    help='list English entries that start with a capital letter')
    a = ap.parse_args()
    sys.exit(0 if check(a.dir, a.min, not a.list_capitals) else 1)


if __name__ == '__main__':
    main()
