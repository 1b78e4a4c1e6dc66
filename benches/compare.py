#!/usr/bin/env python3
"""Runs gridkeeper and the geopandas peer (benches/peer.py) side by side on one generated
district and prints one table; then checks that both computed the same numbers.
Called by benches/compare.sh, which builds, installs the peer and generates the data.

Every process is timed from here: wall clock with a monotonic clock around the process,
peak resident memory from the kernel's account of the child (`os.wait4`, `ru_maxrss`); the
stages inside come from the processes themselves (`--timings` on gridkeeper, the same
`timing<TAB>stage<TAB>seconds` lines from peer.py), both measured with a monotonic clock
around the same steps. Runs alternate between the two sides; each figure is the median over
the runs.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path


def run(cmd, label):
    """Runs cmd; returns (wall s, peak MiB, {stage: s})."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    kb = usage.ru_maxrss  # KiB on Linux
    if p.returncode not in (0, 1):  # gridkeeper validate exits 1 when it finds errors
        sys.stderr.write(err)
        sys.exit(f"compare: {label} failed ({p.returncode}): {' '.join(cmd)}")
    stages = {}
    for line in err.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0] == "timing":
            stages[parts[1]] = float(parts[2])
    return wall, kb / 1024.0, stages


def commands(side, a, out):
    old, new = f"{a.data}/2025", f"{a.data}/2026"
    cases = f"{a.data}/2025/cases.csv"
    if side == "gridkeeper":
        gk = [a.gk, "--quiet", "--timings", "--lang", "en"]
        return {
            "validate": gk + ["validate", new, "--format", "json", "-o", f"{out}/v/findings.json"],
            "diff": gk + ["diff", old, new, "--out", f"{out}/d"],
            # The old dataset's manifest names its cases.csv: plan reads it as a layer.
            "plan": gk + ["plan", old, new, "--out", f"{out}/p"],
        }
    py = [a.python, str(Path(__file__).with_name("peer.py"))]
    return {
        "validate": py + ["validate", new, "--out", f"{out}/v"],
        "diff": py + ["diff", old, new, "--out", f"{out}/d"],
        "plan": py + ["plan", old, new, "--cases", cases, "--out", f"{out}/p"],
    }


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# ------------------------------------------------------------------ cross-check


def close(a, b):
    """Equal within 1e-6 relative, or within the 0.0005 m² of gridkeeper's CSV rounding."""
    return abs(a - b) <= max(1e-6 * max(abs(a), abs(b)), 0.0005 + 1e-9)


def crosswalk_pairs(path):
    out = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            o, n = r["old_code"], r["new_code"]
            if o and n:
                out[(o, n)] = float(r["area_int"] if "area_int" in r else r["area"])
    return out


def cross_check(a, gk_out, peer_out):
    failures = []
    lines = []

    def check(what, g, p, ok=None):
        good = (g == p) if ok is None else ok
        lines.append(f"  {'ok  ' if good else 'DIFF'}  {what}: gridkeeper {g}, peer {p}")
        if not good:
            failures.append(what)

    # validate: counts by rule against the peer's counts.
    findings = json.load(open(f"{gk_out}/v/findings.json", encoding="utf-8"))["findings"]
    by = Counter((f["rule"], f["layer"]) for f in findings)
    pv = json.load(open(f"{peer_out}/v/numbers.json"))["validate"]
    invalid_rules = {
        "GEOM-SELF-INTERSECTION", "GEOM-RING-SELF-INTERSECTION", "GEOM-HOLE-OUTSIDE-SHELL",
        "GEOM-NESTED-HOLES", "GEOM-DISCONNECTED-INTERIOR", "GEOM-NESTED-SHELLS",
        "GEOM-DUPLICATE-RINGS", "GEOM-PARTS-SHARE-EDGE", "GEOM-TOO-FEW-POINTS",
        "GEOM-INVALID-COORDINATE",
    }
    invalid = len({(f["layer"], f["feature"]) for f in findings
                   if f["rule"] in invalid_rules and f["layer"] in ("streets", "communities", "grids")})
    for what, rule, layer, key in [
        ("grid overlaps", "COVER-OVERLAP", "grids", "grids_overlaps"),
        ("community overlaps", "COVER-OVERLAP", "communities", "communities_overlaps"),
        ("street overlaps", "COVER-OVERLAP", "streets", "streets_overlaps"),
        ("gaps between grids", "COVER-GAP", "grids", "grid_gaps"),
        ("grid codes naming another community", "CODE-PARENT", "grids", "grids_code_parent"),
        ("component classes not in the table", "CLASS-UNKNOWN", "components", "components_class_unknown"),
        ("component codes of another class", "CODE-CLASS", "components", "components_code_class"),
        ("doubled component codes", "KEY-DUPLICATE", "components", "components_duplicates"),
        ("components in another grid than their field's", "COMP-WRONG-GRID", "components", "components_wrong_grid"),
        ("components outside every grid", "COMP-OUTSIDE-GRID", "components", "components_outside_grid"),
        ("components on a grid boundary", "COMP-ON-BOUNDARY", "components", "components_on_boundary"),
        ("doubled components (0.5 m, same class)", "COMP-DUPLICATE", "components", "components_doubled"),
    ]:
        check(f"validate: {what}", by[(rule, layer)], pv[key])
    check("validate: invalid polygons", invalid, pv["invalid_polygons"])

    # diff: every old × new pair and its intersection area, and the component changes.
    for layer, file in [("grids", "grid_crosswalk.csv"), ("communities", "community_crosswalk.csv"),
                        ("streets", "street_crosswalk.csv")]:
        g = crosswalk_pairs(f"{gk_out}/d/{file}")
        if layer == "grids":
            p = crosswalk_pairs(f"{peer_out}/d/grid_crosswalk.csv")
            same = set(g) == set(p)
            bad = [k for k in g if k in p and not close(g[k], p[k])]
            worst = max((abs(g[k] - p[k]) / max(g[k], p[k], 1e-12) for k in g if k in p), default=0.0)
            check(f"diff: {layer} pairs", len(g), len(p), same)
            check(f"diff: {layer} intersection areas within 1e-6 (worst relative {worst:.1e})",
                  len(g) - len(bad), len(p), not bad and same)
        pd_ = json.load(open(f"{peer_out}/d/numbers.json"))["diff"]
        check(f"diff: {layer} pairs (count)", len(g), pd_[f"{layer}_pairs"])
        total_g, total_p = sum(g.values()), pd_[f"{layer}_area"]
        check(f"diff: {layer} total intersection area", f"{total_g:.3f}", f"{total_p:.3f}",
              abs(total_g - total_p) <= 1e-6 * max(total_g, total_p) + 0.0005 * len(g))
    counts = json.load(open(f"{gk_out}/d/diff.json", encoding="utf-8"))["component_counts"]
    for change in ["added", "removed", "moved", "recoded", "reclassified", "owner-changed",
                   "department-changed", "maintainer-changed", "status-changed", "grid-changed"]:
        key = "components_" + change.replace("-", "_")
        check(f"diff: components {change}", counts.get(change, 0), pd_[key])

    # remap: each case's new grid (gridkeeper lists the cases whose grid or unit changed;
    # every other case keeps its filed grid).
    filed = {}
    with open(f"{a.data}/2025/cases.csv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            filed[r["id"]] = r["grid"]
    gk_grid = dict(filed)
    with open(f"{gk_out}/p/case_crosswalk.csv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            gk_grid[r["case_id"].lstrip("'")] = r["new_grid"].lstrip("'")
    differ = []
    n = 0
    with open(f"{peer_out}/p/case_grids.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            n += 1
            if gk_grid.get(r["case_id"], "") != r["new_grid"]:
                differ.append((r["case_id"], gk_grid.get(r["case_id"]), r["new_grid"]))
    check(f"remap: each case's new grid ({n} cases)", n - len(differ), n, not differ)
    for d in differ[:5]:
        lines.append(f"        case {d[0]}: gridkeeper {d[1] or '-'}, peer {d[2] or '-'}")
    return lines, failures


# ------------------------------------------------------------------ main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--gk", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    work = Path(a.work)
    results = {s: {c: [] for c in ("validate", "diff", "plan")} for s in ("gridkeeper", "peer")}
    print(f"scale {a.scale}: {a.data}; {a.runs} runs each; wall clock and peak RSS of each "
          f"process, and each side's own stage clock (--timings); {os.cpu_count()} CPUs",
          flush=True)
    for r in range(a.runs):
        order = ("gridkeeper", "peer") if r % 2 == 0 else ("peer", "gridkeeper")
        for side in order:
            out = work / side
            for sub in ("v", "d", "p"):
                (out / sub).mkdir(parents=True, exist_ok=True)
            for cmd, argv in commands(side, a, out).items():
                wall, mib, stages = run(argv, f"{side} {cmd}")
                results[side][cmd].append((wall, mib, stages))
                print(f"  run {r + 1} {side:<10} {cmd:<8} {wall:7.2f} s {mib:8.0f} MiB", flush=True)

    def stage(side, cmd, name):
        return median([s.get(name, float("nan")) for _, _, s in results[side][cmd]])

    def wall(side, cmd):
        return median([w for w, _, _ in results[side][cmd]])

    def peak(side, cmd):
        return max(m for _, m, _ in results[side][cmd])

    rows = []
    floor = stage("gridkeeper", "plan", "read")
    for label, cmd, name in [
        ("read (all layers, both versions + cases)", "plan", "read"),
        ("validate (stage)", "validate", "validate"),
        ("diff (stage)", "diff", "diff"),
        ("remap (stage)", "plan", "remap"),
    ]:
        rows.append((label, stage("gridkeeper", cmd, name), stage("peer", cmd, name),
                     peak("gridkeeper", cmd), peak("peer", cmd)))
    for cmd in ("validate", "diff", "plan"):
        rows.append((f"{cmd} (whole process)", wall("gridkeeper", cmd), wall("peer", cmd),
                     peak("gridkeeper", cmd), peak("peer", cmd)))
    e2e = [sum(results[s][c][r][0] for c in ("validate", "diff", "plan")) for s in ("gridkeeper", "peer")
           for r in range(a.runs)]
    rows.append(("validate + diff + plan (end to end)", median(e2e[: a.runs]), median(e2e[a.runs:]),
                 max(peak("gridkeeper", c) for c in ("validate", "diff", "plan")),
                 max(peak("peer", c) for c in ("validate", "diff", "plan"))))
    print()
    head = f"{'stage':<42}{'gridkeeper':>12}{'peer':>10}{'peer/gk':>9}{'gk/read':>9}{'gk peak':>10}{'peer peak':>11}"
    print(head)
    print("-" * len(head))
    for label, g, p, gm, pm in rows:
        print(f"{label:<42}{g:>10.2f} s{p:>8.2f} s{p / g:>8.1f}×{g / floor:>8.2f}×"
              f"{gm:>7.0f} MiB{pm:>7.0f} MiB")
    print("(medians of wall-clock seconds; peer/gk > 1: gridkeeper is faster; gk/read: gridkeeper's "
          "time over its own read of all the inputs; peak: the most resident memory of the "
          "process that runs the stage, over the runs)")

    def per_run(side, parts):
        """Median over the runs of the sum of the given (command, stage) times."""
        return median([sum(results[side][c][r][2].get(n, 0.0) for c, n in parts)
                       for r in range(a.runs)])

    reads = [("validate", "read"), ("diff", "read"), ("plan", "read")]
    work_ = [("validate", "validate"), ("diff", "diff"), ("plan", "diff"), ("plan", "remap"),
             ("plan", "plan")]
    g_reads, p_reads = per_run("gridkeeper", reads), per_run("peer", reads)
    g_work, p_work = per_run("gridkeeper", work_), per_run("peer", work_)
    print(f"the three processes read for {g_reads:.2f} s (peer {p_reads:.2f} s): end to end is "
          f"{median(e2e[: a.runs]) / g_reads:.2f}× gridkeeper's reads")
    print(f"their computing stages (validate, diff, remap, plan; no read, hash or write) take "
          f"{g_work:.2f} s (peer {p_work:.2f} s, {p_work / g_work:.1f}×): "
          f"{g_work / floor:.2f}× the read floor")
    (work / "results.json").write_text(json.dumps(results, indent=1))
    print()
    print("cross-check (last run's outputs):")
    lines, failures = cross_check(a, work / "gridkeeper", work / "peer")
    print("\n".join(lines))
    if failures:
        print(f"cross-check: {len(failures)} disagreement(s)")
        sys.exit(1)
    print("cross-check: both sides agree")


if __name__ == "__main__":
    main()
