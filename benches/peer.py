#!/usr/bin/env python3
"""The peer of `benches/compare.sh`: the same stages as gridkeeper, done the way a GIS
analyst would with geopandas, shapely 2 (GEOS) and pyogrio — vectorised, STRtree joins,
no Python loops over features.

    peer.py validate NEW --out DIR
    peer.py diff OLD NEW --out DIR
    peer.py plan OLD NEW --cases FILE --out DIR

Each command prints `timing<TAB>stage<TAB>seconds` lines on standard error (as
`gridkeeper --timings` does) and writes `numbers.json` into DIR: the figures
`compare.py` cross-checks against gridkeeper's outputs.

What each stage does (the work gridkeeper does, see benches/README.md):
- read: every layer of the dataset(s) the command needs (streets, communities, grids,
  components, pois; plan also the cases CSV), fields renamed per dataset.toml;
- validate: code checks (length, digits, parent prefix, region, class table, unique codes,
  references), per-feature validity (is_valid_reason), overlaps between grids (STRtree
  self-join, intersection areas), gaps (union of the grids against the union of the
  streets), each component located in a grid (sjoin) and compared with its grid field,
  doubled components (dwithin 0.5 m, same class);
- diff: old × new intersections of streets, communities and grids (STRtree join,
  intersection areas, shares, noise floor), components matched by code, then by place
  within 1 m (same class: recoded; any class: reclassified), attribute changes, grid changes
  (both versions' components located in their grids);
- remap: every case located in the old and the new grids (sjoin), boundary and outside
  cases to the nearest new grid within 50 m (sjoin_nearest), cases without a point by the
  lineage (largest share); the case crosswalk of cases whose grid changed, as CSV.
"""

import json
import sys
import time
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

TIMINGS = []
LAYERS = ["streets", "communities", "grids", "components", "pois"]
LINEAGE_MIN_AREA = 10.0
LINEAGE_MIN_SHARE = 0.001
OVERLAP_TOLERANCE = 0.01
COMPONENT_MATCH_M = 1.0
COMPONENT_MOVED_M = 0.5
COMPONENT_DUPLICATE_M = 0.5
CASE_NEAREST_M = 50.0


class stage:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        TIMINGS.append((self.name, time.perf_counter() - self.t0))


def read_dataset(folder):
    """Every layer of a dataset folder, columns renamed to the canonical names."""
    folder = Path(folder)
    manifest = tomllib.loads((folder / "dataset.toml").read_text(encoding="utf-8"))
    out = {"manifest": manifest}
    for name in LAYERS:
        entry = manifest["layers"].get(name)
        if entry is None:
            continue
        df = gpd.read_file(folder / entry["path"], engine="pyogrio")
        rename = {local: canonical for canonical, local in entry.get("fields", {}).items()}
        df = df.rename(columns=rename)
        for col in df.columns:
            if col != "geometry" and df[col].dtype == object:
                df[col] = df[col].fillna("").astype(str).str.strip()
        out[name] = df
    return out


def read_cases(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    x = pd.to_numeric(df["x"], errors="coerce")
    y = pd.to_numeric(df["y"], errors="coerce")
    geom = shapely.points(x.to_numpy(), y.to_numpy())
    geom[np.isnan(x.to_numpy()) | np.isnan(y.to_numpy())] = None
    return gpd.GeoDataFrame(df, geometry=geom, crs=None)


# ---------------------------------------------------------------- validate


def validate(ds, classes):
    n = {}
    grids, comps = ds["grids"], ds["components"]
    region = ds["manifest"].get("region", "")
    with stage("validate.codes"):
        for name, length, parent_field, parent_len in [
            ("streets", 9, None, 0),
            ("communities", 12, "street", 9),
            ("grids", 15, "community", 12),
        ]:
            df = ds[name]
            code = df["code"]
            bad_format = ~code.str.fullmatch(r"[0-9]{%d}" % length)
            bad_region = code.str[:6] != region
            n[f"{name}_code_format"] = int(bad_format.sum())
            n[f"{name}_code_region"] = int((~bad_format & bad_region).sum())
            if parent_field:
                stated = df[parent_field]
                n[f"{name}_code_parent"] = int(
                    (~bad_format & (stated != "") & (code.str[:parent_len] != stated)).sum()
                )
            n[f"{name}_duplicates"] = int(code[code != ""].duplicated().sum())
        code = comps["code"]
        bad = ~code.str.fullmatch(r"[0-9]{16}")
        n["components_code_format"] = int(bad.sum())
        n["components_class_unknown"] = int((~bad & ~code.str[6:10].isin(classes)).sum())
        n["components_code_class"] = int(
            (~bad & (comps["class"] != "") & (code.str[6:10] != comps["class"])).sum()
        )
        n["components_duplicates"] = int(code[code != ""].duplicated().sum())
        n["grids_unknown_community"] = int(
            (~grids["community"].isin(ds["communities"]["code"])).sum()
        )
        n["components_unknown_grid"] = int(
            ((comps["grid"] != "") & ~comps["grid"].isin(grids["code"])).sum()
        )
    with stage("validate.geometry"):
        invalid = 0
        for name in ["streets", "communities", "grids"]:
            g = ds[name].geometry.values
            valid = shapely.is_valid(g)
            reasons = shapely.is_valid_reason(g[~valid])
            invalid += int((~valid).sum())
            n[f"{name}_invalid_reasons"] = sorted(set(reasons.tolist()))
        n["invalid_polygons"] = invalid
    with stage("validate.coverage"):
        for name in ["streets", "communities", "grids"]:
            g = ds[name].geometry.values
            tree = shapely.STRtree(g)
            i, j = tree.query(g, predicate="intersects")
            keep = i < j
            i, j = i[keep], j[keep]
            area = shapely.area(shapely.intersection(g[i], g[j]))
            n[f"{name}_overlaps"] = int((area > OVERLAP_TOLERANCE).sum())
        district = shapely.union_all(ds["streets"].geometry.values)
        covered = shapely.union_all(grids.geometry.values)
        gaps = shapely.get_parts(shapely.difference(district, covered))
        n["grid_gaps"] = int((shapely.area(gaps) > OVERLAP_TOLERANCE).sum())
        holes = shapely.get_parts(shapely.get_interior_ring(shapely.get_parts(covered), 0))
        n["grid_union_parts"] = int(len(shapely.get_parts(covered)))
        del holes
    with stage("validate.nesting"):
        # Each grid inside the community its field names (covered_by), by an STRtree join.
        com = ds["communities"]
        tree = shapely.STRtree(com.geometry.values)
        gi, ci = tree.query(grids.geometry.values, predicate="covered_by")
        inside = pd.Series(com["code"].to_numpy()[ci], index=gi)
        ok = inside.groupby(level=0).apply(len) if len(inside) else pd.Series(dtype=int)
        n["grids_outside_community"] = int(len(grids) - len(ok))
    with stage("validate.points"):
        pts = comps.geometry.values
        tree = shapely.STRtree(grids.geometry.values)
        pi, gi = tree.query(pts, predicate="intersects")
        hits = np.bincount(pi, minlength=len(pts))
        strictly = shapely.contains_properly(grids.geometry.values[gi], pts[pi])
        inside = pd.Series(grids["code"].to_numpy()[gi[strictly]], index=pi[strictly])
        inside = inside[~inside.index.duplicated()]
        stated = comps["grid"].to_numpy()
        located = inside.reindex(range(len(pts))).to_numpy()
        has_inside = ~pd.isna(located)
        n["components_outside_grid"] = int((hits == 0).sum())
        n["components_on_boundary"] = int(((hits > 0) & ~has_inside).sum())
        known = comps["grid"].isin(grids["code"]).to_numpy()
        n["components_wrong_grid"] = int(
            (has_inside & known & (located != stated)).sum()
        )
        # Doubled: two components of one class within 0.5 m.
        ptree = shapely.STRtree(pts)
        a, b = ptree.query(pts, predicate="dwithin", distance=COMPONENT_DUPLICATE_M)
        keep = a > b
        cls = comps["class"].to_numpy()
        dup = np.unique(a[keep][cls[a[keep]] == cls[b[keep]]])
        n["components_doubled"] = int(len(dup))
    return n


# ---------------------------------------------------------------- diff


def active(df, manifest):
    """Features that take part: not void (作废, components) and not ended by the effective date."""
    end = pd.to_datetime(df["end"], errors="coerce") if "end" in df else None
    eff = pd.Timestamp(str(manifest.get("effective", "2200-01-01")))
    ended = end.notna() & (end <= eff) if end is not None else pd.Series(False, index=df.index)
    void = df["currency"] == "作废" if "currency" in df else pd.Series(False, index=df.index)
    return (~void & ~ended).to_numpy()


def lineage(old, new):
    """Old × new pairs of one polygon layer with intersection areas and shares."""
    og, ng = old.geometry.values, new.geometry.values
    tree = shapely.STRtree(ng)
    oi, ni = tree.query(og, predicate="intersects")
    inter = shapely.area(shapely.intersection(og[oi], ng[ni]))
    ao, an = shapely.area(og), shapely.area(ng)
    so = np.where(ao[oi] > 0, np.minimum(inter / np.where(ao[oi] > 0, ao[oi], 1), 1.0), 0.0)
    sn = np.where(an[ni] > 0, np.minimum(inter / np.where(an[ni] > 0, an[ni], 1), 1.0), 0.0)
    keep = (inter >= LINEAGE_MIN_AREA) & (np.maximum(so, sn) >= LINEAGE_MIN_SHARE)
    return pd.DataFrame(
        {
            "old": oi[keep],
            "new": ni[keep],
            "old_code": old["code"].to_numpy()[oi[keep]],
            "new_code": new["code"].to_numpy()[ni[keep]],
            "area": inter[keep],
            "share_old": so[keep],
            "share_new": sn[keep],
        }
    )


def located_grid(points, grids):
    """The grid code each point lies in (on a shared edge: the smallest code), or None."""
    tree = shapely.STRtree(grids.geometry.values)
    pi, gi = tree.query(points, predicate="intersects")
    df = pd.DataFrame({"p": pi, "code": grids["code"].to_numpy()[gi]})
    first = df.sort_values(["p", "code"]).drop_duplicates("p")
    return pd.Series(first["code"].to_numpy(), index=first["p"].to_numpy()).reindex(
        range(len(points))
    )


def diff(old, new):
    n = {}
    pairs = {}
    for name in ["streets", "communities", "grids"]:
        with stage(f"diff.lineage.{name}"):
            # A feature ended on or before its version's effective date is retired: removed.
            o = old[name][active(old[name], old["manifest"])]
            w = new[name][active(new[name], new["manifest"])]
            p = lineage(o, w)
            pairs[name] = p
            n[f"{name}_pairs"] = int(len(p))
            n[f"{name}_area"] = float(p["area"].sum())
    with stage("diff.components"):
        oc = old["components"][active(old["components"], old["manifest"])]
        nc = new["components"][active(new["components"], new["manifest"])]
        og = located_grid(oc.geometry.values, old["grids"]).fillna(
            pd.Series(oc["grid"].to_numpy())
        )
        ng = located_grid(nc.geometry.values, new["grids"]).fillna(
            pd.Series(nc["grid"].to_numpy())
        )
        oc = oc.assign(located=og.to_numpy(), i=np.arange(len(oc)))
        nc = nc.assign(located=ng.to_numpy(), j=np.arange(len(nc)))
        # One to one: the first feature of a code on each side (a doubled code's second
        # feature is matched by place, or added/removed).
        first_o = oc[(oc["code"] != "") & ~oc["code"].duplicated()]
        first_n = nc[(nc["code"] != "") & ~nc["code"].duplicated()]
        by_code = first_o.merge(first_n, on="code", suffixes=("_o", "_n"))
        n["components_by_code"] = int(len(by_code))
        rest_o = oc[~oc["i"].isin(by_code["i"])]
        rest_n = nc[~nc["j"].isin(by_code["j"])]
        near = gpd.sjoin_nearest(
            rest_o[["class", "geometry", "i"]],
            rest_n[["class", "geometry", "j"]],
            max_distance=COMPONENT_MATCH_M,
            distance_col="d",
        )
        near = near.sort_values(["d", "i"]).drop_duplicates("i").drop_duplicates("j")
        n["components_recoded"] = int((near["class_left"] == near["class_right"]).sum())
        n["components_reclassified"] = int((near["class_left"] != near["class_right"]).sum())
        matched_o = len(by_code) + len(near)
        n["components_removed"] = int(len(oc) - matched_o)
        n["components_added"] = int(len(nc) - matched_o)
        # Every matched pair (by code and by place) compared.
        pairs_on = np.concatenate([by_code["i"].to_numpy(), near["i"].to_numpy()])
        pairs_nn = np.concatenate([by_code["j"].to_numpy(), near["j"].to_numpy()])
        mo = oc.iloc[pairs_on].reset_index(drop=True)
        mn = nc.iloc[pairs_nn].reset_index(drop=True)
        moved = shapely.distance(mo.geometry.values, mn.geometry.values)
        n["components_moved"] = int((moved > COMPONENT_MOVED_M).sum())
        for field in ["owner", "department", "maintainer", "status"]:
            n[f"components_{field}_changed"] = int((mo[field] != mn[field]).sum())
        n["components_grid_changed"] = int((mo["located"] != mn["located"]).sum())
    return n, pairs


def write_crosswalk(pairs, path):
    out = pairs[["old_code", "new_code", "area", "share_old", "share_new"]]
    out.to_csv(path, index=False, float_format="%.6f")


# ---------------------------------------------------------------- remap


def remap(old, new, cases, grid_pairs):
    n = {}
    pts = cases.geometry.values
    has_point = ~shapely.is_missing(pts)
    # Located in the old grids (to check the filed grid) and in the new ones.
    old_loc = located_grid(pts, old["grids"])
    ng = new["grids"]
    tree = shapely.STRtree(ng.geometry.values)
    pi, gi = tree.query(pts, predicate="intersects")
    strictly = shapely.contains_properly(ng.geometry.values[gi], pts[pi])
    inside = pd.Series(ng["code"].to_numpy()[gi[strictly]], index=pi[strictly])
    inside = inside[~inside.index.duplicated()].reindex(range(len(pts)))
    boundary = pd.DataFrame({"p": pi[~strictly], "code": ng["code"].to_numpy()[gi[~strictly]]})
    # On a boundary: the candidate descending most from the case's old grid, else the smallest code.
    basis = old_loc.fillna(cases["grid"]).to_numpy()
    b = boundary.assign(old=basis[boundary["p"].to_numpy()])
    b = b.merge(
        grid_pairs[["old_code", "new_code", "share_old"]],
        left_on=["old", "code"],
        right_on=["old_code", "new_code"],
        how="left",
    )
    b = b.sort_values(["p", "share_old", "code"], ascending=[True, False, True])
    on_edge = pd.Series(b["code"].to_numpy(), index=b["p"].to_numpy())
    on_edge = on_edge[~on_edge.index.duplicated()].reindex(range(len(pts)))
    new_grid = inside.fillna(on_edge)
    # Outside every grid: the nearest within 50 m.
    lost = np.flatnonzero(has_point & new_grid.isna().to_numpy())
    if len(lost):
        near = gpd.sjoin_nearest(
            gpd.GeoDataFrame({"p": lost}, geometry=pts[lost]),
            ng[["code", "geometry"]],
            max_distance=CASE_NEAREST_M,
            distance_col="d",
        )
        near = near.sort_values(["p", "d", "code"]).drop_duplicates("p")
        new_grid = new_grid.fillna(pd.Series(near["code"].to_numpy(), index=near["p"].to_numpy()))
    # No point: the old grid's successor holding the largest share (at least 50 %, or the only one).
    nopoint = np.flatnonzero(~has_point)
    if len(nopoint):
        succ = grid_pairs.sort_values(["old_code", "share_old"], ascending=[True, False])
        count = succ.groupby("old_code").size()
        best = succ.drop_duplicates("old_code").set_index("old_code")
        ok = (best["share_old"] >= 0.5) | (count.reindex(best.index) == 1)
        best = best[ok]["new_code"]
        filed = cases["grid"].to_numpy()[nopoint]
        new_grid.iloc[nopoint] = best.reindex(filed).to_numpy()
    new_grid = new_grid.to_numpy()
    filed = cases["grid"].to_numpy()
    n["cases"] = int(len(cases))
    n["cases_with_point"] = int(has_point.sum())
    n["cases_located"] = int((~inside.isna()).sum())
    n["cases_on_boundary"] = int((inside.isna() & ~on_edge.isna()).sum())
    n["cases_unresolved"] = int(pd.isna(new_grid).sum())
    n["cases_grid_mismatch"] = int(
        ((~old_loc.isna()).to_numpy() & (old_loc.to_numpy() != filed) & (filed != "")).sum()
    )
    moved = pd.isna(new_grid) | (new_grid != filed)
    n["cases_grid_changed"] = int(moved.sum())
    return n, new_grid


# ---------------------------------------------------------------- commands


def classes_of(new_dir):
    manifest = tomllib.loads((Path(new_dir) / "dataset.toml").read_text(encoding="utf-8"))
    profile = manifest.get("profile", "gbt30428-2013")
    here = Path(__file__).resolve().parent.parent / "schemas" / profile / "component_classes.csv"
    return set(pd.read_csv(here, dtype=str)["type_code"])


def main(argv):
    cmd = argv[1]
    out = Path(argv[argv.index("--out") + 1])
    out.mkdir(parents=True, exist_ok=True)
    numbers = {}
    t0 = time.perf_counter()
    if cmd == "validate":
        with stage("read"):
            new = read_dataset(argv[2])
        classes = classes_of(argv[2])
        with stage("validate"):
            numbers["validate"] = validate(new, classes)
    elif cmd in ("diff", "plan"):
        with stage("read"):
            old = read_dataset(argv[2])
            new = read_dataset(argv[3])
            cases = read_cases(argv[argv.index("--cases") + 1]) if cmd == "plan" else None
        with stage("diff"):
            numbers["diff"], pairs = diff(old, new)
        if cmd == "plan":
            with stage("remap"):
                numbers["remap"], new_grid = remap(old, new, cases, pairs["grids"])
        with stage("write"):
            write_crosswalk(pairs["grids"], out / "grid_crosswalk.csv")
            if cmd == "plan":
                changed = pd.isna(new_grid) | (new_grid != cases["grid"].to_numpy())
                pd.DataFrame(
                    {"case_id": cases["id"], "old_grid": cases["grid"], "new_grid": new_grid}
                )[changed].to_csv(out / "case_crosswalk.csv", index=False)
                pd.DataFrame({"case_id": cases["id"], "new_grid": new_grid}).to_csv(
                    out / "case_grids.csv", index=False
                )
    else:
        sys.exit(f"peer.py: unknown command {cmd}")
    TIMINGS.append(("total", time.perf_counter() - t0))
    (out / "numbers.json").write_text(json.dumps(numbers, indent=1, default=str))
    for name, secs in TIMINGS:
        print(f"timing\t{name}\t{secs:.6f}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
