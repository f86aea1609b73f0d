#!/usr/bin/env python3
"""score-batch.py SPLATSCAN DIR [-v]: how splatscan does on a batch of logs.

Each file of DIR whose name is a number holds a header, a blank line, then a
console log, as in ../shared/corpus/: "TITLE: <title syzkaller gave>" and/or
"CULPRIT: <function a developer would name, or ?>"; a file with neither is
expected to hold no report. Prints one line of figures; -v also lists the
files that disagree. Batches are kept outside the tree (see README,
"How well it does").
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def without_repeat(title):
    """syzbot's "(2)" suffix on a bug filed again."""
    return re.sub(r' \(\d+\)$', '', title.strip())


def first_title(splatscan, log):
    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        f.write(log)
        path = f.name
    try:
        run = subprocess.run([splatscan, '--json', path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if run.returncode not in (0, 1):
        sys.exit(f'score-batch: {splatscan} failed on a log of the batch: {run.stderr.strip()}')
    reports = json.loads(run.stdout) if run.stdout.strip() else []
    return reports[0]['title'] if reports else ''


def main():
    args = [a for a in sys.argv[1:] if a != '-v']
    verbose = len(args) != len(sys.argv) - 1
    if len(args) != 2:
        sys.exit(__doc__.strip().splitlines()[0])
    splatscan, batch = args
    n = present_ok = titled = title_ok = title_exact = found = named = culprits = culprit_ok = 0
    for name in sorted(os.listdir(batch)):
        if not name.isdigit():
            continue
        with open(os.path.join(batch, name), encoding='utf-8', errors='replace') as f:
            head, _, log = f.read().partition('\n\n')
        fields = dict(re.findall(r'^([A-Z]+): ?(.*)$', head, re.M))
        want = fields.get('TITLE', '').strip()
        culprit = fields.get('CULPRIT', '').strip()
        expect_report = bool(want or culprit)
        got = first_title(splatscan, log)
        n += 1
        present_ok += bool(got) == expect_report
        found += bool(got)
        named += bool(got) and not got.endswith(' corrupted')
        wrong = bool(got) != expect_report
        if want:
            titled += 1
            title_exact += got == want
            title_ok += without_repeat(got) == without_repeat(want)
            wrong = wrong or without_repeat(got) != without_repeat(want)
        if culprit and culprit != '?':
            culprits += 1
            hit = re.search(r'\b' + re.escape(culprit) + r'\b', got) is not None
            culprit_ok += hit
            wrong = wrong or not hit
        if verbose and wrong:
            print(f'{name}: want {want or culprit or "no report"!r}, got {got or "no report"!r}')
    line = f'{batch}: {n} logs; presence {present_ok}/{n}; named (not corrupted) {named}/{found}'
    if titled:
        line += f'; titles {title_ok}/{titled} without the repeat suffix ({title_exact} exact)'
    if culprits:
        line += f'; culprit in the title {culprit_ok}/{culprits}'
    print(line)


if __name__ == '__main__':
    main()
