#!/usr/bin/env python3
"""summary.py: the test run in one line, from meson's testlog.json files.

Lists failed tests and skipped ones with the reason each gave, then ends with
"N passed, N failed" (", N skipped" when any were skipped).
"""

import json
import sys

PASSED = {"OK", "EXPECTEDFAIL"}


def skip_reason(entry):
    for line in entry.get("stdout", "").splitlines():
        if line.startswith("SKIP"):
            return line
    return "SKIP (no reason given)"


def main(paths):
    passed, failed, skipped = [], [], []
    for path in paths:
        with open(path) as f:
            for line in f:
                entry = json.loads(line)
                result = entry["result"]
                if result in PASSED:
                    passed.append(entry)
                elif result == "SKIP":
                    skipped.append(entry)
                else:
                    failed.append(entry)
    for entry in skipped:
        print(f"skipped {entry['name']}: {skip_reason(entry)}")
    for entry in failed:
        print(f"failed  {entry['name']}: {entry['result']}")
    line = f"{len(passed)} passed, {len(failed)} failed"
    if skipped:
        line += f", {len(skipped)} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
