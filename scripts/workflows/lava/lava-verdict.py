#!/usr/bin/python3
"""lava-verdict.py: the rig's verdict on a LAVA job's log.

usage: lava-verdict.py LOG [--splatscan BIN] [--serial-out FILE] [--expect SUMMARY]

LOG is what lava-run printed (one YAML record a line; a lab's log as
`lavacli jobs logs --raw` prints it works too). LAVA's own job result stays
"pass" when tests fail, a splat is printed or the monitor times out, so the
verdict is made here, by the rig's rules, from LAVA's per-test result records
(the "results" records of the "irqfd-selftest" monitor) and the console
lines LAVA logged ("target" and "feedback" records):
  splat         the rig's splat scanner finds a report in the console, or the
                monitor's pattern recorded a splat line as a failing case
  timeout       the selftest's end marker never came and the monitor timed out
  test-failure  a failed case, a non-zero selftest status (all skipped is 4),
                no end marker, no KTAP result, or fewer results than planned
  pass          none of these (a SKIP is reported as a SKIP, never a pass)
  infra-error   the guest printed nothing: LAVA could not run it
It prints one line per LAVA test case and "lava-verdict: VERDICT: reason",
and exits with the rig's exit code (0, 1, 2, 3, 125). With --expect
SUMMARY (a boot-test run's summary.json) it compares instead: the same
verdict, the same KTAP results and the same splat titles (after a splat,
which the rig stops 5 s later and LAVA cannot, LAVA may add tests and
reports), exit 0 when they match, 1 when not (each difference is printed).

Written in Python because LAVA's log is YAML and lava-dispatcher brings
Python's yaml; everything it judges by is the rig's (splatscan).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader

MONITOR = "irqfd-selftest"
SPLAT_CASE = re.compile(r"^(BUG|WARNING|INFO|Kernel panic|general protection fault)")
EXIT = {"pass": 0, "test-failure": 1, "splat": 2, "timeout": 3, "infra-error": 125}


def read_log(path):
    """LAVA's records: lava-run prints one flow-style YAML mapping a line
    (a server's raw log prefixes each with "- ")."""
    records = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("- {"):
                line = line[2:]
            if not line.startswith("{"):
                continue
            try:
                rec = yaml.load(line, Loader=Loader)
            except yaml.YAMLError:
                continue
            if isinstance(rec, dict):
                records.append(rec)
    return records


def judge(records, splatscan, serial_out):
    # The console: "target" lines, and "feedback" lines, which is how LAVA
    # logs what the console printed while no action was reading it (the end
    # marker's line, once the monitor matched its start, arrives so).
    console = [r["msg"] for r in records
               if r.get("lvl") in ("target", "feedback") and isinstance(r.get("msg"), str)]
    cases, splat_cases = [], []
    for r in records:
        msg = r.get("msg")
        if r.get("lvl") != "results" or not isinstance(msg, dict):
            continue
        if msg.get("definition") == MONITOR or str(msg.get("definition", "")).endswith("_" + MONITOR):
            name = str((msg.get("extra") or {}).get("test_case_id", msg.get("case", "")))
            if msg.get("result") == "fail" and SPLAT_CASE.match(name):
                splat_cases.append(name)
            else:
                cases.append((name, msg.get("result")))

    text = "\n".join(line.rstrip("\r") for line in console) + "\n"
    with open(serial_out, "w", encoding="utf-8", errors="replace") as f:
        f.write(text)
    scan = subprocess.run([splatscan, "--json", serial_out], capture_output=True, text=True)
    if scan.returncode not in (0, 1):
        raise SystemExit(f"lava-verdict: {splatscan} failed: {scan.stderr.strip()}")
    titles = [s["title"] for s in json.loads(scan.stdout or "[]")]

    end = re.search(r"irqfd-rig: end status=(-?\d+)", text)
    planned = re.search(r"^1\.\.(\d+)\s*$", text, re.M)
    failed = [n for n, res in cases if res == "fail"]
    if not console:
        v = ("infra-error", "LAVA logged no console output: the guest did not run")
    elif titles or splat_cases:
        first = titles[0] if titles else splat_cases[0]
        v = ("splat", f"{max(len(titles), len(splat_cases))} kernel report(s), first: {first}")
    elif "irqfd-rig: init uptime=" not in text:
        v = ("test-failure", "the kernel never reached /init")
    elif not end:
        # LAVA records a timeout in the monitor's result ("extra": {"fail":
        # "lava-test-monitor timed out after N seconds"}) and the job's.
        timed_out = any(r.get("lvl") == "results" and isinstance(r.get("msg"), dict) and
                        r["msg"].get("definition") == "lava" and "timed out" in str(r["msg"])
                        for r in records)
        v = ("timeout", "no result before LAVA's timeout: the guest hung") if timed_out else \
            ("test-failure", "the selftest ended without its end marker (it crashed?)")
    elif end.group(1) != "0":
        v = ("test-failure", f"the selftest exited with status {end.group(1)} ({len(failed)} failed)")
    elif not cases:
        v = ("test-failure", "LAVA recorded no KTAP result")
    elif failed:
        v = ("test-failure", f"{len(failed)} KTAP test(s) failed")
    elif planned and int(planned.group(1)) != len(cases):
        v = ("test-failure", f"KTAP planned {planned.group(1)} tests but LAVA recorded {len(cases)}")
    else:
        v = ("pass", f"all {len(cases)} tests passed, no kernel splat")
    return v, cases, titles, splat_cases


def compare(verdict, cases, titles, summary_path):
    with open(summary_path, encoding="utf-8") as f:
        summary = json.load(f)
    diffs = []
    if summary.get("verdict") != verdict:
        diffs.append(f"verdict: rig {summary.get('verdict')}, LAVA {verdict}")
    rig = {t["name"]: t["result"] for t in summary.get("tests", {}).get("results", [])}
    lava = dict(cases)
    # The rig stops the guest 5 s after a splat; LAVA cannot, so after a
    # splat it may see more tests and more reports: those are not differences.
    after_splat = summary.get("verdict") == "splat"
    names = set(rig) if after_splat else set(rig) | set(lava)
    for name in sorted(names):
        if rig.get(name) != lava.get(name):
            diffs.append(f"{name}: rig {rig.get(name, 'absent')}, LAVA {lava.get(name, 'absent')}")
    rig_titles = {s["title"] for s in summary.get("splats", [])}
    lava_titles = set(titles)
    if (not rig_titles <= lava_titles) if after_splat else rig_titles != lava_titles:
        diffs.append(f"splats: rig {sorted(rig_titles)}, LAVA console {sorted(lava_titles)}")
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--splatscan", default=os.path.join(here, "..", "..", "..", "build", "bin", "splatscan"))
    ap.add_argument("--serial-out", help="write the console LAVA logged here (default: a temporary file)")
    ap.add_argument("--expect", help="a boot-test run's summary.json to compare with")
    args = ap.parse_args()

    records = read_log(args.log)
    with tempfile.TemporaryDirectory() as tmp:
        serial = args.serial_out or os.path.join(tmp, "serial.log")
        (verdict, reason), cases, titles, splat_cases = judge(records, args.splatscan, serial)
    for name, result in cases:
        print(f"lava-case: {result:4} {name}")
    for name in splat_cases:
        print(f"lava-case: fail splat line: {name}")
    for t in titles:
        print(f"splat: {t}")
    job = [r["msg"].get("result") for r in records if r.get("lvl") == "results" and
           isinstance(r.get("msg"), dict) and r["msg"].get("definition") == "lava" and
           r["msg"].get("case") == "job"]
    print(f"lava-job-result: {job[-1] if job else 'none'} (LAVA's own; says only that its pipeline ran)")
    counts = {r: sum(1 for _, x in cases if x == r) for r in ("pass", "fail", "skip")}
    print(f"lava-verdict: {verdict}: {reason} (LAVA cases: {counts['pass']} pass, "
          f"{counts['fail']} fail, {counts['skip']} skip, {len(splat_cases)} splat lines)")
    if not args.expect:
        return EXIT[verdict]
    diffs = compare(verdict, cases, titles, args.expect)
    for d in diffs:
        print(f"lava-verdict: differs: {d}")
    if diffs:
        print(f"lava-verdict: LAVA's results do NOT match the rig's verdict in {args.expect}")
        return 1
    print(f"lava-verdict: LAVA's results match the rig's verdict ({verdict}, {len(cases)} tests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
