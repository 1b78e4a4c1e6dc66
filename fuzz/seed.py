#!/usr/bin/env python3
"""Seeds the fuzz corpora (fuzz/corpus/TARGET/) from the fixtures and the profiles.

Standard library only; run from anywhere: `python3 fuzz/seed.py`. The layout of each
target's input is in fuzz/README.md.
"""
import hashlib
import io
import os
import zipfile
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
FIXTURES = ROOT / "fixtures"
SEPARATOR = b"\n--gk-file--\n"
PROFILE_FILES = [
    "profile.toml",
    "grids.schema.json",
    "components.schema.json",
    "communities.schema.json",
    "streets.schema.json",
    "pois.schema.json",
    "cases.schema.json",
    "component_classes.csv",
]
MAX_SEED = 128 * 1024


def put(target, data):
    if len(data) > MAX_SEED:
        return
    d = FUZZ / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def sibling(shp, ext):
    for p in sorted(shp.parent.iterdir()):
        if p.stem == shp.stem and p.suffix.lower() == "." + ext:
            return p
    return None


def files(pattern):
    return sorted(p for p in FIXTURES.rglob(pattern) if p.is_file())


def main():
    for shp in files("*.shp"):
        flags, parts = 0, [shp.read_bytes()]
        for bit, ext in enumerate(["shx", "dbf", "prj", "cpg"]):
            p = sibling(shp, ext)
            if p is not None:
                flags |= 1 << bit
            parts.append(p.read_bytes() if p else b"")
        put("shapefile", bytes([flags | 16]) + SEPARATOR.join(parts))
    for dbf in files("*.dbf"):
        put("dbf", dbf.read_bytes())
    for ext in ("*.geojson", "*.json"):
        for p in files(ext):
            put("geojson", p.read_bytes())
    for p in files("*.csv"):
        put("csv", p.read_bytes())
    for p in files("dataset.toml"):
        put("manifest", b"\x00" + p.read_bytes())
    for p in files("submission.toml"):
        put("manifest", b"\x01" + p.read_bytes())
    put("manifest", b"\x02" + (ROOT / "schemas" / "scoring.toml").read_bytes())
    for profile in sorted((ROOT / "schemas").iterdir()):
        if profile.is_dir():
            for i, name in enumerate(PROFILE_FILES):
                put("profile", bytes([i]) + (profile / name).read_bytes())
    # Zips: the clean dataset as a package, flat and in a top folder, stored and deflated;
    # one with a zip-slip entry; one with a name in GB18030.
    for top in ("", "package/"):
        for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", method) as z:
                z.writestr(top + "submission.toml", 'town = "350582101"\ndataset = "data"\n')
                for p in sorted((FIXTURES / "clean").iterdir()):
                    z.writestr(top + "data/" + p.name, p.read_bytes())
            put("zip", buf.getvalue())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../escape.txt", "x")
    put("zip", buf.getvalue())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("网格/grids.geojson".encode("gb18030").decode("cp437"))
        z.writestr(info, (FIXTURES / "clean" / "grids.geojson").read_bytes())
    put("zip", buf.getvalue())
    for t in sorted((FUZZ / "corpus").iterdir()):
        print(f"{t.name}: {len(list(t.iterdir()))} seeds")


if __name__ == "__main__":
    main()
