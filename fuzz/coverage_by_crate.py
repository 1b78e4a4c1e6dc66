#!/usr/bin/env python3
"""Where a fuzzing run found its new coverage: edges per crate, and per gridkeeper function.

    fuzz/coverage_by_crate.py BEFORE.txt AFTER.txt

BEFORE.txt and AFTER.txt are what a fuzz target built with the address sanitizer prints with
`-runs=0 -print_coverage=1` over the corpus as it was before the run and after it (the
`COVERED_FUNC:` / `UNCOVERED_FUNC:` lines: covered edges of each function). `-s none` builds
cannot print coverage, so build an ASan copy apart from the fuzzing binaries:

    cd fuzz && cargo +nightly fuzz build -O --target-dir /tmp/fuzz-asan TARGET
    mkdir before && find corpus/TARGET -type f ! -newermt "START" -exec ln -s "$PWD/{}" before/ \\;
    /tmp/fuzz-asan/x86_64-unknown-linux-gnu/release/TARGET -runs=0 -print_coverage=1 before > before.txt 2>&1
    /tmp/fuzz-asan/x86_64-unknown-linux-gnu/release/TARGET -runs=0 -print_coverage=1 corpus/TARGET > after.txt 2>&1

Prints the edges covered after and not before, by crate (from each function's source path),
most first, then the gridkeeper functions that gained.
"""

import collections
import re
import sys

LINE = re.compile(r"(?:UN)?COVERED_FUNC: hits: \d+ edges: (\d+)/(\d+) (.*) (\S+):\d+$")


def load(path):
    """(function, source file) -> covered edges."""
    covered = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line.strip())
            if m:
                covered[(m.group(3), m.group(4))] = int(m.group(1))
    return covered


def crate(source):
    if "/fuzz/fuzz_targets/" in source or "/fuzz/src/" in source:
        return "fuzz target"
    if "/src/" in source and "/registry/" not in source and not source.startswith("/rustc/"):
        return "gridkeeper"
    m = re.search(r"/registry/src/[^/]+/([^/]+?)-\d[^/]*/", source)
    if m:
        return m.group(1)
    if source.startswith("/rustc/"):
        return "std"
    return source


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    before, after = load(sys.argv[1]), load(sys.argv[2])
    by_crate = collections.Counter()
    ours = []
    for key, edges in after.items():
        gained = edges - before.get(key, 0)
        if gained > 0:
            by_crate[crate(key[1])] += gained
            if crate(key[1]) == "gridkeeper":
                ours.append((gained, key[0]))
    print(f"new edges: {sum(by_crate.values())}")
    for name, n in sorted(by_crate.items(), key=lambda x: (-x[1], x[0])):
        print(f"{n:7d}  {name}")
    for n, function in sorted(ours, key=lambda x: (-x[0], x[1])):
        print(f"{n:7d}  gridkeeper: {function}")


if __name__ == "__main__":
    main()
