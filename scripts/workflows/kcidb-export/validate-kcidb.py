"""Validate KCIDB JSON files against the latest schema kcidb-io knows.

usage: validate-kcidb.py FILE...   (kcidb-io on PYTHONPATH)
Exit 0 when every file is valid and written in the latest version, 1 when
one is not (the first error is printed), 2 when kcidb-io cannot be loaded.
"""
import json
import sys

try:
    from kcidb_io import schema
except ImportError as e:  # never a silent pass: the caller sees why
    print(f"validate-kcidb: cannot import kcidb_io ({e}); "
          "is ../shared/vendor/kcidb-io there and python3-jsonschema installed?",
          file=sys.stderr)
    sys.exit(2)

latest = schema.LATEST
status = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    version = data.get("version", {})
    if (version.get("major"), version.get("minor")) != (latest.major, latest.minor):
        print(f"{path}: version {version} is not the latest, "
              f"{latest.major}.{latest.minor}", file=sys.stderr)
        status = 1
        continue
    try:
        latest.validate(data)
    except Exception as e:  # jsonschema's ValidationError, or worse
        print(f"{path}: invalid KCIDB v{latest.major}.{latest.minor}: "
              f"{str(e).splitlines()[0]}", file=sys.stderr)
        status = 1
        continue
    print(f"{path}: valid KCIDB v{latest.major}.{latest.minor}, "
          f"{len(data.get('tests', []))} tests")
sys.exit(status)
